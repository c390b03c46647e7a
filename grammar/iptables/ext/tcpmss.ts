/**
 * -m tcpmss [!] --mss A[:B] (the match; the TCPMSS target is target/TCPMSS.ts): the value of the
 * TCP MSS option; needs -p tcp (xt_tcpmss is bound to TCP). --mss is mandatory; either side of
 * the range may be empty (0 / 65535).
 */
import type { Neg, PortRange, TcpmssMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import { parseUint } from "../values.js";

interface S {
	mss?: Neg<PortRange>;
}

export const tcpmssMatch = defineMatch<S>({
	name: "tcpmss",
	options: [
		{
			name: "mss",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const w = v.args[0]!;
				const parts = w.text.split(":");
				const lo = parts[0] === "" && parts.length === 2 ? 0 : parseUint(parts[0]!, 0xffff);
				const hi = parts.length === 1 ? lo : parts[1] === "" ? 0xffff : parseUint(parts[1]!, 0xffff);
				if (parts.length > 2 || lo === undefined || hi === undefined || lo > hi) {
					cx.error("invalid_value", `invalid MSS "${w.text}": expected N or A:B in 0..65535`, w);
					return;
				}
				s.mss = { value: { lo, hi }, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx): TcpmssMatch | undefined => {
		if (s.mss === undefined) {
			cx.error("missing_argument", "-m tcpmss needs --mss", cx.nameWord);
			return undefined;
		}
		if (cx.proto !== 6 || cx.protoNeg) {
			cx.error("protocol_required", `-m tcpmss needs -p tcp${cx.protoNeg ? " (not negated)" : ""}`, cx.nameWord, "add -p tcp to the rule");
			return undefined;
		}
		return { kind: "tcpmss", mss: s.mss };
	},
});

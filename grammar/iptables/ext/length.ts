/** -m length --length a[:b] (IP packet length, 0..65535). */
import type { Neg, PortRange } from "../../../compiler/ir/ipt.js";
import { defineMatch, take } from "../extension.js";
import { Bad, isBad, parsePortRange } from "../values.js";

/** Same shape as a port range, but a refusal is about a length, not a port. */
function lengthRange(t: string): PortRange | Bad {
	const r = parsePortRange(t, ":", 65535);
	return isBad(r) ? new Bad("invalid_value", r.message.replace("port", "length"), r.hint) : r;
}

interface S {
	length?: Neg<PortRange>;
}

export const length = defineMatch<S>({
	name: "length",
	options: [
		{
			name: "length",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				// Lengths are plain numbers (no service names): parse with a non-port maximum.
				const t = v.args[0]!.text;
				const r = /^[0-9]*(:[0-9]*)?$/.test(t)
					? take(cx, lengthRange(t), v.args[0]!)
					: (cx.error("invalid_value", `invalid length "${t}": expected a[:b] in 0..65535`, v.args[0]!), undefined);
				if (r) s.length = { value: r, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.length === undefined) {
			cx.error("missing_argument", "-m length needs --length", cx.nameWord);
			return undefined;
		}
		return { kind: "length", length: s.length };
	},
});

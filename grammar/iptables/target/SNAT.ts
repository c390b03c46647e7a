/** -j SNAT --to-source a[-b][:p[-q]] [--random] [--random-fully] [--persistent]; nat POSTROUTING/INPUT. */
import type { NatRange, Target } from "../../../compiler/ir/ipt.js";
import { defineTarget, take } from "../extension.js";
import { checkPlace, flagOptions, freezeFlags, needsPortProto, parseNatRange, type FlagState } from "./nat.js";

interface S extends FlagState {
	range?: NatRange;
}

export const snat = defineTarget<S>({
	name: "SNAT",
	options: [
		{
			name: "to-source",
			arity: 1,
			apply: (s, v, cx) => {
				const r = take(cx, parseNatRange(v.args[0]!.text, cx), v.args[0]!);
				if (r) s.range = r;
			},
		},
		...flagOptions<S>(true),
	],
	init: () => ({ flags: { random: false, randomFully: false, persistent: false } }),
	finish: (s, cx): Target | undefined => {
		if (s.range === undefined) {
			cx.error("missing_argument", "SNAT needs --to-source", cx.nameWord);
			return undefined;
		}
		if (s.range.portLo !== undefined && !needsPortProto(cx, "SNAT")) return undefined;
		if (!checkPlace(cx, "SNAT", "nat", ["POSTROUTING", "INPUT"])) return undefined;
		return { kind: "snat", range: s.range, flags: freezeFlags(s.flags), fam: cx.fam };
	},
});

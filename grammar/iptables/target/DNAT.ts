/** -j DNAT --to-destination a[-b][:p[-q][/base]] [--random] [--persistent]; nat PREROUTING/OUTPUT. */
import type { NatRange, Target } from "../../../compiler/ir/ipt.js";
import { defineTarget, take } from "../extension.js";
import type { Word } from "../words.js";
import { checkPlace, flagOptions, freezeFlags, needsPortProto, parseNatRange, type FlagState } from "./nat.js";

interface S extends FlagState {
	range?: NatRange;
	word?: Word;
}

export const dnat = defineTarget<S>({
	name: "DNAT",
	options: [
		{
			name: "to-destination",
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
			cx.error("missing_argument", "DNAT needs --to-destination", cx.nameWord);
			return undefined;
		}
		if (s.range.portLo !== undefined && !needsPortProto(cx, "DNAT")) return undefined;
		if (!checkPlace(cx, "DNAT", "nat", ["PREROUTING", "OUTPUT"])) return undefined;
		return { kind: "dnat", range: s.range, flags: freezeFlags(s.flags), fam: cx.fam };
	},
});

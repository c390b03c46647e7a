/** -m state --state LIST (the older spelling of conntrack --ctstate). */
import type { CtStateName, Neg } from "../../../compiler/ir/ipt.js";
import { defineMatch, take } from "../extension.js";
import { parseStates } from "./ctstate.js";

interface S {
	state?: Neg<readonly CtStateName[]>;
}

export const state = defineMatch<S>({
	name: "state",
	options: [
		{
			name: "state",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = take(cx, parseStates(v.args[0]!.text, false), v.args[0]!);
				if (r) s.state = { value: r, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.state === undefined) {
			cx.error("missing_argument", "-m state needs --state LIST", cx.nameWord);
			return undefined;
		}
		return { kind: "state", state: s.state };
	},
});

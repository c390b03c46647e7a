/** -m connmark --mark value[/mask]. */
import type { Neg, ValueMask } from "../../../compiler/ir/ipt.js";
import { defineMatch, take } from "../extension.js";
import { parseValueMask } from "../values.js";

interface S {
	mark?: Neg<ValueMask>;
}

export const connmarkMatch = defineMatch<S>({
	name: "connmark",
	options: [
		{
			name: "mark",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = take(cx, parseValueMask(v.args[0]!.text), v.args[0]!);
				if (r) s.mark = { value: r, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.mark === undefined) {
			cx.error("missing_argument", "-m connmark needs --mark VALUE[/MASK]", cx.nameWord);
			return undefined;
		}
		return { kind: "connmark", mark: s.mark };
	},
});

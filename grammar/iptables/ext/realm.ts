/** -m realm --realm VALUE[/MASK] (iptables only): the route's realm (tclassid). Numbers only. */
import type { Neg, ValueMask } from "../../../compiler/ir/ipt.js";
import { defineMatch, take } from "../extension.js";
import { parseValueMask } from "../values.js";

interface S {
	realm?: Neg<ValueMask>;
}

export const realm = defineMatch<S>({
	name: "realm",
	family: "ip",
	options: [
		{
			name: "realm",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = take(cx, parseValueMask(v.args[0]!.text), v.args[0]!);
				if (r) s.realm = { value: r, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.realm === undefined) {
			cx.error("missing_argument", "-m realm needs --realm", cx.nameWord);
			return undefined;
		}
		return { kind: "realm", realm: s.realm };
	},
});

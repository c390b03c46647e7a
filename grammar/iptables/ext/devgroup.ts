/** -m devgroup --src-group / --dst-group VALUE[/MASK] (the interface group). */
import type { Neg, ValueMask } from "../../../compiler/ir/ipt.js";
import { defineMatch, take } from "../extension.js";
import { parseValueMask } from "../values.js";

interface S {
	src?: Neg<ValueMask>;
	dst?: Neg<ValueMask>;
}

export const devgroup = defineMatch<S>({
	name: "devgroup",
	options: [
		{
			name: "src-group",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = take(cx, parseValueMask(v.args[0]!.text), v.args[0]!);
				if (r) s.src = { value: r, neg: v.neg };
			},
		},
		{
			name: "dst-group",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = take(cx, parseValueMask(v.args[0]!.text), v.args[0]!);
				if (r) s.dst = { value: r, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.src === undefined && s.dst === undefined) {
			cx.error("missing_argument", "-m devgroup needs --src-group or --dst-group", cx.nameWord);
			return undefined;
		}
		if (s.src !== undefined && (cx.builtin === "OUTPUT" || cx.builtin === "POSTROUTING")) {
			cx.error("conflicting_options", `--src-group cannot be used in ${cx.builtin}: there is no input interface`, cx.nameWord);
			return undefined;
		}
		if (s.dst !== undefined && (cx.builtin === "PREROUTING" || cx.builtin === "INPUT")) {
			cx.error("conflicting_options", `--dst-group cannot be used in ${cx.builtin}: there is no output interface`, cx.nameWord);
			return undefined;
		}
		return { kind: "devgroup", ...s };
	},
});

/** -m mac --mac-source XX:XX:XX:XX:XX:XX (only where there is an input device). */
import type { Neg } from "../../../compiler/ir/ipt.js";
import { defineMatch, take } from "../extension.js";
import { parseMac } from "../values.js";

interface S {
	src?: Neg<bigint>;
}

export const mac = defineMatch<S>({
	name: "mac",
	options: [
		{
			name: "mac-source",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = take(cx, parseMac(v.args[0]!.text), v.args[0]!);
				if (r !== undefined) s.src = { value: r, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.src === undefined) {
			cx.error("missing_argument", "-m mac needs --mac-source", cx.nameWord);
			return undefined;
		}
		if (cx.builtin === "OUTPUT" || cx.builtin === "POSTROUTING") {
			cx.error("conflicting_options", `-m mac cannot be used in ${cx.builtin}: outgoing packets have no source MAC yet`, cx.nameWord);
			return undefined;
		}
		return { kind: "mac", src: s.src };
	},
});

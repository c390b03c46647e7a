/** -m length --length a[:b] (IP packet length, 0..65535). */
import type { Neg, PortRange } from "../../../compiler/ir/ipt.js";
import { defineMatch, take } from "../extension.js";
import { parsePortRange } from "../values.js";

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
					? take(cx, parsePortRange(t, ":", 65535), v.args[0]!)
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

/** -m mark --mark value[/mask]; -m connmark has the same option on the ct mark. */
import type { Match, Neg, ValueMask } from "../../../compiler/ir/ipt.js";
import { defineMatch, take, type Extension } from "../extension.js";
import { parseValueMask } from "../values.js";

interface S {
	mark?: Neg<ValueMask>;
}

/** One definition for both matches: they differ only in name and which mark they test. */
export function valueMaskMatch(name: "mark" | "connmark"): Extension<Match> {
	return defineMatch<S>({
		name,
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
				cx.error("missing_argument", `-m ${name} needs --mark VALUE[/MASK]`, cx.nameWord);
				return undefined;
			}
			return { kind: name, mark: s.mark };
		},
	});
}

export const markMatch = valueMaskMatch("mark");

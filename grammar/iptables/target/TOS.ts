/** -j TOS --set-tos V[/M] | NAME, --and-tos, --or-tos, --xor-tos (mangle), normalised to xor form. */
import type { ValueMask } from "../../../compiler/ir/ipt.js";
import { defineTarget, type OptionDef } from "../extension.js";
import { parseUint } from "../values.js";
import { parseTosMask } from "../ext/tos.js";

interface S {
	x?: ValueMask;
}

function one(name: string, conv: (n: number) => ValueMask): OptionDef<S> {
	return {
		name,
		arity: 1,
		apply: (s, v, cx) => {
			if (s.x !== undefined) return cx.error("conflicting_options", "only one TOS operation per rule", v.word);
			const n = parseUint(v.args[0]!.text, 255);
			if (n === undefined) return cx.error("invalid_value", `invalid TOS "${v.args[0]!.text}": expected 0..255`, v.args[0]!);
			s.x = conv(n);
		},
	};
}

export const tosTarget = defineTarget<S>({
	name: "TOS",
	options: [
		{
			name: "set-tos",
			arity: 1,
			apply: (s, v, cx) => {
				if (s.x !== undefined) return cx.error("conflicting_options", "only one TOS operation per rule", v.word);
				// xt_TOS: tos' = (tos & ~m) ^ v, exactly as given (no implicit clearing of v's bits).
				const r = parseTosMask(cx, v.args[0]!, 0xff);
				if (r !== undefined) s.x = r;
			},
		},
		one("and-tos", (n) => ({ value: 0, mask: ~n & 0xff })),
		one("or-tos", (n) => ({ value: n, mask: n })),
		one("xor-tos", (n) => ({ value: n, mask: 0 })),
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.x === undefined) {
			cx.error("missing_argument", "TOS needs --set-tos, --and-tos, --or-tos or --xor-tos", cx.nameWord);
			return undefined;
		}
		if (cx.table !== "mangle") {
			cx.error("target_not_allowed_here", `TOS is only valid in the mangle table, not ${cx.table}`, cx.nameWord);
			return undefined;
		}
		return { kind: "tos-set", value: s.x.value, mask: s.x.mask };
	},
});

/** -m length --length a[:b] (IP packet length, 0..65535). */
import type { Neg, PortRange } from "../../../compiler/ir/ipt.js";
import { defineMatch, take } from "../extension.js";
import { Bad, parseUint } from "../values.js";

/**
 * `a`, `a:b`, `:b`, `a:` (XTTYPE_UINT16RC: numbers base 0 like strtoul, so `0xffff` and `010`
 * count; no service names).
 */
function lengthRange(t: string): PortRange | Bad {
	const i = t.indexOf(":");
	const a = i < 0 ? t : t.slice(0, i);
	const b = i < 0 ? t : t.slice(i + 1);
	const lo = a === "" ? 0 : parseUint(a, 65535);
	const hi = b === "" ? 65535 : parseUint(b, 65535);
	if (lo === undefined || hi === undefined) return new Bad("invalid_value", `invalid length "${t}": expected a[:b] in 0..65535`);
	if (lo > hi) return new Bad("invalid_value", `invalid length range "${t}": start is greater than end`);
	return { lo, hi };
}

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
				const r = /^[0-9a-fA-FxX]*(:[0-9a-fA-FxX]*)?$/.test(t) && t !== ""
					? take(cx, lengthRange(t), v.args[0]!)
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

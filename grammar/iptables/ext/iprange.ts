/** -m iprange --src-range a-b / --dst-range a-b. */
import type { AddrRange, Neg } from "../../../compiler/ir/ipt.js";
import { defineMatch, take, type OptionDef } from "../extension.js";
import { parseAddrRange } from "../values.js";

interface S {
	src?: Neg<AddrRange>;
	dst?: Neg<AddrRange>;
}

function opt(name: string, key: "src" | "dst"): OptionDef<S> {
	return {
		name,
		arity: 1,
		negatable: true,
		apply: (s, v, cx) => {
			const r = take(cx, parseAddrRange(v.args[0]!.text, cx.fam), v.args[0]!);
			if (r) s[key] = { value: r, neg: v.neg };
		},
	};
}

export const iprange = defineMatch<S>({
	name: "iprange",
	options: [opt("src-range", "src"), opt("dst-range", "dst")],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.src === undefined && s.dst === undefined) {
			cx.error("missing_argument", "-m iprange needs --src-range or --dst-range", cx.nameWord);
			return undefined;
		}
		return { kind: "iprange", ...(s.src ? { src: s.src } : {}), ...(s.dst ? { dst: s.dst } : {}) };
	},
});

/** -m dscp --dscp N | --dscp-class NAME (the 6-bit DSCP of the TOS / traffic-class byte). */
import type { Neg } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import type { ExtContext } from "../extension.js";
import type { Word } from "../words.js";
import { uint } from "./u32.js";

/** DiffServ class names (RFC 2474/2597/3246) as libxt_dscp knows them. */
export const DSCP_CLASSES: Readonly<Record<string, number>> = {
	CS0: 0, CS1: 8, CS2: 16, CS3: 24, CS4: 32, CS5: 40, CS6: 48, CS7: 56, BE: 0,
	AF11: 10, AF12: 12, AF13: 14, AF21: 18, AF22: 20, AF23: 22, AF31: 26, AF32: 28, AF33: 30,
	AF41: 34, AF42: 36, AF43: 38, EF: 46,
};

export function dscpClass(cx: ExtContext, w: Word): number | undefined {
	const u = w.text.toUpperCase();
	if (!Object.prototype.hasOwnProperty.call(DSCP_CLASSES, u)) {
		cx.error("invalid_value", `unknown DSCP class "${w.text}"`, w, "classes are CS0..CS7, AF11..AF43, EF, BE");
		return undefined;
	}
	return DSCP_CLASSES[u];
}

interface S {
	dscp?: Neg<number>;
}

export const dscp = defineMatch<S>({
	name: "dscp",
	options: [
		{
			name: "dscp",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				if (s.dscp !== undefined) return cx.error("conflicting_options", "--dscp and --dscp-class cannot be combined", v.word);
				const n = uint(cx, v.args[0]!, 63, "DSCP");
				if (n !== undefined) s.dscp = { value: n, neg: v.neg };
			},
		},
		{
			name: "dscp-class",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				if (s.dscp !== undefined) return cx.error("conflicting_options", "--dscp and --dscp-class cannot be combined", v.word);
				const n = dscpClass(cx, v.args[0]!);
				if (n !== undefined) s.dscp = { value: n, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.dscp === undefined) {
			cx.error("missing_argument", "-m dscp needs --dscp or --dscp-class", cx.nameWord);
			return undefined;
		}
		return { kind: "dscp", dscp: s.dscp };
	},
});

/** -m rpfilter [--loose] [--validmark] [--accept-local] [--invert]; raw/mangle PREROUTING only. */
import type { RpfilterMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";

type S = { -readonly [K in keyof Omit<RpfilterMatch, "kind">]: RpfilterMatch[K] };

export const rpfilter = defineMatch<S>({
	name: "rpfilter",
	options: [
		{ name: "loose", arity: 0, apply: (s) => void (s.loose = true) },
		{ name: "validmark", arity: 0, apply: (s) => void (s.validmark = true) },
		{ name: "accept-local", arity: 0, apply: (s) => void (s.acceptLocal = true) },
		{ name: "invert", arity: 0, apply: (s) => void (s.invert = true) },
	],
	init: () => ({ loose: false, validmark: false, acceptLocal: false, invert: false }),
	finish: (s, cx) => {
		if (cx.table !== "raw" && cx.table !== "mangle") {
			cx.error("target_not_allowed_here", `-m rpfilter is only valid in the raw and mangle tables, not ${cx.table}`, cx.nameWord);
			return undefined;
		}
		if (cx.builtin !== undefined && cx.builtin !== "PREROUTING") {
			cx.error("target_not_allowed_here", `-m rpfilter is only valid in PREROUTING, not ${cx.builtin}`, cx.nameWord);
			return undefined;
		}
		return { kind: "rpfilter", ...s };
	},
});

/** -j DSCP --set-dscp N | --set-dscp-class NAME (mangle). */
import { defineTarget } from "../extension.js";
import { parseUint } from "../values.js";
import { dscpClass } from "../ext/dscp.js";

interface S {
	dscp?: number;
}

export const dscpTarget = defineTarget<S>({
	name: "DSCP",
	options: [
		{
			name: "set-dscp",
			arity: 1,
			apply: (s, v, cx) => {
				if (s.dscp !== undefined) return cx.error("conflicting_options", "--set-dscp and --set-dscp-class cannot be combined", v.word);
				const n = parseUint(v.args[0]!.text, 63);
				if (n === undefined) return cx.error("invalid_value", `invalid DSCP "${v.args[0]!.text}": expected 0..63`, v.args[0]!);
				s.dscp = n;
			},
		},
		{
			name: "set-dscp-class",
			arity: 1,
			apply: (s, v, cx) => {
				if (s.dscp !== undefined) return cx.error("conflicting_options", "--set-dscp and --set-dscp-class cannot be combined", v.word);
				const n = dscpClass(cx, v.args[0]!);
				if (n !== undefined) s.dscp = n;
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.dscp === undefined) {
			cx.error("missing_argument", "DSCP needs --set-dscp or --set-dscp-class", cx.nameWord);
			return undefined;
		}
		if (cx.table !== "mangle") {
			cx.error("target_not_allowed_here", `DSCP is only valid in the mangle table, not ${cx.table}`, cx.nameWord);
			return undefined;
		}
		return { kind: "dscp-set", dscp: s.dscp };
	},
});

/** -j CLASSIFY --set-class MAJOR:MINOR (hex, like tc); mangle/filter POSTROUTING, FORWARD, OUTPUT. */
import { defineTarget } from "../extension.js";

interface S {
	major?: number;
	minor?: number;
}

export const classify = defineTarget<S>({
	name: "CLASSIFY",
	options: [
		{
			name: "set-class",
			arity: 1,
			apply: (s, v, cx) => {
				const m = /^([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4})$/.exec(v.args[0]!.text);
				if (m === null) return cx.error("invalid_value", `invalid class "${v.args[0]!.text}": expected MAJOR:MINOR in hex`, v.args[0]!);
				s.major = parseInt(m[1]!, 16);
				s.minor = parseInt(m[2]!, 16);
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.major === undefined || s.minor === undefined) {
			cx.error("missing_argument", "CLASSIFY needs --set-class", cx.nameWord);
			return undefined;
		}
		return { kind: "classify", major: s.major, minor: s.minor };
	},
});

/** -m helper --helper NAME (`ftp` or `ftp-21`: the port-suffixed names of old helpers). */
import type { Neg } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";

interface S {
	name?: Neg<string>;
}

export const helper = defineMatch<S>({
	name: "helper",
	options: [
		{
			name: "helper",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text;
				// nf_conntrack_helper names are at most 15 bytes (NF_CT_HELPER_NAME_LEN 16).
				if (t.length > 15) return cx.error("invalid_value", `helper name "${t}" is longer than 15 characters`, v.args[0]!);
				s.name = { value: t, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.name === undefined) {
			cx.error("missing_argument", "-m helper needs --helper", cx.nameWord);
			return undefined;
		}
		return { kind: "helper", name: s.name };
	},
});

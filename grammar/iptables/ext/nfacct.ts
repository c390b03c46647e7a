/** -m nfacct --nfacct-name NAME: counts the packet in an nfacct object; always matches. */
import { defineMatch } from "../extension.js";

interface S {
	name?: string;
}

export const nfacct = defineMatch<S>({
	name: "nfacct",
	options: [
		{
			name: "nfacct-name",
			arity: 1,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text;
				// NFACCT_NAME_MAX is 32 bytes including the NUL.
				if (t === "" || t.length > 31) return cx.error("invalid_value", `invalid nfacct name "${t}": 1..31 characters`, v.args[0]!);
				s.name = t;
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.name === undefined) {
			cx.error("missing_argument", "-m nfacct needs --nfacct-name", cx.nameWord);
			return undefined;
		}
		return { kind: "nfacct", name: s.name };
	},
});

/** -j AUDIT --type accept|drop|reject: an audit record (the type is informational). */
import { defineTarget } from "../extension.js";

interface S {
	type?: "accept" | "drop" | "reject";
}

export const audit = defineTarget<S>({
	name: "AUDIT",
	options: [
		{
			name: "type",
			arity: 1,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text.toLowerCase();
				if (t !== "accept" && t !== "drop" && t !== "reject") return cx.error("invalid_value", `invalid --type "${v.args[0]!.text}"`, v.args[0]!, "use accept, drop or reject");
				s.type = t;
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.type === undefined) {
			cx.error("missing_argument", "AUDIT needs --type", cx.nameWord);
			return undefined;
		}
		return { kind: "audit", type: s.type };
	},
});

/** -j CONNSECMARK --save | --restore (security or mangle table): copy secmark packet <-> connection. */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget, type OptionDef } from "../extension.js";

interface S {
	mode?: "save" | "restore";
}

function mode(m: "save" | "restore"): OptionDef<S> {
	return {
		name: m,
		arity: 0,
		apply: (s, v, cx) => {
			if (s.mode !== undefined && s.mode !== m) return cx.error("conflicting_options", "--save and --restore cannot be combined", v.word);
			s.mode = m;
		},
	};
}

export const connsecmark = defineTarget<S>({
	name: "CONNSECMARK",
	options: [mode("save"), mode("restore")],
	init: () => ({}),
	finish: (s, cx): Target | undefined => {
		if (s.mode === undefined) {
			cx.error("missing_argument", "CONNSECMARK needs --save or --restore", cx.nameWord);
			return undefined;
		}
		if (cx.table !== "security" && cx.table !== "mangle") {
			cx.error("target_not_allowed_here", `CONNSECMARK is only valid in the security and mangle tables, not ${cx.table}`, cx.nameWord);
			return undefined;
		}
		return { kind: "connsecmark", mode: s.mode };
	},
});

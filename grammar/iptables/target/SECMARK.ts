/** -j SECMARK --selctx CONTEXT (security or mangle table): the packet's SELinux security mark. */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget } from "../extension.js";

interface S {
	selctx?: string;
}

export const secmark = defineTarget<S>({
	name: "SECMARK",
	options: [
		{
			name: "selctx",
			arity: 1,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text;
				// The kernel keeps at most 256 bytes (SECMARK_SECCTX_MAX), NUL included.
				if (t.length === 0 || Buffer.byteLength(t) > 255) return cx.error("invalid_value", "--selctx must be 1..255 bytes", v.args[0]!);
				s.selctx = t;
			},
		},
	],
	init: () => ({}),
	finish: (s, cx): Target | undefined => {
		if (s.selctx === undefined) {
			cx.error("missing_argument", "SECMARK needs --selctx", cx.nameWord);
			return undefined;
		}
		if (cx.table !== "security" && cx.table !== "mangle") {
			cx.error("target_not_allowed_here", `SECMARK is only valid in the security and mangle tables, not ${cx.table}`, cx.nameWord);
			return undefined;
		}
		return { kind: "secmark", selctx: s.selctx };
	},
});

/** -m socket [--transparent] [--nowildcard] [--restore-skmark]: a local socket matches the packet. */
import type { SocketMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";

type S = { -readonly [K in keyof Omit<SocketMatch, "kind">]: SocketMatch[K] };

export const socket = defineMatch<S>({
	name: "socket",
	options: [
		{ name: "transparent", arity: 0, apply: (s) => void (s.transparent = true) },
		{ name: "nowildcard", arity: 0, apply: (s) => void (s.nowildcard = true) },
		{ name: "restore-skmark", arity: 0, apply: (s) => void (s.restoreSkmark = true) },
	],
	init: () => ({ transparent: false, nowildcard: false, restoreSkmark: false }),
	finish: (s, cx) => {
		if (cx.builtin !== undefined && cx.builtin !== "PREROUTING" && cx.builtin !== "INPUT") {
			cx.error("target_not_allowed_here", `-m socket is only valid in PREROUTING and INPUT, not ${cx.builtin}`, cx.nameWord);
			return undefined;
		}
		return { kind: "socket", ...s };
	},
});

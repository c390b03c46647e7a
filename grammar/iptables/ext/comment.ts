/** -m comment --comment TEXT (at most 255 characters, the kernel's 256-byte buffer). */
import { defineMatch } from "../extension.js";

interface S {
	text?: string;
}

const MAX = 255;

export const comment = defineMatch<S>({
	name: "comment",
	options: [
		{
			name: "comment",
			arity: 1,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text;
				if (Buffer.byteLength(t, "utf8") > MAX)
					return cx.error("invalid_value", `comment is longer than ${MAX} bytes`, v.args[0]!);
				s.text = t;
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.text === undefined) {
			cx.error("missing_argument", "-m comment needs --comment TEXT", cx.nameWord);
			return undefined;
		}
		return { kind: "comment", text: s.text };
	},
});

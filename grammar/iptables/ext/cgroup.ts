/** -m cgroup --cgroup CLASSID (net_cls, v1) | --path PATH (cgroup v2). */
import type { CgroupMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import { uint } from "./u32.js";

type S = { -readonly [K in keyof Omit<CgroupMatch, "kind">]?: CgroupMatch[K] };

export const cgroup = defineMatch<S>({
	name: "cgroup",
	options: [
		{
			name: "cgroup",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				if (s.path !== undefined) return cx.error("conflicting_options", "--cgroup and --path cannot be combined", v.word);
				const n = uint(cx, v.args[0]!, 0xffffffff, "cgroup classid");
				if (n !== undefined) s.classid = { value: n, neg: v.neg };
			},
		},
		{
			name: "path",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				if (s.classid !== undefined) return cx.error("conflicting_options", "--cgroup and --path cannot be combined", v.word);
				s.path = { value: v.args[0]!.text, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.classid === undefined && s.path === undefined) {
			cx.error("missing_argument", "-m cgroup needs --cgroup or --path", cx.nameWord);
			return undefined;
		}
		return { kind: "cgroup", ...s };
	},
});

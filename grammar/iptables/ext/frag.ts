/** -m frag (ip6tables): IPv6 fragment header id, reserved fields, first/more/last. */
import type { FragMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import { u32Range, uint } from "./u32.js";

type S = { -readonly [K in keyof FragMatch]?: FragMatch[K] };

export const frag = defineMatch<S>({
	name: "frag",
	family: "ip6",
	options: [
		{
			name: "fragid",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = u32Range(cx, v.args[0]!, "fragment id");
				if (r !== undefined) s.id = { value: r, neg: v.neg };
			},
		},
		{
			name: "fraglen",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const n = uint(cx, v.args[0]!, 0xffffffff, "fragment header length");
				if (n !== undefined) s.len = { value: n, neg: v.neg };
			},
		},
		{ name: "fragres", arity: 0, apply: (s) => void (s.reserved = true) },
		{ name: "fragfirst", arity: 0, apply: (s) => void (s.first = true) },
		{
			name: "fragmore",
			arity: 0,
			apply: (s, v, cx) => {
				if (s.last === true) return cx.error("conflicting_options", "--fragmore and --fraglast cannot be combined", v.word);
				s.more = true;
			},
		},
		{
			name: "fraglast",
			arity: 0,
			apply: (s, v, cx) => {
				if (s.more === true) return cx.error("conflicting_options", "--fragmore and --fraglast cannot be combined", v.word);
				s.last = true;
			},
		},
	],
	init: () => ({}),
	finish: (s) => ({ kind: "frag", ...s }),
});

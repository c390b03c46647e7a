/** -m rt (ip6tables): IPv6 routing header type, segments left, length, type-0 fields. */
import type { Neg, PortRange, RtMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import { parseIPv6 } from "../values.js";
import { u32Range, uint } from "./u32.js";

type S = { -readonly [K in keyof RtMatch]?: RtMatch[K] };

export const rt = defineMatch<S>({
	name: "rt",
	family: "ip6",
	options: [
		{
			name: "rt-type",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const n = uint(cx, v.args[0]!, 255, "routing header type");
				if (n !== undefined) s.type = { value: n, neg: v.neg };
			},
		},
		{
			name: "rt-segsleft",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = u32Range(cx, v.args[0]!, "segments left");
				if (r !== undefined) s.segsleft = { value: r, neg: v.neg } satisfies Neg<PortRange>;
			},
		},
		{
			name: "rt-len",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const n = uint(cx, v.args[0]!, 0xffffffff, "routing header length");
				if (n !== undefined) s.len = { value: n, neg: v.neg };
			},
		},
		{ name: "rt-0-res", arity: 0, apply: (s) => void (s.reserved = true) },
		{
			name: "rt-0-addrs",
			arity: 1,
			apply: (s, v, cx) => {
				const list: bigint[] = [];
				for (const a of v.args[0]!.text.split(",")) {
					const x = parseIPv6(a);
					if (x === undefined) return cx.error("invalid_address", `invalid IPv6 address "${a}"`, v.args[0]!);
					list.push(x);
				}
				if (list.length > 16) return cx.error("invalid_value", "at most 16 addresses in --rt-0-addrs", v.args[0]!);
				s.addrs = list;
			},
		},
		{ name: "rt-0-not-strict", arity: 0, apply: (s) => void (s.notStrict = true) },
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.notStrict === true && s.addrs === undefined) {
			cx.error("conflicting_options", "--rt-0-not-strict needs --rt-0-addrs", cx.nameWord);
			return undefined;
		}
		// libip6t_rt: the type-0 options need --rt-type 0.
		if ((s.reserved === true || s.addrs !== undefined) && (s.type === undefined || s.type.neg || s.type.value !== 0)) {
			cx.error("conflicting_options", "--rt-0-res and --rt-0-addrs need --rt-type 0", cx.nameWord);
			return undefined;
		}
		return { kind: "rt", ...s };
	},
});

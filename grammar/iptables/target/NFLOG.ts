/** -j NFLOG [--nflog-group N] [--nflog-prefix P] [--nflog-range N | --nflog-size N] [--nflog-threshold N]. */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget } from "../extension.js";
import { parseUint } from "../values.js";

interface S {
	group: number;
	prefix?: string;
	size?: number;
	threshold?: number;
}

/** iptables truncates longer prefixes to the kernel's 64-byte buffer (63 characters + NUL). */
const MAX_PREFIX = 63;

export const nflog = defineTarget<S>({
	name: "NFLOG",
	options: [
		{
			name: "nflog-group",
			arity: 1,
			apply: (s, v, cx) => {
				const n = parseUint(v.args[0]!.text, 65535);
				if (n === undefined) return cx.error("invalid_value", `invalid --nflog-group "${v.args[0]!.text}": expected 0..65535`, v.args[0]!);
				s.group = n;
			},
		},
		{
			name: "nflog-prefix",
			arity: 1,
			apply: (s, v, cx) => {
				const p = v.args[0]!.text;
				if (p.includes("\n")) return cx.error("invalid_value", "prefix contains a newline", v.args[0]!);
				s.prefix = Buffer.byteLength(p, "utf8") > MAX_PREFIX ? p.slice(0, MAX_PREFIX) : p;
			},
		},
		{
			name: "nflog-range",
			arity: 1,
			apply: (s, v, cx) => {
				const n = parseUint(v.args[0]!.text, 0xffffffff);
				if (n === undefined) return cx.error("invalid_value", `invalid --nflog-range "${v.args[0]!.text}"`, v.args[0]!);
				if (s.size !== undefined) return cx.error("conflicting_options", "--nflog-range and --nflog-size cannot be combined", v.word);
				s.size = n;
			},
		},
		{
			name: "nflog-size",
			arity: 1,
			apply: (s, v, cx) => {
				const n = parseUint(v.args[0]!.text, 0xffffffff);
				if (n === undefined) return cx.error("invalid_value", `invalid --nflog-size "${v.args[0]!.text}"`, v.args[0]!);
				if (s.size !== undefined) return cx.error("conflicting_options", "--nflog-range and --nflog-size cannot be combined", v.word);
				s.size = n;
			},
		},
		{
			name: "nflog-threshold",
			arity: 1,
			apply: (s, v, cx) => {
				const n = parseUint(v.args[0]!.text, 65535);
				if (n === undefined || n === 0) return cx.error("invalid_value", `invalid --nflog-threshold "${v.args[0]!.text}": expected 1..65535`, v.args[0]!);
				s.threshold = n;
			},
		},
	],
	init: () => ({ group: 0 }),
	finish: (s): Target => ({
		kind: "nflog",
		group: s.group,
		...(s.prefix !== undefined ? { prefix: s.prefix } : {}),
		...(s.size !== undefined ? { size: s.size } : {}),
		...(s.threshold !== undefined ? { threshold: s.threshold } : {}),
	}),
});

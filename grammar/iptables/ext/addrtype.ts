/** -m addrtype --src-type/--dst-type LIST [--limit-iface-in|--limit-iface-out]. */
import type { AddrTypeMatch, AddrTypeName, Neg } from "../../../compiler/ir/ipt.js";
import { defineMatch, take, type OptionDef } from "../extension.js";
import { Bad } from "../values.js";

type S = { -readonly [K in keyof AddrTypeMatch]?: AddrTypeMatch[K] } & { both?: boolean };

const TYPES: ReadonlySet<string> = new Set([
	"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE",
	"PROHIBIT", "THROW", "NAT", "XRESOLVE",
]);

function parseTypes(s: string): AddrTypeName[] | Bad {
	const out: AddrTypeName[] = [];
	for (const p of s.split(",")) {
		const u = p.toUpperCase();
		if (!TYPES.has(u)) return new Bad("invalid_value", `unknown address type "${p}"`, `types are ${[...TYPES].join(", ")}`);
		out.push(u as AddrTypeName);
	}
	return out;
}

function typeOpt(name: string, key: "src" | "dst"): OptionDef<S> {
	return {
		name,
		arity: 1,
		negatable: true,
		apply: (s, v, cx) => {
			const r = take(cx, parseTypes(v.args[0]!.text), v.args[0]!);
			if (r) s[key] = { value: r, neg: v.neg } satisfies Neg<readonly AddrTypeName[]>;
		},
	};
}

function ifaceOpt(name: string, dir: "in" | "out"): OptionDef<S> {
	return {
		name,
		arity: 0,
		apply: (s, v, cx) => {
			if (s.limitIface !== undefined && s.limitIface !== dir) {
				s.both = true;
				return cx.error("conflicting_options", "--limit-iface-in and --limit-iface-out cannot be combined", v.word);
			}
			s.limitIface = dir;
		},
	};
}

export const addrtype = defineMatch<S>({
	name: "addrtype",
	options: [
		typeOpt("src-type", "src"),
		typeOpt("dst-type", "dst"),
		ifaceOpt("limit-iface-in", "in"),
		ifaceOpt("limit-iface-out", "out"),
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.src === undefined && s.dst === undefined) {
			cx.error("missing_argument", "-m addrtype needs --src-type or --dst-type", cx.nameWord);
			return undefined;
		}
		// The kernel refuses interface limits on hooks that lack that interface.
		if (s.limitIface === "in" && (cx.builtin === "OUTPUT" || cx.builtin === "POSTROUTING")) {
			cx.error("conflicting_options", `--limit-iface-in cannot be used in ${cx.builtin}`, cx.nameWord);
			return undefined;
		}
		if (s.limitIface === "out" && (cx.builtin === "PREROUTING" || cx.builtin === "INPUT")) {
			cx.error("conflicting_options", `--limit-iface-out cannot be used in ${cx.builtin}`, cx.nameWord);
			return undefined;
		}
		const m: { -readonly [K in keyof AddrTypeMatch]: AddrTypeMatch[K] } = { kind: "addrtype" };
		if (s.src) m.src = s.src;
		if (s.dst) m.dst = s.dst;
		if (s.limitIface) m.limitIface = s.limitIface;
		return m;
	},
});

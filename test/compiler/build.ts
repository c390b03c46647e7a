/**
 * Hand-built ipt IR for lowering/emit tests (independent of the parser): terse constructors
 * for rules, chains and tables with sensible defaults.
 */
import type * as ipt from "../../compiler/ir/ipt.js";
import { TABLE_CHAINS } from "../../compiler/ir/ipt.js";
import { span } from "../../compiler/ir/span.js";

export const pos = (line: number): ReturnType<typeof span> => span("test.rules", line, 1, 10);

export type RuleSpec = Partial<Omit<ipt.Rule, "span" | "text">> & { line?: number };

export function rule(spec: RuleSpec = {}): ipt.Rule {
	const { line, ...rest } = spec;
	return { span: pos(line ?? 1), text: "", matches: [], ...rest };
}

export const pos4 = (s: string): ipt.Neg<ipt.AddrMask> => ({ value: v4(s), neg: false });

/** "10.0.0.0/8" or "1.2.3.4" or "1.2.3.4/255.0.255.0" -> AddrMask (v4). */
export function v4(s: string): ipt.AddrMask {
	const [a, m] = s.split("/");
	const addr = ip4(a ?? "");
	let mask: bigint;
	let prefixLen: number | undefined;
	if (m === undefined) {
		mask = 0xffffffffn;
		prefixLen = 32;
	} else if (m.includes(".")) {
		mask = ip4(m);
		const bits = mask.toString(2).padStart(32, "0");
		prefixLen = /^1*0*$/.test(bits) ? bits.indexOf("0") === -1 ? 32 : bits.indexOf("0") : undefined;
	} else {
		prefixLen = Number(m);
		mask = prefixLen === 0 ? 0n : ((0xffffffffn << BigInt(32 - prefixLen)) & 0xffffffffn);
	}
	return { fam: 4, addr: addr & mask, mask, prefixLen };
}

export function v6(s: string): ipt.AddrMask {
	const [a, m] = s.split("/");
	const addr = ip6(a ?? "");
	const all = (1n << 128n) - 1n;
	let mask: bigint;
	let prefixLen: number | undefined;
	if (m === undefined) {
		mask = all;
		prefixLen = 128;
	} else if (m.includes(":")) {
		mask = ip6(m);
		const bits = mask.toString(2).padStart(128, "0");
		prefixLen = /^1*0*$/.test(bits) ? (bits.indexOf("0") === -1 ? 128 : bits.indexOf("0")) : undefined;
	} else {
		prefixLen = Number(m);
		mask = prefixLen === 0 ? 0n : (all << BigInt(128 - prefixLen)) & all;
	}
	return { fam: 6, addr: addr & mask, mask, prefixLen };
}

export function ip4(s: string): bigint {
	return s.split(".").reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
}

export function ip6(s: string): bigint {
	const [head, tail] = s.includes("::") ? s.split("::") : [s, undefined];
	const h = head === "" || head === undefined ? [] : head.split(":");
	const t = tail === undefined || tail === "" ? [] : tail.split(":");
	const groups = tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill("0"), ...t];
	return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

export const neg = <T>(value: T, n = false): ipt.Neg<T> => ({ value, neg: n });
export const port = (lo: number, hi = lo): ipt.PortRange => ({ lo, hi });

export function chain(name: string, rules: ipt.Rule[], policy?: "ACCEPT" | "DROP"): ipt.Chain {
	const builtin = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"].includes(name);
	return { name, builtin, ...(builtin ? { policy: policy ?? "ACCEPT" } : {}), span: pos(1), rules };
}

/** A table with all its built-in chains (ACCEPT, empty unless given) plus user chains. */
export function table(family: ipt.Family, name: ipt.TableName, chains: ipt.Chain[]): ipt.Table {
	const given = new Map(chains.map((c) => [c.name, c]));
	const builtins = TABLE_CHAINS[name].map((n) => given.get(n) ?? chain(n, []));
	const user = chains.filter((c) => !c.builtin);
	return { family, name, span: pos(1), chains: [...builtins, ...user] };
}

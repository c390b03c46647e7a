import { describe, expect, it } from "vitest";
import * as nft from "../../../compiler/ir/nft.js";
import { canSwap, disjoint, ruleFacts } from "../../../compiler/passes/disjoint.js";

const ip = (s: string): bigint => s.split(".").reduce((a, b) => (a << 8n) | BigInt(b), 0n);
const rule = (...conds: nft.Cond[]): nft.Rule => ({ conds, stmts: [nft.verdict({ kind: "accept" })], origins: [] });
const daddr = (v: nft.Value, op: nft.RelOp = "=="): nft.Cond => nft.rel(nft.payload("ip daddr"), op, v);
const prefix = (a: string, len: number): nft.Value => ({ kind: "prefix", value: ip(a), len });
const iif = (value: string, wildcard = false): nft.Cond => nft.rel(nft.meta("iifname"), "==", { kind: "string", value, wildcard });
const dis = (a: nft.Rule, b: nft.Rule): boolean => disjoint(ruleFacts(a), ruleFacts(b));

describe("disjoint: proven from the conditions", () => {
	it("different exact addresses are disjoint; an address inside a prefix is not", () => {
		expect(dis(rule(daddr(nft.num(ip("10.0.0.1")))), rule(daddr(nft.num(ip("10.0.0.2")))))).toBe(true);
		expect(dis(rule(daddr(nft.num(ip("10.0.0.1")))), rule(daddr(prefix("10.0.0.0", 24))))).toBe(false);
	});

	it("overlapping prefixes are not disjoint; sibling prefixes are", () => {
		expect(dis(rule(daddr(prefix("10.0.0.0", 8))), rule(daddr(prefix("10.1.0.0", 16))))).toBe(false);
		expect(dis(rule(daddr(prefix("10.0.0.0", 9))), rule(daddr(prefix("10.128.0.0", 9))))).toBe(true);
	});

	it("tcp dport and udp dport differ in their implied protocol; tcp dport and th dport read the same bytes", () => {
		const p = (key: nft.PayloadKey, port: number): nft.Rule => rule(nft.rel(nft.payload(key), "==", nft.num(port)));
		expect(dis(p("tcp dport", 22), p("udp dport", 22))).toBe(true);
		expect(dis(p("tcp dport", 22), p("th dport", 22))).toBe(false);
		expect(dis(p("tcp dport", 22), p("th dport", 23))).toBe(true);
		expect(dis(p("tcp dport", 22), rule(nft.rel(nft.meta("l4proto"), "==", nft.num(17))))).toBe(true);
	});

	it("negations and ranges: != 22 vs 22 disjoint, != 22 vs 1-100 not, < 1024 vs 1024-65535 disjoint", () => {
		const dp = (op: nft.RelOp, v: nft.Value): nft.Rule => rule(nft.rel(nft.payload("tcp dport"), op, v));
		expect(dis(dp("!=", nft.num(22)), dp("==", nft.num(22)))).toBe(true);
		expect(dis(dp("!=", nft.num(22)), dp("==", nft.range(1, 100)))).toBe(false);
		expect(dis(dp("<", nft.num(1024)), dp("==", nft.range(1024, 65535)))).toBe(true);
	});

	it("interface names: exact names differ; a wildcard overlaps what it prefixes", () => {
		expect(dis(rule(iif("eth0")), rule(iif("eth1")))).toBe(true);
		expect(dis(rule(iif("eth", true)), rule(iif("eth1")))).toBe(false);
		expect(dis(rule(iif("eth", true)), rule(iif("wlan0")))).toBe(true);
	});

	it("unknown or mutable fields never prove anything (marks can change mid-chain)", () => {
		const mark = (v: number): nft.Rule => rule(nft.rel(nft.meta("mark"), "==", nft.num(v)));
		expect(dis(mark(1), mark(2))).toBe(false);
		expect(dis(rule(), rule(daddr(nft.num(1n))))).toBe(false);
	});

	it("a rule with a limit never trades places, even with a disjoint rule (it takes tokens when it does not match)", () => {
		const limited = rule(nft.rel(nft.payload("ip daddr"), "==", nft.num(1n)), { kind: "limit", rate: 5n, unit: "second", burst: 5n, over: false });
		const other = rule(daddr(nft.num(2n)));
		expect(disjoint(ruleFacts(limited), ruleFacts(other))).toBe(true);
		expect(canSwap(ruleFacts(limited), ruleFacts(other))).toBe(false);
		expect(canSwap(ruleFacts(rule(daddr(nft.num(1n)))), ruleFacts(other))).toBe(true);
	});
});

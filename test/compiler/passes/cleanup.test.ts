import { describe, expect, it } from "vitest";
import { deadRules } from "../../../compiler/passes/dead-rules.js";
import { inlineChains } from "../../../compiler/passes/inline-chains.js";
import type { Pass } from "../../../compiler/passes/pass.js";
import { redundantMatch, simplifyRule } from "../../../compiler/passes/redundant-match.js";
import * as nft from "../../../compiler/ir/nft.js";
import { shadowedRules } from "../../../compiler/passes/shadowed-rules.js";
import { unreachableChains } from "../../../compiler/passes/unreachable-chains.js";
import { changeKinds, describeFixture, expectEquivalent, lowered, runPasses } from "./fixture.js";

const CLEANUP: readonly Pass[] = [inlineChains, redundantMatch, deadRules, shadowedRules, unreachableChains];

const CASES: readonly { name: string; passes: readonly Pass[]; expect: (kinds: Map<string, number>) => void }[] = [
	{
		name: "inline-single-rule",
		passes: [inlineChains, unreachableChains],
		expect: (k) => expect(k.get("inline-chains/inline")).toBeGreaterThanOrEqual(3),
	},
	{ name: "inline-body", passes: [inlineChains, unreachableChains], expect: (k) => expect(k.get("inline-chains/inline")).toBe(1) },
	// No base chain has rules (kube-proxy's --noflush input): any chain may be entered from rules we
	// do not see, so chains with rules stay and nothing is copied into callers (a copy would add
	// rules, and KUBE-FW-A's inlined jump would no longer merge with its neighbours); only the jump
	// to the empty chain and the empty chain itself go.
	{
		name: "inline-fragment",
		passes: [inlineChains, unreachableChains],
		expect: (k) =>
			expect([...k]).toEqual([
				["inline-chains/remove", 1],
				["unreachable-chains/remove", 1],
			]),
	},
	{ name: "empty-and-unreachable", passes: [inlineChains, unreachableChains], expect: (k) => expect(k.get("unreachable-chains/remove")).toBeGreaterThanOrEqual(2) },
	{ name: "dead-rules", passes: [deadRules], expect: (k) => expect(k.get("dead-rules/remove")).toBe(3) },
	{ name: "shadowed-rules", passes: [shadowedRules], expect: (k) => expect(k.get("shadowed-rules/remove")).toBe(4) },
	{ name: "redundant-match", passes: CLEANUP, expect: (k) => expect(k.get("redundant-match/rewrite")).toBe(3) },
];

describe("cleanup passes", () => {
	for (const c of CASES) describeFixture({ name: c.name, passes: c.passes, check: (out) => c.expect(changeKinds(out.changes)) });
});

describe("redundant-match keeps what stateful conditions need", () => {
	const tcpDport = nft.rel(nft.payload("tcp dport"), "==", nft.num(22));
	const l4 = nft.rel(nft.meta("l4proto"), "==", nft.num(6));
	const ipProto = nft.rel(nft.payload("ip protocol"), "==", nft.num(6));
	const limit: nft.Cond = { kind: "limit", rate: 1n, unit: "second", burst: 5n, over: false };
	const accept = nft.verdict({ kind: "accept" });
	const r = (conds: nft.Cond[]): nft.Rule => ({ conds, stmts: [accept], origins: [] });
	it("drops meta l4proto / ip protocol before a header match of the same protocol", () => {
		expect(simplifyRule(r([l4, tcpDport]), "ip")?.conds).toEqual([tcpDport]);
		expect(simplifyRule(r([ipProto, tcpDport]), "ip")?.conds).toEqual([tcpDport]);
	});
	it("keeps `ip protocol` in inet tables (it also means IPv4 there)", () => {
		expect(simplifyRule(r([ipProto, tcpDport]), "inet")).toBeUndefined();
		expect(simplifyRule(r([l4, tcpDport]), "inet")?.conds).toEqual([tcpDport]);
	});
	it("keeps a protocol match that stops a limit from counting other protocols", () => {
		expect(simplifyRule(r([l4, limit, tcpDport]), "ip")).toBeUndefined();
		expect(simplifyRule(r([tcpDport, limit, l4]), "ip")?.conds).toEqual([tcpDport, limit]);
	});
	it("keeps a protocol match another protocol's header contradicts, and th (no protocol)", () => {
		expect(simplifyRule(r([nft.rel(nft.meta("l4proto"), "==", nft.num(17)), tcpDport]), "ip")).toBeUndefined();
		expect(simplifyRule(r([l4, nft.rel(nft.payload("th dport"), "==", nft.num(22))]), "ip")).toBeUndefined();
	});
});

describe("inline-chains: the callee's conditions the caller already tests", () => {
	const input = `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER - [0:0]
:LIMITED - [0:0]
-A FORWARD -o br0 -j DOCKER
-A FORWARD -m limit --limit 5/sec -j LIMITED
-A DOCKER -o br0 -d 172.18.0.2/32 -p tcp -m tcp --dport 80 -j ACCEPT
-A LIMITED -m limit --limit 5/sec -j ACCEPT
COMMIT
`;
	const out = runPasses(lowered(input, "dedup.rules"), [inlineChains]);
	it("writes a pure condition once", () => {
		expect(out.text).toContain('oifname "br0" ip daddr 172.18.0.2 tcp dport 80 accept');
		for (const line of out.text.split("\n")) expect(line.match(/oifname "br0"/g)?.length ?? 0).toBeLessThan(2);
	});
	it("keeps both copies of a stateful one (each limit is its own bucket)", () => {
		expect(out.text).toContain("limit rate 5/second burst 5 packets limit rate 5/second burst 5 packets accept");
	});
	it("decides every packet as the iptables input does", () => expectEquivalent(input, out.text, "dedup.rules", undefined, true));
});

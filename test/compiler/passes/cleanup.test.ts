import { describe, expect, it } from "vitest";
import { deadRules } from "../../../compiler/passes/dead-rules.js";
import { inlineChains } from "../../../compiler/passes/inline-chains.js";
import type { Pass } from "../../../compiler/passes/pass.js";
import { PASSES, optimise } from "../../../compiler/passes/pipeline.js";
import { redundantMatch, simplifyRule } from "../../../compiler/passes/redundant-match.js";
import * as nft from "../../../compiler/ir/nft.js";
import { shadowedRules } from "../../../compiler/passes/shadowed-rules.js";
import { unreachableChains } from "../../../compiler/passes/unreachable-chains.js";
import { emitText } from "../../../compiler/emit/text.js";
import { expectEquivalent, expectGolden, expectNftAccepts, fixtureInput, lowered, runPasses } from "./fixture-b.js";

const CLEANUP: readonly Pass[] = [inlineChains, redundantMatch, deadRules, shadowedRules, unreachableChains];

const CASES: readonly { name: string; passes: readonly Pass[]; expect: (kinds: Map<string, number>) => void }[] = [
	{
		name: "inline-single-rule",
		passes: [inlineChains, unreachableChains],
		expect: (k) => expect(k.get("inline-chains/inline")).toBeGreaterThanOrEqual(3),
	},
	{ name: "inline-body", passes: [inlineChains, unreachableChains], expect: (k) => expect(k.get("inline-chains/inline")).toBe(1) },
	{ name: "empty-and-unreachable", passes: [inlineChains, unreachableChains], expect: (k) => expect(k.get("unreachable-chains/remove")).toBeGreaterThanOrEqual(2) },
	{ name: "dead-rules", passes: [deadRules], expect: (k) => expect(k.get("dead-rules/remove")).toBe(3) },
	{ name: "shadowed-rules", passes: [shadowedRules], expect: (k) => expect(k.get("shadowed-rules/remove")).toBe(4) },
	{ name: "redundant-match", passes: CLEANUP, expect: (k) => expect(k.get("redundant-match/rewrite")).toBe(3) },
];

function kinds(changes: readonly { pass: string; kind: string }[]): Map<string, number> {
	const m = new Map<string, number>();
	for (const c of changes) m.set(`${c.pass}/${c.kind}`, (m.get(`${c.pass}/${c.kind}`) ?? 0) + 1);
	return m;
}

describe("cleanup passes", () => {
	for (const c of CASES) {
		describe(c.name, () => {
			const { text, file } = fixtureInput(c.name);
			const rs = lowered(text, file);
			const out = runPasses(rs, c.passes);
			it("matches the reviewed golden", () => {
				expectGolden(c.name, out.text);
				c.expect(kinds(out.changes));
			});
			it("is idempotent (the passes again change nothing)", () => {
				const again = runPasses(out.ruleset, c.passes);
				expect(again.changes).toEqual([]);
				expect(again.text).toBe(out.text);
			});
			it("decides every packet as the iptables input does", () => expectEquivalent(text, out.text, file));
			it("is accepted by nft -c", () => expectNftAccepts(out.text));
			it("the whole -O1 pipeline is idempotent and equivalent", () => {
				const once = optimise(rs, 1, PASSES);
				const twice = optimise(once.ruleset, 1, PASSES);
				const t = emitText(once.ruleset, { preamble: "none" });
				expect(emitText(twice.ruleset, { preamble: "none" })).toBe(t);
				expectEquivalent(text, t, file);
			});
		});
	}
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

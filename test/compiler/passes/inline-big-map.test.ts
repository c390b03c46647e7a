/**
 * inline-chains copies a single-rule chain into each of its callers, except when the rule carries
 * a big set or map: after merging, kube-proxy's KUBE-SERVICES is one verdict map with an element
 * per service, entered from nat PREROUTING and OUTPUT, and copying it would load (and print) the
 * whole map twice.
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { emitText } from "../../../compiler/emit/text.js";
import * as nft from "../../../compiler/ir/nft.js";
import { inlineChains, MAX_COPIED_ELEMS } from "../../../compiler/passes/inline-chains.js";
import { PASSES, optimise } from "../../../compiler/passes/pipeline.js";
import { SHARED } from "../../helpers/paths.js";
import { expectEquivalent, expectGolden, expectNftAccepts, fixtureInput, lowered } from "./fixture.js";


/** Every inline verdict map of a ruleset, by its number of elements. */
function vmapSizes(rs: nft.Ruleset): number[] {
	const out: number[] = [];
	for (const t of rs.tables)
		for (const c of t.chains)
			for (const r of c.rules) for (const s of r.stmts) if (s.kind === "vmap" && s.map.kind === "inline") out.push(s.map.elems.length);
	return out;
}

describe("inline-big-map fixture (whole -O1 pipeline)", () => {
	const name = "inline-big-map";
	const { text, file } = fixtureInput(name);
	const rs = lowered(text, file);
	const out = optimise(rs, 1, PASSES);
	const nftText = emitText(out.ruleset, { preamble: "none" });
	it("matches the reviewed golden: SERVICES stays one chain, ADMIN is copied into both callers", () => {
		expectGolden(name, nftText);
		const filter = out.ruleset.tables.find((t) => t.name === "filter")!;
		const services = filter.chains.find((c) => c.name === "SERVICES");
		expect(services?.rules).toHaveLength(1);
		expect(filter.chains.find((c) => c.name === "ADMIN")).toBeUndefined();
		// The 20-element set is printed once; the 3-port rule is copied into each caller, and the
		// copies share one named set (named-sets runs after the last inlining).
		expect(nftText.match(/10\.96\.0\.19 \. 8019/g)).toHaveLength(1);
		expect(nftText.match(/^\t\ttcp dport @tcp_dport_set accept$/gm)).toHaveLength(2);
	});
	it("is idempotent", () => {
		const again = optimise(out.ruleset, 1, PASSES);
		expect(again.changes).toEqual([]);
	});
	it("decides every packet as the iptables input does", () => expectEquivalent(text, nftText, file));
	it("is accepted by nft -c", () => expectNftAccepts(nftText));
});

describe("the copy threshold", () => {
	const accept = nft.verdict({ kind: "accept" });
	const jump = (chain: string): nft.Stmt => nft.verdict({ kind: "jump", chain });
	const hook = (name: string, h: nft.Hook): nft.Chain => ({
		name,
		base: { type: "filter", hook: h, priority: 0, policy: "accept" },
		rules: [{ conds: [], stmts: [jump("X")], origins: [] }],
		origins: [],
	});
	const ruleset = (elems: number, callers: 1 | 2): nft.Ruleset => {
		const ports: nft.Value = { kind: "set", elems: Array.from({ length: elems }, (_v, i) => nft.num(BigInt(1000 + i))) };
		const x: nft.Chain = { name: "X", rules: [{ conds: [nft.rel(nft.payload("tcp dport"), "==", ports)], stmts: [accept], origins: [] }], origins: [] };
		const chains = callers === 2 ? [hook("INPUT", "input"), hook("OUTPUT", "output"), x] : [hook("INPUT", "input"), x];
		return { tables: [{ family: "ip", name: "filter", chains, sets: [], origins: [] }] };
	};
	const inlined = (rs: nft.Ruleset): number => inlineChains.run(rs).changes.filter((c) => c.kind === "inline").length;
	it(`copies a rule with up to ${MAX_COPIED_ELEMS} elements into several callers`, () => {
		expect(inlined(ruleset(MAX_COPIED_ELEMS, 2))).toBe(2);
	});
	it("keeps the jump to a rule with more, when there are several callers", () => {
		expect(inlined(ruleset(MAX_COPIED_ELEMS + 1, 2))).toBe(0);
	});
	it("still inlines a big rule into its only caller (nothing is duplicated)", () => {
		expect(inlined(ruleset(MAX_COPIED_ELEMS + 1, 1))).toBe(1);
	});
});

describe("kube-proxy (gen_kubeproxy.py 200)", () => {
	const text = execFileSync("python3", [resolve(SHARED, "tools", "gen_kubeproxy.py"), "200"], { encoding: "utf8", maxBuffer: 1 << 28 });
	for (const level of [1, 2] as const) {
		it(`-O${level}: the 200-service dispatch map appears exactly once`, () => {
			const c = compile(text, { file: "kp200.rules", optimize: level });
			expect(c.ok).toBe(true);
			const sizes = vmapSizes(c.nft);
			expect(sizes.filter((n) => n === 200)).toHaveLength(1);
			expect(sizes.every((n) => n <= 200)).toBe(true);
			// The text too: one line holds the 200 service elements, and PREROUTING / OUTPUT jump to it.
			const lines = c.output.split("\n").filter((l) => (l.match(/ : jump KUBE-SVC-/g) ?? []).length === 200);
			expect(lines).toHaveLength(1);
			expect(c.output.match(/^\t\tjump KUBE-SERVICES\b/gm)).toHaveLength(2);
			if (level === 1) expectNftAccepts(c.output);
		});
	}
});

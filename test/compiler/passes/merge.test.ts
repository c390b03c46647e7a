/**
 * The merging passes (part A): merge-set, merge-concat, merge-vmap, named-sets. Every fixture is
 * checked against its reviewed golden, for idempotence, by the simulator against the iptables input
 * (which reads the emitted TEXT with its own grammar) and by the real `nft -c`.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { emitJson } from "../../../compiler/emit/json.js";
import type * as nft from "../../../compiler/ir/nft.js";
import { mergeConcat } from "../../../compiler/passes/merge-concat.js";
import { mergeSet } from "../../../compiler/passes/merge-set.js";
import { mergeVmap } from "../../../compiler/passes/merge-vmap.js";
import { namedSets } from "../../../compiler/passes/named-sets.js";
import type { Change, Pass } from "../../../compiler/passes/pass.js";
import { PASSES, optimise } from "../../../compiler/passes/pipeline.js";
import { formatExplain } from "../../../compiler/report/explain.js";
import { verifyTexts } from "../../../compiler/verify.js";
import { nftCheck } from "../../helpers/nft-check.js";
import { CORPUS_REAL, SHARED } from "../../helpers/paths.js";
import { describeFixture, expectEquivalent as sharedEquivalent, expectNftAccepts, fixtureInput, lowered, runPasses } from "./fixture.js";

/** The fixtures are stateless; see FixtureCase.conntrack for why the host runs conntrack. */
function expectEquivalent(ipt: string, nftText: string, file: string): void {
	sharedEquivalent(ipt, nftText, file, undefined, true);
}

const MERGING: readonly Pass[] = [mergeVmap, mergeSet, mergeConcat, namedSets];

function count(changes: readonly Change[], pass: string): number {
	return changes.filter((c) => c.pass === pass).length;
}

function chainOf(rs: nft.Ruleset, table: string, chain: string): nft.Chain {
	const c = rs.tables.find((t) => t.name === table)?.chains.find((x) => x.name === chain);
	if (c === undefined) throw new Error(`no chain ${table}/${chain}`);
	return c;
}

const CASES: readonly { name: string; passes: readonly Pass[]; expect: (changes: readonly Change[], rs: nft.Ruleset) => void }[] = [
	{
		name: "merge-set",
		passes: [mergeSet],
		expect: (ch, rs) => {
			// 22/80/443/53/6000-6010, the 10/8 + 10.1/16 + 192.168/16 union, 3306 on eth1/eth2/vpn*, 25/587 log.
			expect(count(ch, "merge-set")).toBe(4);
			const input = chainOf(rs, "filter", "INPUT");
			// Overlapping sources with a non-terminal jump stay two rules; so do != 8080 and == 8081.
			expect(input.rules.filter((r) => r.stmts.some((s) => s.kind === "verdict" && s.verdict.kind === "jump")).length).toBe(4);
		},
	},
	{
		name: "merge-concat",
		passes: [mergeSet, mergeConcat],
		expect: (ch) => {
			// (22, 80); the /24 pair (already a set) with udp 53; the interface pairs; the two rejects.
			expect(count(ch, "merge-concat")).toBe(4);
		},
	},
	{
		name: "merge-vmap",
		passes: [mergeVmap, mergeSet, mergeConcat],
		expect: (ch, rs) => {
			expect(count(ch, "merge-vmap")).toBe(4);
			const input = chainOf(rs, "filter", "INPUT");
			// ct state vmap; the service dispatch; marks 2..4 (mark 1's jump changes the mark: not merged with 2).
			expect(input.rules.filter((r) => r.stmts[0]?.kind === "vmap").length).toBe(3);
		},
	},
	{
		name: "merge-nonadjacent",
		passes: MERGING,
		expect: (ch) => {
			expect(ch.some((c) => c.pass === "merge-set" || c.pass === "merge-vmap")).toBe(true);
		},
	},
	{
		name: "named-sets",
		passes: MERGING,
		expect: (ch, rs) => {
			expect(count(ch, "named-sets")).toBe(2);
			const t = rs.tables.find((x) => x.name === "filter")!;
			expect(t.sets.map((s) => s.name).sort()).toEqual(["ip_saddr_set", "tcp_dport_set"]);
		},
	},
];

describe("merging passes: fixtures", () => {
	for (const c of CASES)
		describeFixture({
			name: c.name,
			passes: c.passes,
			conntrack: true,
			check: (out) => c.expect(out.changes, out.ruleset),
			extra: (out) => {
				it("is accepted by nft -j -c as JSON too (element comments included)", () => {
					const json = nftCheck(emitJson(out.ruleset), { json: true });
					expect(json.stderr).toBe("");
					expect(json.ok).toBe(true);
				});
				it("records each merge: before rules with their input lines, after rule citing all of them in order", () => {
					for (const ch of out.changes.filter((x) => x.kind === "merge")) {
						expect(ch.before.length).toBeGreaterThan(1);
						expect(ch.after.length).toBe(1);
						const lines = ch.before.flatMap((r) => r.origins.map((o) => o.line)).sort((a, b) => a - b);
						expect(ch.after[0]!.origins.map((o) => o.line)).toEqual(lines);
					}
				});
			},
		});

	it("--explain quotes every merged input line", () => {
		const { text, file } = fixtureInput("merge-set");
		const out = runPasses(lowered(text, file), [mergeSet]);
		const explained = formatExplain(out.changes, new Map([[file, text]]));
		expect(explained).toContain("[merge-set] ip filter INPUT");
		expect(explained).toContain(`${file}:7: -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT`);
		expect(explained).toContain(`${file}:9: -A INPUT -p tcp -m tcp --dport 443 -j ACCEPT`);
		expect(explained).toMatch(/into:\n {4}tcp dport \{ 22, 80, 443, 53, 6000-6010 \} accept/);
	});
});

describe("merging passes: kube-proxy", () => {
	const gen = (n: number): string => execFileSync("python3", [join(SHARED, "tools", "gen_kubeproxy.py"), String(n)], { encoding: "utf8", maxBuffer: 1 << 28 });

	it("kp200: KUBE-SERVICES dispatches every service with one vmap on ip daddr . meta l4proto . th dport", () => {
		const text = gen(200);
		// The pipeline up to the merging passes: KUBE-SERVICES is still a chain of its own.
		const upTo = PASSES.slice(0, PASSES.indexOf(namedSets) + 1);
		const o = optimise(lowered(text, "kp200.rules"), 1, upTo);
		const ks = chainOf(o.ruleset, "nat", "KUBE-SERVICES");
		const vmapElems = (r: nft.Rule): number => {
			const s = r.stmts[0];
			return s?.kind === "vmap" && s.key.kind === "concat" && s.map.kind === "inline" ? s.map.elems.length : 0;
		};
		expect(vmapElems(ks.rules[0]!)).toBe(200);
		// Nothing else but the node-port fallthrough (dropped by cleanup when KUBE-NODEPORTS is empty).
		for (const r of ks.rules.slice(1)) expect(r.stmts.some((s) => s.kind === "verdict" && s.verdict.kind === "jump" && s.verdict.chain === "KUBE-NODEPORTS")).toBe(true);
		expect(ks.rules.length).toBeLessThanOrEqual(2);
		// The whole -O1 pipeline (later passes may inline the chain): every path dispatches with that one lookup.
		const c = compile(text, { file: "kp200.rules" });
		expect(c.ok).toBe(true);
		const dispatch = c.nft.tables.find((t) => t.name === "nat")!.chains.filter((ch) => ch.rules.some((r) => vmapElems(r) > 0));
		expect(dispatch.length).toBeGreaterThan(0);
		for (const ch of dispatch) expect(ch.rules.filter((r) => vmapElems(r) > 0).map(vmapElems)).toEqual([200]);
		expect(c.output).toMatch(/ip daddr \. meta l4proto \. th dport vmap \{ 10\.96\.0\.0 \. (tcp|udp) \. \d+ comment "ns0\/svc0:http cluster IP" : jump KUBE-SVC-/);
		expectNftAccepts(c.output);
	});

	it("kp40: the -O1 translation decides like the input", () => {
		const text = gen(40);
		const c = compile(text, { file: "kp40.rules" });
		expect(c.changes.some((x) => x.pass === "merge-vmap")).toBe(true);
		expectEquivalent(text, c.output, "kp40.rules");
	});
});

describe("merging passes: real rulesets (merging passes alone, on the lowered input)", () => {
	const files = readdirSync(CORPUS_REAL).filter((f) => /\.(rules|sh)$/.test(f)).sort();
	let merged = 0;
	for (const f of files) {
		const text = readFileSync(join(CORPUS_REAL, f), "utf8");
		const family = f.includes(".v6.") ? ({ family: "ip6" } as const) : {};
		const c = compile(text, { file: f, optimize: 0, ...family });
		if (!c.ok) continue;
		it(`${f}: equivalent, nft -c, idempotent`, () => {
			const out = runPasses(c.nft, MERGING);
			if (out.changes.length > 0) merged++;
			expectNftAccepts(out.text);
			const again = runPasses(out.ruleset, MERGING);
			expect(again.changes).toEqual([]);
			if (out.changes.length === 0) return;
			const v = verifyOrRefused(text, out.text, f, family);
			if (v !== "refused") expect(v).toBe("");
		});
	}
	it("merges something in most corpus files", () => expect(merged).toBeGreaterThan(20));
});


/** "" when equal; "refused" when the simulator does not model a construct of the input (not ours). */
function verifyOrRefused(ipt: string, nftText: string, file: string, family: { family?: "ip6" }): string {
	const v = verifyTexts(ipt, nftText, { oldFile: file, newFile: `${file}.nft`, packets: 1500, conntrack: true, ...family });
	if (v.kind !== "done") {
		for (const d of v.diagnostics) expect(["unsupported_extension", "nft_unsupported", "nft_syntax_error"]).toContain(d.code);
		// Our constructs must parse: a refusal may only name something the input itself has.
		expect(v.diagnostics.map((d) => d.message).join("\n")).not.toMatch(/vmap|concat|set|comment/);
		return "refused";
	}
	const d = v.result.differences[0];
	return d === undefined ? "" : JSON.stringify(d, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x)).slice(0, 1500);
}

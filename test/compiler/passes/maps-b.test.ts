import { describe, expect, it } from "vitest";
import { inetFold } from "../../../compiler/passes/inet-fold.js";
import { inlineChains } from "../../../compiler/passes/inline-chains.js";
import { natMap } from "../../../compiler/passes/nat-map.js";
import { MAX_DISPATCH_MAPS, numgenDispatch, numgenMatches, numgenWeights, statisticProbabilities } from "../../../compiler/passes/numgen-dispatch.js";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { compile } from "../../../compiler/index.js";
import { SHARED } from "../../helpers/paths.js";
import type { Pass } from "../../../compiler/passes/pass.js";
import { unreachableChains } from "../../../compiler/passes/unreachable-chains.js";
import { probabilityToThreshold } from "../../../compiler/lower/statistic.js";
import { verifyTexts } from "../../../compiler/verify.js";
import { describeFixture, fixtureInput, lowered, runPasses } from "./fixture.js";

const CASES: readonly { name: string; passes: readonly Pass[]; level: 1 | 2; check: (text: string, changes: readonly { pass: string; kind: string }[]) => void }[] = [
	{
		name: "numgen-dispatch",
		passes: [numgenDispatch],
		level: 1,
		check: (text, changes) => {
			// two and three arms become one vmap each; four keeps its first (1/4) rule then mod 3;
			// 0.3/0.7 has no exact numgen form and stays.
			expect(changes.filter((c) => c.pass === "numgen-dispatch")).toHaveLength(3);
			expect(text).toContain("numgen random mod 2 vmap");
			expect(text).toContain("meta random & 0x7fffffff < 536870912 jump SEP-A");
			expect(text).toContain("meta random & 0x7fffffff < 644245094 jump SEP-A");
		},
	},
	{
		name: "nat-map",
		passes: [natMap],
		level: 1,
		check: (text, changes) => {
			expect(changes.filter((c) => c.pass === "nat-map")).toHaveLength(3);
			// the repeated 8080 key keeps its first target only
			expect(text).toContain("8080 : 172.17.0.2 . 80");
			expect(text).not.toContain("172.17.0.9");
			// prefixes are not exact keys: those SNAT rules stay one by one
			expect(text).toContain("oifname \"eth0\" ip saddr 10.0.1.0/24 snat to 198.51.100.1");
		},
	},
	{
		name: "inet-fold",
		passes: [inetFold],
		level: 2,
		check: (text, changes) => {
			expect(changes.filter((c) => c.kind === "fold")).toHaveLength(2);
			expect(text).toContain("tcp dport 8080 dnat ip6 to [2001:db8::2]:80");
			expect(text).toContain("table inet filter");
			expect(text).not.toContain("table ip filter");
			expect(text).not.toContain("table ip6 filter");
			expect(text).toContain("meta nfproto ipv4 reject with icmp type port-unreachable");
		},
	},
	{
		name: "inet-fold-policy-differs",
		passes: [inetFold],
		level: 2,
		check: (text, changes) => {
			expect(changes).toHaveLength(0);
			expect(text).toContain("table ip filter");
			expect(text).toContain("table ip6 filter");
		},
	},
];

describe("maps and folding passes", () => {
	for (const c of CASES) describeFixture({ name: c.name, passes: c.passes, level: c.level, check: (out) => c.check(out.text, out.changes) });
});

describe("numgen-dispatch: exact probabilities (rational arithmetic, independent of the simulator's tolerance)", () => {
	const t = (p: number): bigint => probabilityToThreshold(p);
	it("kernel numgen weights sum to 2^32 and are floor/ceil of 2^32/N", () => {
		for (const n of [1n, 2n, 3n, 5n, 7n, 1000n]) {
			const w = numgenWeights(n);
			expect(w.reduce((a, b) => a + b, 0n)).toBe(1n << 32n);
			for (const x of w) expect(x === (1n << 32n) / n || x === (1n << 32n) / n + 1n).toBe(true);
		}
	});
	it("kube-proxy's 1/3, 1/2 chain is exactly numgen mod 3; 1/2 is exactly mod 2", () => {
		expect(numgenMatches([t(0.33333333349), t(0.5)])).toBe(true);
		expect(numgenMatches([t(0.33333333333), t(0.5)])).toBe(true);
		expect(numgenMatches([t(0.5)])).toBe(true);
		const p = statisticProbabilities([t(0.33333333349), t(0.5)]);
		expect(p.map(([n, d]) => Number(n) / Number(d))).toEqual([1431655766 / 2 ** 32, 1431655765 / 2 ** 32, 1431655765 / 2 ** 32]);
	});
	it("refuses the inexact ones: 1/4,1/3,1/2 (denominator 2^34), 0.3", () => {
		expect(numgenMatches([t(0.25), t(0.33333333349), t(0.5)])).toBe(false);
		expect(numgenMatches([t(0.3)])).toBe(false);
		// mod 3 with a threshold one off is not exact either
		expect(numgenMatches([t(0.33333333349) + 1n, t(0.5)])).toBe(false);
	});
});

describe("inline after numgen: endpoints stay chains", () => {
	it("the closing endpoint of a dispatch is not inlined into the service chain", () => {
		const { text, file } = fixtureInput("numgen-dispatch");
		const out = runPasses(lowered(text, file), [numgenDispatch, inlineChains, unreachableChains]);
		expect(out.text).toContain("numgen random mod 3 vmap { 0 : jump SEP-A, 1 : jump SEP-B, 2 : jump SEP-C }");
	});
});

describe("the verifier sees a wrong dispatch", () => {
	it("numgen mod 4 with the last endpoint twice (1/4,1/4,1/2) is not kube-proxy's 1/3 each", () => {
		const { text, file } = fixtureInput("numgen-dispatch");
		const good = runPasses(lowered(text, file), [numgenDispatch]).text;
		const bad = good.replace("numgen random mod 3 vmap { 0 : jump SEP-A, 1 : jump SEP-B, 2 : jump SEP-C }", "numgen random mod 4 vmap { 0 : jump SEP-A, 1 : jump SEP-B, 2 : jump SEP-C, 3 : jump SEP-C }");
		expect(bad).not.toBe(good);
		const v = verifyTexts(text, bad, { oldFile: file, newFile: "bad.nft" });
		expect(v.kind === "done" && !v.result.equal).toBe(true);
	});
});

describe("numgen-dispatch stays within what the kernel loads quickly", () => {
	it(`above ${MAX_DISPATCH_MAPS} dispatches in a table the statistic rules stay, with a note`, () => {
		const text = execFileSync("python3", [resolve(SHARED, "tools", "gen_kubeproxy.py"), String(MAX_DISPATCH_MAPS + 1)], { encoding: "utf8" });
		const c = compile(text, { file: "kp.rules", optimize: 1 });
		expect(c.ok).toBe(true);
		expect(c.output).not.toContain("numgen");
		expect(c.output).toContain("meta random & 0x7fffffff < 715827883");
		expect(c.diagnostics.filter((d) => d.code === "numgen_dispatch_limit")).toHaveLength(1);
	});
});

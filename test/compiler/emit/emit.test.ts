import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type * as ipt from "../../../compiler/ir/ipt.js";
import type * as nft from "../../../compiler/ir/nft.js";
import { emitJson } from "../../../compiler/emit/json.js";
import { emitText } from "../../../compiler/emit/text.js";
import { lower } from "../../../compiler/lower/index.js";
import { nftCheck } from "../../helpers/nft-check.js";
import { chain, neg, port, rule, table, v4 } from "../build.js";
import { CASES } from "../lower/cases.js";

/** All golden cases that emit something, each in its own table `cN`. */
function caseTables(): nft.Table[] {
	return CASES.filter((c) => (c.nft ?? []).length > 0 && c.kernelMissing !== true && c.jsonUnsupported !== true).map((c, i) => {
		const where = c.chain ?? "INPUT";
		const chains = [chain(where, [rule(c.rule)])];
		if (where !== "USER") chains.push(chain("USER", []));
		const t = lower({ tables: [table(c.family ?? "ip", c.table ?? "filter", chains)] }, { counters: c.counters ?? false }).ruleset
			.tables[0];
		if (t === undefined) throw new Error("no table");
		return { ...t, name: `c${i}` };
	});
}

describe("text layout", () => {
	const ruleset = lower(
		{
			tables: [
				table("ip", "filter", [
					chain(
						"INPUT",
						[
							rule({ proto: neg(6), matches: [{ kind: "tcp", dport: neg(port(22)) }], target: { kind: "accept" } }),
							rule({ src: neg(v4("10.0.0.0/8")), target: { kind: "jump", chain: "LOGDROP" } }),
						],
						"DROP",
					),
					chain("LOGDROP", [rule({ target: { kind: "drop" } })]),
				]),
				table("ip6", "nat", []),
			],
		},
		{ counters: false },
	).ruleset;

	it("looks like nft list ruleset", () => {
		expect(emitText(ruleset, { preamble: "none" })).toBe(
			[
				"table ip filter {",
				"\tchain INPUT {",
				"\t\ttype filter hook input priority filter; policy drop;",
				"\t\ttcp dport 22 accept",
				"\t\tip saddr 10.0.0.0/8 jump LOGDROP",
				"\t}",
				"",
				"\tchain FORWARD {",
				"\t\ttype filter hook forward priority filter; policy accept;",
				"\t}",
				"",
				"\tchain OUTPUT {",
				"\t\ttype filter hook output priority filter; policy accept;",
				"\t}",
				"",
				"\tchain LOGDROP {",
				"\t\tdrop",
				"\t}",
				"}",
				"",
				"table ip6 nat {",
				"\tchain PREROUTING {",
				"\t\ttype nat hook prerouting priority dstnat; policy accept;",
				"\t}",
				"",
				"\tchain INPUT {",
				"\t\ttype nat hook input priority 100; policy accept;",
				"\t}",
				"",
				"\tchain OUTPUT {",
				"\t\ttype nat hook output priority -100; policy accept;",
				"\t}",
				"",
				"\tchain POSTROUTING {",
				"\t\ttype nat hook postrouting priority srcnat; policy accept;",
				"\t}",
				"}",
				"",
			].join("\n"),
		);
	});

	it("flush preamble", () => {
		const text = emitText(ruleset, { preamble: "flush" });
		expect(text.startsWith("flush ruleset\n\ntable ip filter {")).toBe(true);
		expect(nftCheck(text)).toEqual({ ok: true, stderr: "" });
	});

	it("destroy preamble replaces only our tables and is repeatable", () => {
		const text = emitText(ruleset, { preamble: "destroy" });
		expect(text.startsWith("table ip filter\ndelete table ip filter\ntable ip6 nat\ndelete table ip6 nat\n\ntable ip filter {")).toBe(true);
		// Loading twice in one transaction exercises both "table exists" and "table missing".
		expect(nftCheck(text + text)).toEqual({ ok: true, stderr: "" });
	});

	it("is deterministic", () => {
		expect(emitText(ruleset, { preamble: "none" })).toBe(emitText(ruleset, { preamble: "none" }));
		expect(emitJson(ruleset)).toBe(emitJson(ruleset));
	});

	it("every table kind gets the right chain types and priorities (nft -c)", () => {
		const all: ipt.Table[] = [];
		for (const family of ["ip", "ip6"] as const) {
			for (const name of ["filter", "nat", "mangle", "raw", "security"] as const) all.push(table(family, name, []));
		}
		const text = emitText(lower({ tables: all }, { counters: false }).ruleset, { preamble: "none" });
		expect(text).toContain("\tchain OUTPUT {\n\t\ttype route hook output priority mangle; policy accept;");
		expect(text).toContain("type filter hook prerouting priority raw;");
		expect(text).toContain("type filter hook input priority security;");
		expect(nftCheck(text)).toEqual({ ok: true, stderr: "" });
	});
});

describe("JSON", () => {
	it("every golden case is accepted by nft -j -c", () => {
		const r = nftCheck(emitJson({ tables: caseTables() }), { json: true });
		expect(r.stderr).toBe("");
		expect(r.ok).toBe(true);
	});

	it("keeps counters beyond 2^53 exact", () => {
		const r = lower(
			{ tables: [table("ip", "filter", [chain("INPUT", [rule({ counters: { packets: 2n ** 60n + 1n, bytes: 7n }, target: { kind: "accept" } })])])] },
			{ counters: true },
		).ruleset;
		expect(emitJson(r)).toContain('{"counter":{"packets":1152921504606846977,"bytes":7}}');
		expect(emitText(r, { preamble: "none" })).toContain("counter packets 1152921504606846977 bytes 7 accept");
	});

	it("has the libnftables shape", () => {
		const out = JSON.parse(emitJson({ tables: caseTables().slice(0, 1) })) as { nftables: unknown[] };
		expect(out.nftables[0]).toEqual({ metainfo: { json_schema_version: 1 } });
		expect(out.nftables[1]).toEqual({ table: { family: "ip", name: "c0" } });
		expect(out.nftables[2]).toEqual({
			chain: { family: "ip", table: "c0", name: "INPUT", type: "filter", hook: "input", prio: 0, policy: "accept" },
		});
		expect(out.nftables.at(-1)).toEqual({ rule: { family: "ip", table: "c0", chain: "INPUT", expr: [{ accept: null }] } });
	});

	// Strongest check: the kernel's own listing of both forms must be identical. Uses two
	// throw-away network namespaces (never the machine's own ruleset).
	const haveNetns = spawnSync("ip", ["netns", "list"]).status === 0;
	it.skipIf(!haveNetns)("text and JSON load to the same ruleset (in throw-away netns)", () => {
		const tables = caseTables();
		const dir = mkdtempSync(join(tmpdir(), "ipt2nft-emit-"));
		const nsA = `ipt2nft-emit-a-${process.pid}`;
		const nsB = `ipt2nft-emit-b-${process.pid}`;
		try {
			writeFileSync(join(dir, "r.nft"), emitText({ tables }, { preamble: "none" }));
			writeFileSync(join(dir, "r.json"), emitJson({ tables }));
			for (const ns of [nsA, nsB]) expect(spawnSync("ip", ["netns", "add", ns]).status).toBe(0);
			const a = spawnSync("ip", ["netns", "exec", nsA, "nft", "-f", join(dir, "r.nft")], { encoding: "utf8" });
			const b = spawnSync("ip", ["netns", "exec", nsB, "nft", "-j", "-f", join(dir, "r.json")], { encoding: "utf8" });
			expect(a.stderr).toBe("");
			expect(b.stderr).toBe("");
			const listA = spawnSync("ip", ["netns", "exec", nsA, "nft", "list", "ruleset"], { encoding: "utf8" }).stdout;
			const listB = spawnSync("ip", ["netns", "exec", nsB, "nft", "list", "ruleset"], { encoding: "utf8" }).stdout;
			expect(listA.length).toBeGreaterThan(1000);
			// nft 1.0.6's JSON path handles set flags "dynamic"/"timeout" differently from its text
			// path (its JSON parser refuses "dynamic"; the listing then shows other flags), so set flag
			// lines made only of those two are left out of the comparison; everything else must match.
			const dropDynamic = (s: string): string => s.replace(/^\t+flags (?:dynamic|timeout)(?:,(?:dynamic|timeout))?\n/gm, "");
			expect(dropDynamic(listB)).toBe(dropDynamic(listA));
		} finally {
			for (const ns of [nsA, nsB]) spawnSync("ip", ["netns", "del", ns]);
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe("injection: input strings never change the structure of the output", () => {
	// Characters that would matter to nft's lexer or to line structure.
	const nasty = fc.string({
		unit: fc.constantFrom('"', "\\", "\n", ";", "{", "}", "#", "$", "*", "'", " ", "a", "é", "\t", "@", "\r"),
		minLength: 1,
		maxLength: 20,
	});

	it("comments, log prefixes and interface names: escaped safely or refused", () => {
		const samples = fc.sample(fc.tuple(nasty, nasty, nasty), { numRuns: 60, seed: 42 });
		const tables: nft.Table[] = [];
		samples.forEach(([comment, prefix, iface], i) => {
			const r = rule({
				iif: neg({ name: iface.slice(0, 15), wildcard: false }),
				matches: [{ kind: "comment", text: comment }],
				target: { kind: "log", level: 4, prefix, tcpSequence: false, tcpOptions: false, ipOptions: false, uid: false, macDecode: false },
			});
			const out = lower({ tables: [table("ip", "filter", [chain("INPUT", [r])])] }, { counters: false });
			const t = out.ruleset.tables[0];
			if (t === undefined) throw new Error("no table");
			const rules = t.chains.find((c) => c.name === "INPUT")?.rules ?? [];
			if (rules.length === 0) {
				expect(out.diagnostics.map((d) => d.code)).toContain("unsafe_string");
				return;
			}
			const text = emitText({ tables: [t] }, { preamble: "none" });
			// Exactly one rule line after the base chain line: nothing leaked into the structure.
			const body = text.split("\n").filter((l) => l.startsWith("\t\t") && !l.startsWith("\t\ttype "));
			expect(body).toHaveLength(1);
			tables.push({ ...t, name: `inj${i}` });
		});
		expect(tables.length).toBeGreaterThan(0);
		const r = nftCheck(emitText({ tables }, { preamble: "none" }));
		expect(r.stderr).toBe("");
	});
});

describe("performance", () => {
	it("emits 100k rules well under a second", () => {
		const rules: ipt.Rule[] = [];
		for (let i = 0; i < 100_000; i++) {
			rules.push(
				rule({
					src: neg(v4(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`)),
					proto: neg(6),
					matches: [
						{ kind: "tcp", dport: neg(port(1 + (i % 60000))) },
						{ kind: "comment", text: `svc ${i}` },
					],
					target: { kind: "jump", chain: "SVC" },
				}),
			);
		}
		const ipt: ipt.Ruleset = {
			tables: [table("ip", "nat", [chain("PREROUTING", rules.slice(0, 50_000)), chain("SVC", rules.slice(50_000))])],
		};
		const t0 = performance.now();
		const lowered = lower(ipt, { counters: false });
		const t1 = performance.now();
		const text = emitText(lowered.ruleset, { preamble: "none" });
		const t2 = performance.now();
		const json = emitJson(lowered.ruleset);
		const t3 = performance.now();
		expect(json.length).toBeGreaterThan(text.length);
		console.log(
			`100k rules: lower ${(t1 - t0).toFixed(0)} ms, emitText ${(t2 - t1).toFixed(0)} ms (${(text.length / 1e6).toFixed(1)} MB), emitJson ${(t3 - t2).toFixed(0)} ms`,
		);
		expect(text.split("\n").filter((l) => l.includes("jump SVC"))).toHaveLength(100_000);
		expect(t2 - t1).toBeLessThan(2000); // generous bound for a shared 2-core machine; typical figure is logged
	});
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../compiler/index.js";
import { cli } from "../helpers/cli.js";
import { nftCheck } from "../helpers/nft-check.js";
import { CORPUS_REAL, EXAMPLES } from "../helpers/paths.js";

const tmp = mkdtempSync(join(tmpdir(), "ipt2nft-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("translate: the seed's docker rulesets", () => {
	for (const name of ["docker-default.dump", "docker-caddy.dump"]) {
		it(`${name} translates fully and passes nft -c`, () => {
			const r = cli(["translate", join(EXAMPLES, name)]);
			expect(r.stderr).toBe("");
			expect(r.code).toBe(0);
			expect(r.stdout).toContain("table ip nat");
			expect(r.stdout).toContain("table ip filter");
			const check = nftCheck(r.stdout);
			expect(check.stderr).toBe("");
			expect(check.ok).toBe(true);
		});
	}

	it("keeps the published port's DNAT with an explicit l4 protocol", () => {
		const r = cli(["translate", join(EXAMPLES, "docker-caddy.dump")]);
		const dnat = r.stdout.split("\n").find((l) => l.includes("dnat"));
		expect(dnat).toBeDefined();
		expect(dnat).toMatch(/tcp dport 8081/);
		expect(dnat).toMatch(/dnat to 172\.18\.0\.2:80/);
	});

	it("is byte-identical across runs and -o writes the same bytes", () => {
		const out = join(tmp, "caddy.nft");
		const a = cli(["translate", join(EXAMPLES, "docker-caddy.dump")]);
		const b = cli(["translate", join(EXAMPLES, "docker-caddy.dump"), "-o", out]);
		expect(b.stdout).toBe("");
		expect(readFileSync(out, "utf8")).toBe(a.stdout);
	});
});

describe("translate: every real corpus ruleset", () => {
	const files = readdirSync(CORPUS_REAL)
		.filter((f) => f.endsWith(".rules") || f.endsWith(".sh"))
		.sort();
	const tally = { full: 0, partial: 0, failed: 0 };
	const rows: string[] = [];

	for (const f of files) {
		it(f, () => {
			const text = readFileSync(join(CORPUS_REAL, f), "utf8");
			const r = compile(text, { file: f, ...(f.includes(".v6.") ? { family: "ip6" as const } : {}) });
			const errors = r.diagnostics.filter((d) => d.severity === "error");
			// Every error is coded and positioned: nothing is lost silently.
			for (const d of errors) {
				expect(d.code).toMatch(/^[a-z0-9_]+$/);
				expect(d.span?.line).toBeGreaterThan(0);
			}
			if (f.includes("INVALID")) {
				expect(r.ok).toBe(false);
				expect(errors.length).toBeGreaterThan(0);
			}
			const check = nftCheck(r.output);
			// The output always loads, also when some rules were left out (and reported).
			expect(check.stderr).toBe("");
			expect(check.ok).toBe(true);
			if (r.ok) {
				expect(r.stats.rulesOut).toBeGreaterThan(0);
				tally.full++;
			} else if (r.stats.rulesOut > 0) tally.partial++;
			else tally.failed++;
			const codes = [...new Set(errors.map((d) => d.code))].join(",");
			rows.push(`${r.ok ? "full   " : r.stats.rulesOut > 0 ? "partial" : "failed "} ${f} in=${r.stats.rulesIn} out=${r.stats.rulesOut} untranslated=${r.stats.rulesFailed} ${codes}`);
		});
	}

	afterAll(() => {
		const n = files.length;
		console.log(`corpus tally: ${tally.full}/${n} fully translated, ${tally.partial} partially, ${tally.failed} failed\n${rows.sort().join("\n")}`);
	});
});

describe("translate: exit codes and bad input", () => {
	const cases: readonly { name: string; text: string; code: string }[] = [
		{ name: "empty", text: "", code: "empty_input" },
		{ name: "binary", text: "\u0000\u0001\u0002ELF\u0000\u00ff", code: "binary_input" },
		{ name: "missing COMMIT", text: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\n", code: "missing_commit" },
		{ name: "undeclared chain", text: "*filter\n:INPUT ACCEPT [0:0]\n-A NOPE -j ACCEPT\nCOMMIT\n", code: "chain_not_declared" },
		{ name: "missing jump target", text: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j NOPE\nCOMMIT\n", code: "jump_target_missing" },
		{ name: "bad address", text: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 1.2.3.256 -j ACCEPT\nCOMMIT\n", code: "invalid_address" },
		{ name: "bad prefix", text: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 1.2.3.0/33 -j ACCEPT\nCOMMIT\n", code: "invalid_address" },
		{ name: "bad port", text: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 70000 -j ACCEPT\nCOMMIT\n", code: "invalid_port" },
		{ name: "unknown option", text: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dprot 22 -j ACCEPT\nCOMMIT\n", code: "unknown_option" },
		{ name: "truncated rule", text: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport\nCOMMIT\n", code: "missing_argument" },
		{ name: "match not loaded", text: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT --ctstate NEW -j ACCEPT\nCOMMIT\n", code: "match_not_loaded" },
		{ name: "unsupported extension", text: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m foobar --baz 1 -j ACCEPT\nCOMMIT\n", code: "unsupported_extension" },
	];
	for (const c of cases) {
		it(`${c.name} → exit 2 with ${c.code}`, () => {
			const r = cli(["translate", "-"], c.text);
			expect(r.code).toBe(2);
			expect(r.stderr).toContain(`error[${c.code}]`);
			// Positioned (file:line:col) whenever the input has lines, and never a stack trace.
			if (c.text.includes("\n")) expect(r.stderr).toMatch(/<stdin>:\d+:\d+: error/);
			expect(r.stderr).not.toMatch(/\n\s+at /);
		});
	}

	it("suggests the option that was probably meant", () => {
		const r = cli(["translate", "-"], cases.find((c) => c.name === "unknown option")!.text);
		expect(r.stderr).toContain("--dport");
	});

	it("a missing file is an input error, not a crash", () => {
		const r = cli(["translate", join(tmp, "does-not-exist.rules")]);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain("ENOENT");
	});

	it("untranslated rules are listed on stderr and never as silent comments", () => {
		const text = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -m foobar --baz 1 -j DROP\nCOMMIT\n";
		const r = cli(["translate", "-"], text);
		expect(r.code).toBe(2);
		expect(r.stdout).toContain("tcp dport 22");
		expect(r.stdout).not.toContain("foobar");
		expect(r.stderr).toMatch(/<stdin>:4:\d+: error\[unsupported_extension\]/);
		expect(nftCheck(r.stdout).ok).toBe(true);
	});

	it("--preamble flush makes the output replace the host's ruleset", () => {
		const r = cli(["translate", "--preamble", "flush", join(EXAMPLES, "docker-default.dump")]);
		expect(r.code).toBe(0);
		expect(r.stdout.startsWith("flush ruleset\n")).toBe(true);
		expect(nftCheck(r.stdout).ok).toBe(true);
	});

	it("--format json emits what nft -j accepts", () => {
		const r = cli(["translate", "--format", "json", join(EXAMPLES, "docker-caddy.dump")]);
		expect(r.code).toBe(0);
		const parsed: unknown = JSON.parse(r.stdout);
		expect(parsed).toHaveProperty("nftables");
		const p = join(tmp, "caddy.json");
		writeFileSync(p, r.stdout);
		expect(nftCheck(r.stdout, { json: true }).ok).toBe(true);
	});
});

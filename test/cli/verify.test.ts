import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../compiler/index.js";
import { verifyTexts } from "../../compiler/verify.js";
import { cli } from "../helpers/cli.js";
import { CORPUS_REAL, EXAMPLES, SHARED } from "../helpers/paths.js";

const PACKETS = 3000;

function famOf(f: string): { family?: "ip6" } {
	return f.includes(".v6.") ? { family: "ip6" } : {};
}

describe("verify: translations decide every packet like their input", () => {
	for (const name of ["docker-default.dump", "docker-caddy.dump"]) {
		it(`seed ${name}: translate then verify → equal (exit 0)`, () => {
			const out = cli(["translate", join(EXAMPLES, name)]);
			expect(out.code).toBe(0);
			const res = verifyTexts(readFileSync(join(EXAMPLES, name), "utf8"), out.stdout, { oldFile: name, newFile: "out.nft", packets: PACKETS });
			expect(res.kind).toBe("done");
			if (res.kind === "done") {
				expect(res.result.differences.map((d) => d.scenario.id)).toEqual([]);
				expect(res.result.equal).toBe(true);
				expect(res.result.checked).toBeGreaterThan(1000);
			}
		});
	}

	const files = readdirSync(CORPUS_REAL).filter((f) => /\.(rules|sh)$/.test(f)).sort();
	const tally = { equal: 0, refused: 0, different: 0, untranslated: 0 };
	const refusedRows: string[] = [];
	for (const f of files) {
		it(`corpus ${f}`, () => {
			const text = readFileSync(join(CORPUS_REAL, f), "utf8");
			const c = compile(text, { file: f, ...famOf(f) });
			if (!c.ok) {
				tally.untranslated++;
				return;
			}
			const res = verifyTexts(text, c.output, { oldFile: f, newFile: "out.nft", packets: PACKETS, ...famOf(f) });
			if (res.kind === "input-error") {
				// Refusal is allowed only for constructs the simulator says it does not model, each coded.
				for (const d of res.diagnostics) expect(["unsupported_extension", "nft_unsupported", "nft_syntax_error"]).toContain(d.code);
				tally.refused++;
				refusedRows.push(`${f}: ${[...new Set(res.diagnostics.map((d) => d.message))].slice(0, 2).join("; ")}`);
				return;
			}
			expect(res.result.differences.map((d) => d.scenario.id)).toEqual([]);
			expect(res.result.equal).toBe(true);
			tally.equal++;
		});
	}
	afterAll(() => {
		console.log(
			`verify tally: ${tally.equal} equal, ${tally.different} different, ${tally.refused} refused (simulator gaps), ${tally.untranslated} not fully translated\n${refusedRows.join("\n")}`,
		);
	});
});

describe("verify: kube-proxy (statistic load balancing compared as exact distributions)", () => {
	const text = execFileSync("python3", [join(SHARED, "tools", "gen_kubeproxy.py"), "100"], { encoding: "utf8" });
	const out = compile(text, { file: "kp100.rules" });

	it("translates fully and verifies equal", () => {
		expect(out.ok).toBe(true);
		const res = verifyTexts(text, out.output, { oldFile: "kp100.rules", newFile: "kp100.nft" });
		expect(res.kind).toBe("done");
		if (res.kind === "done") expect(res.result.differences.map((d) => d.scenario.id)).toEqual([]);
	});

	it("catches one endpoint's probability changed from 1/2 to 2/5 (-O0: statistic as meta random)", () => {
		const o0 = compile(text, { file: "kp100.rules", optimize: 0 });
		const mutant = o0.output.replace(/meta random & 0x7fffffff < 1073741824 /, "meta random & 0x7fffffff < 858993459 ");
		expect(mutant).not.toBe(o0.output);
		expect(verifyTexts(text, o0.output, { oldFile: "kp100.rules", newFile: "kp100.O0.nft" }).kind).toBe("done");
		const res = verifyTexts(text, mutant, { oldFile: "kp100.rules", newFile: "mutant.nft" });
		expect(res.kind === "done" && !res.result.equal).toBe(true);
	});

	it("catches a numgen dispatch that weighs endpoints 1/2, 1/4, 1/4 instead of 1/3 each (-O1)", () => {
		const mutant = out.output.replace(/numgen random mod 3 vmap \{ 0 : (jump \S+), 1 : (jump \S+), 2 : (jump \S+) \}/, "numgen random mod 4 vmap { 0-1 : $1, 2 : $2, 3 : $3 }");
		expect(mutant).not.toBe(out.output);
		const res = verifyTexts(text, mutant, { oldFile: "kp100.rules", newFile: "mutant.nft" });
		expect(res.kind === "done" && !res.result.equal).toBe(true);
	});
});

describe("verify: the CLI", () => {
	it("exit 1 and a rule trace on both sides when one rule's verdict is flipped", () => {
		const name = "docker-caddy.dump";
		const out = cli(["translate", join(EXAMPLES, name)]).stdout;
		const flipped = out.replace(/(ip daddr 172\.18\.0\.2 tcp dport 80) accept/, "$1 drop");
		expect(flipped).not.toBe(out);
		const res = verifyTexts(readFileSync(join(EXAMPLES, name), "utf8"), flipped, { oldFile: name, newFile: "mutant.nft", packets: PACKETS });
		expect(res.kind).toBe("done");
		if (res.kind !== "done") return;
		expect(res.result.equal).toBe(false);
		const d = res.result.differences[0]!;
		// The packet is the published port's traffic after DNAT: forwarded on the iptables side.
		expect(d.scenario.pkt.proto).toBe(6);
	});

	it("--stats: kube-proxy's linear KUBE-SERVICES walk against one vmap lookup", () => {
		const dir = mkdtempSync(join(tmpdir(), "ipt2nft-stats-"));
		try {
			const rules = execFileSync("python3", [join(SHARED, "tools", "gen_kubeproxy.py"), "200"], { encoding: "utf8" });
			writeFileSync(join(dir, "kp.rules"), rules);
			writeFileSync(join(dir, "kp.nft"), compile(rules, { file: "kp.rules" }).output);
			const r = cli(["verify", "--stats", "--packets", "2000", join(dir, "kp.rules"), join(dir, "kp.nft")]);
			expect(r.code).toBe(0);
			const mean = (side: string): number => Number(new RegExp(`^${side}: ([0-9.]+) rules examined per packet`, "m").exec(r.stdout)?.[1]);
			// 200 services: the iptables side walks KUBE-SERVICES rule by rule, nft does one lookup.
			expect(mean("old")).toBeGreaterThan(10 * mean("new"));
			expect(mean("new")).toBeGreaterThan(0);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it("refuses nft text it cannot parse with a coded, positioned error (exit 2)", () => {
		const r = cli(["verify", join(EXAMPLES, "docker-default.dump"), join(EXAMPLES, "docker-default.dump")]);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/error\[nft_syntax_error\]/);
	});
});

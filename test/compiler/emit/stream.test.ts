import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, type CompileOptions } from "../../../compiler/index.js";
import { emitText } from "../../../compiler/emit/text.js";
import { cli } from "../../helpers/cli.js";
import { CORPUS_REAL as REAL, SHARED } from "../../helpers/paths.js";

/** kube-proxy shaped: big enough that the output is handed on in several pieces (text and JSON). */
const KUBE = execFileSync("python3", [join(SHARED, "tools", "gen_kubeproxy.py"), "600"], { encoding: "utf8" });

/** compile() with `write`: the pieces, and what it returned. */
function pieces(text: string, opts: CompileOptions): { chunks: string[]; output: string } {
	const chunks: string[] = [];
	const r = compile(text, { ...opts, write: (s) => chunks.push(s) });
	return { chunks, output: r.output };
}

describe("streamed output (compile with write)", () => {
	const inputs: [string, string][] = [
		["kube-proxy 600", KUBE],
		...readdirSync(REAL)
			.filter((f) => f.endsWith(".rules"))
			.slice(0, 12)
			.map((f): [string, string] => [f, readFileSync(join(REAL, f), "utf8")]),
	];
	for (const [name, text] of inputs)
		it(`${name}: the pieces make exactly the whole output, text and JSON, at -O0..2`, () => {
			for (const optimize of [0, 1, 2] as const)
				for (const outputFormat of ["text", "json"] as const) {
					const opts: CompileOptions = { file: name, optimize, outputFormat, preamble: "flush" };
					const whole = compile(text, opts).output;
					const s = pieces(text, opts);
					expect(s.output).toBe("");
					expect(s.chunks.join("")).toBe(whole);
				}
		});

	it("a large ruleset really is handed on in several pieces, each ending a line", () => {
		for (const outputFormat of ["text", "json"] as const) {
			const s = pieces(KUBE, { file: "kp", optimize: 0, outputFormat });
			expect(s.chunks.length).toBeGreaterThan(1);
			if (outputFormat === "text") for (const c of s.chunks) expect(c.endsWith("\n")).toBe(true);
			else expect(JSON.parse(s.chunks.join(""))).toHaveProperty("nftables");
		}
	});

	it("recordChanges: false keeps no change records and changes nothing else", () => {
		const all = compile(KUBE, { file: "kp", optimize: 2 });
		const lean = compile(KUBE, { file: "kp", optimize: 2, recordChanges: false });
		expect(all.changes.length).toBeGreaterThan(0);
		expect(lean.changes).toEqual([]);
		expect(lean.output).toBe(all.output);
		expect(lean.stats).toEqual(all.stats);
		expect(emitText(lean.nft, { preamble: "none" })).toBe(emitText(all.nft, { preamble: "none" }));
	});

	it("the CLI streams to stdout the same text it prints with --explain (which keeps it whole)", () => {
		const streamed = cli(["translate", "-O2", "-"], KUBE);
		const whole = cli(["translate", "-O2", "--explain", "-"], KUBE);
		expect(streamed.code).toBe(0);
		expect(whole.code).toBe(0);
		expect(streamed.stdout).toBe(whole.stdout);
		expect(whole.stderr).toContain("[inline-chains]");
		expect(streamed.stderr).not.toContain("[inline-chains]");
	});
});

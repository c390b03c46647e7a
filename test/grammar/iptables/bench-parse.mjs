#!/usr/bin/env node
/**
 * Parser benchmark (not a timed test): kube-proxy-sized iptables-save input from
 * shared/tools/gen_kubeproxy.py, parsed with parseIptables().
 *
 *   node test/grammar/iptables/bench-parse.mjs [services=10000] [runs=3]
 *
 * Compiles the project with tsc into a temporary directory first. Prints wall and CPU time per
 * run (the first run is the cold one the CLI pays) and peak RSS.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "../../..");
const shared = path.resolve(root, "..", "shared");
const services = process.argv[2] ?? "10000";
const runs = Number(process.argv[3] ?? "3");

const out = fs.mkdtempSync(path.join(os.tmpdir(), "ipt2nft-bench-"));
const tsconfig = path.join(out, "tsconfig.json");
fs.writeFileSync(
	tsconfig,
	JSON.stringify({
		extends: path.join(root, "tsconfig.json"),
		compilerOptions: { outDir: path.join(out, "build"), rootDir: root, sourceMap: false, noEmitOnError: false, typeRoots: [path.join(root, "node_modules", "@types")] },
		include: [path.join(root, "grammar/iptables/**/*.ts"), path.join(root, "compiler/ir/*.ts")],
	}),
);
try {
	execFileSync(path.join(root, "node_modules", ".bin", "tsc"), ["-p", tsconfig], { stdio: "inherit" });
} catch {
	// Type errors elsewhere in the tree do not stop the emit.
}
fs.writeFileSync(path.join(out, "build", "package.json"), '{"type":"module"}');
fs.symlinkSync(path.join(root, "node_modules"), path.join(out, "build", "node_modules"));

const text = execFileSync("python3", [path.join(shared, "tools", "gen_kubeproxy.py"), services], { maxBuffer: 1 << 30, encoding: "utf8" });
const { parseIptables } = await import(pathToFileURL(path.join(out, "build", "grammar", "iptables", "index.js")).href);
const lines = text.split("\n").length - 1;
for (let i = 0; i < runs; i++) {
	const c0 = process.cpuUsage();
	const t0 = performance.now();
	const r = parseIptables(text, { file: "kubeproxy.rules" });
	const ms = performance.now() - t0;
	const cpu = process.cpuUsage(c0);
	let rules = 0;
	for (const t of r.ruleset.tables) for (const c of t.chains) rules += c.rules.length;
	console.log(`run ${i + 1}: ${lines} lines, ${rules} rules, ${r.diagnostics.length} diagnostics: ${ms.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms cpu`);
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
fs.rmSync(out, { recursive: true, force: true });

#!/usr/bin/env node
// Benchmark (not a test): rule counts after merging, ours next to `nft -o -c` (nftables' own
// optimiser, src/optimize.c) run on our -O0 output. For every corpus file that translates fully:
// input rules, our -O0 rules, what nft -o would leave, our -O1 rules. Issue 5 asks ours <= nft -o.
// nft -o -c prints each merge as "Merging:" + one line per merged rule + "into:"; the rules it
// would leave are rules - (merged rules - merges). nft 1.0.6's optimiser crashes (SIGSEGV, or an
// assertion in __merge_concat_stmts) on some chains, so it runs once per chain (the other chains
// kept, empty, so jumps resolve); merges it printed before crashing are counted, and the chains
// where it crashed are listed.
// Usage: npm run build && node bench/optimise.mjs [--kp N ...]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../dist/compiler/index.js";
import { emitText } from "../dist/compiler/emit/text.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const shared = resolve(root, "..", "shared");
const corpus = join(shared, "corpus", "real");
const tmp = mkdtempSync(join(tmpdir(), "ipt2nft-bench-opt-"));

function countMerges(out) {
	let merges = 0;
	let merged = 0;
	let inBlock = false;
	for (const line of out.split("\n")) {
		if (line.includes("Merging:")) {
			merges++;
			inBlock = true;
		} else if (line.startsWith("into:")) inBlock = false;
		else if (inBlock && /^\S+:\d+:\d+-\d+: /.test(line)) merged++;
	}
	return merged - merges;
}

/** Rules nft -o would leave, chain by chain; `crashed`: chains where nft -o died. */
function nftOptimised(ruleset, rules) {
	const file = join(tmp, "chain.nft");
	let saved = 0;
	const crashed = [];
	for (const t of ruleset.tables) {
		for (const c of t.chains) {
			if (c.rules.length < 2) continue;
			const only = { ...t, chains: t.chains.map((x) => (x === c ? x : { ...x, rules: [] })) };
			writeFileSync(file, emitText({ tables: [only] }, { preamble: "none" }));
			const r = spawnSync("nft", ["-o", "-c", "-f", file], { encoding: "utf8", maxBuffer: 1 << 30 });
			saved += countMerges(`${r.stdout}\n${r.stderr}`);
			if (r.status !== 0) crashed.push(`${t.name}/${c.name}${r.signal ? ` (${r.signal})` : ""}`);
		}
	}
	return { rules: rules - saved, crashed };
}

const rows = [];
const inputs = readdirSync(corpus)
	.filter((f) => /\.(rules|sh)$/.test(f))
	.sort()
	.map((f) => ({ name: f, text: readFileSync(join(corpus, f), "utf8"), family: f.includes(".v6.") ? "ip6" : undefined }));
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
	if (args[i] === "--kp") {
		const n = args[++i];
		inputs.push({ name: `kp${n}`, text: execFileSync("python3", [join(shared, "tools", "gen_kubeproxy.py"), n], { encoding: "utf8", maxBuffer: 1 << 30 }) });
	}
}
console.log("| file | input rules | ours -O0 | nft -o on -O0 | ours -O1 | ours <= nft -o |");
console.log("| --- | --- | --- | --- | --- | --- |");
let worse = 0;
const crashes = [];
for (const { name, text, family } of inputs) {
	const opts = { file: name, ...(family ? { family } : {}) };
	const o0 = compile(text, { ...opts, optimize: 0 });
	if (!o0.ok) continue;
	const o1 = compile(text, { ...opts, optimize: 1 });
	const n = nftOptimised(o0.nft, o0.stats.rulesOut);
	if (n.crashed.length > 0) crashes.push(`${name}: ${n.crashed.join(", ")}`);
	const ok = o1.stats.rulesOut <= n.rules;
	if (!ok) worse++;
	rows.push(name);
	console.log(`| ${name} | ${o0.stats.rulesIn} | ${o0.stats.rulesOut} | ${n.rules}${n.crashed.length > 0 ? " (crashed)" : ""} | ${o1.stats.rulesOut} | ${ok ? "yes" : "**no**"} |`);
}
console.log(`\n${rows.length} files; ours worse than nft -o on ${worse}`);
if (crashes.length > 0) console.log(`nft -o crashed on (merges printed before the crash counted):\n${crashes.join("\n")}`);
rmSync(tmp, { recursive: true, force: true });

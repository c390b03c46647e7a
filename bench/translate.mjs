#!/usr/bin/env node
// Benchmark (not a test): translate kube-proxy-shaped rulesets with ipt2nft next to the C anchor
// `iptables-restore-translate -f`, in one run, and report wall time, CPU time (user + sys: the
// machine's cores are shared, so wall time is noisy), the ratios and peak RSS, per -O level.
// Usage: npm run build && node bench/translate.mjs [N ...]   (default: 1000 10000)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const shared = resolve(root, "..", "shared");
const out = join(root, "bench", "out");
mkdirSync(out, { recursive: true });
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const RUNS = 3;

function timed(cmd, args) {
	// /usr/bin/time -v reports peak RSS ("Maximum resident set size (kbytes)").
	const t0 = process.hrtime.bigint();
	const r = spawnSync("/usr/bin/time", ["-v", cmd, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
	const secs = (what) => Number(new RegExp(`${what} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr)?.[1] ?? NaN);
	const cpu = (secs("User") + secs("System")) * 1000;
	return { ms, cpu, rss, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function median(xs) {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

console.log(
	"| services | lines | -O | anchor wall ms (median of 3) | ipt2nft wall ms | ratio | anchor CPU ms | ipt2nft CPU ms | CPU ratio | ipt2nft peak RSS MB | anchor RSS MB | exit |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
for (const n of sizes.length ? sizes : [1000, 10000]) {
	const file = join(out, `kp${n}.rules`);
	const text = execFileSync("python3", [join(shared, "tools", "gen_kubeproxy.py"), String(n)], { encoding: "utf8", maxBuffer: 1 << 30 });
	writeFileSync(file, text);
	const lines = text.split("\n").length - 1;
	for (const level of ["0", "1", "2"]) {
		const anchor = [];
		const ours = [];
		let last;
		for (let i = 0; i < RUNS; i++) {
			anchor.push(timed("iptables-restore-translate", ["-f", file]));
			last = timed("node", [join(root, "dist", "cli", "main.js"), "translate", `-O${level}`, file, "-o", join(out, `kp${n}.O${level}.nft`)]);
			ours.push(last);
		}
		const a = median(anchor.map((r) => r.ms));
		const o = median(ours.map((r) => r.ms));
		const ac = median(anchor.map((r) => r.cpu));
		const oc = median(ours.map((r) => r.cpu));
		const rss = Math.max(...ours.map((r) => r.rss));
		const arss = Math.max(...anchor.map((r) => r.rss));
		console.log(
			`| ${n} | ${lines} | ${level} | ${a.toFixed(0)} | ${o.toFixed(0)} | ${(o / a).toFixed(2)}x | ${ac.toFixed(0)} | ${oc.toFixed(0)} | ${(oc / ac).toFixed(2)}x | ${rss.toFixed(0)} | ${arss.toFixed(0)} | ${last.status} |`,
		);
		if (last.status !== 0) console.log(last.stderr.split("\n").slice(0, 10).join("\n"));
	}
}

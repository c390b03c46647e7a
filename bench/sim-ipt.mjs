#!/usr/bin/env node
// Benchmark (not a test): iptables evaluator speed on a kube-proxy-shaped ruleset, per hook
// (base-chain runs per second, tracing off), and verify() throughput (ruleset vs itself).
// Usage: npm run build && node bench/sim-ipt.mjs [SERVICES]   (default 1000)
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = resolve(root, "dist");
const { parseIptables } = await import(`${dist}/grammar/iptables/index.js`);
const { iptSide } = await import(`${dist}/compiler/sim/ipt/side.js`);
const { iptBoundaryValues, iptHostHints } = await import(`${dist}/compiler/sim/ipt/boundary.js`);
const { defaultHost, HostTables } = await import(`${dist}/compiler/sim/host.js`);
const { generateCorpus } = await import(`${dist}/compiler/sim/corpus.js`);
const { clonePacket } = await import(`${dist}/compiler/sim/packet.js`);
const { verify } = await import(`${dist}/compiler/sim/verify.js`);

const n = process.argv[2] ?? "1000";
const text = execFileSync("python3", [resolve(root, "..", "shared", "tools", "gen_kubeproxy.py"), n], { encoding: "utf8", maxBuffer: 1 << 30 });
const rs = parseIptables(text, { file: "kube.rules" }).ruleset;
let t = performance.now();
const side = iptSide(rs);
console.log(`compile: ${(performance.now() - t).toFixed(0)} ms`);
const host = defaultHost(iptHostHints(rs));
const bv = iptBoundaryValues(rs);
const corpus = generateCorpus(bv, { packets: 20000, seed: 1, host });
const tables = new HostTables(host);
let k = 0;
const ctx = { host, hook: "prerouting", choose: () => (k++ & 1) === 0, trace() {}, log() {}, nat() {}, addrType: (f, a, d) => tables.addrType(f, a, d) };
for (const hook of ["prerouting", "input", "forward", "output", "postrouting"]) {
	const chains = side.baseChains(hook, 4);
	const pkts = corpus.scenarios.map((s) => clonePacket(s.pkt));
	t = performance.now();
	let v = 0;
	for (let rep = 0; rep < 3; rep++) for (const p of pkts) for (const c of chains) (c.run(p, ctx), v++);
	console.log(`${hook.padEnd(12)} ${chains.map((c) => c.label).join(", ").padEnd(40)} ${Math.round((v / (performance.now() - t)) * 1000)} verdicts/s`);
}
const vc = generateCorpus(bv, { packets: 40000, seed: 1, host });
t = performance.now();
const r = verify(side, iptSide(rs, { name: "copy" }), vc, host);
console.log(`verify: ${r.packets} packets (${r.checked} scenarios) x 2 sides in ${(performance.now() - t).toFixed(0)} ms, equal=${r.equal}`);

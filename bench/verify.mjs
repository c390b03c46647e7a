#!/usr/bin/env node
// Benchmark (not a test): packet verdicts per second of each simulator side on a kube-proxy
// ruleset (iptables evaluator over the parsed input; nft evaluator over the emitted text), rule
// evaluations per packet (the kernel's linear count, EvalContext.countRules), and verifyTexts()
// time for the ruleset against its translation.
// Usage: npm run build && node bench/verify.mjs [SERVICES=1000] [PACKETS=100000] [OPT=1]
// A "verdict" is one base-chain run on one packet (tracing off), over every hook's base chains.
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = resolve(root, "dist");
const { parseIptables } = await import(`${dist}/grammar/iptables/index.js`);
const { parseNft } = await import(`${dist}/grammar/nft/index.js`);
const { compile } = await import(`${dist}/compiler/index.js`);
const { verifyTexts } = await import(`${dist}/compiler/verify.js`);
const { iptSide, iptBoundaryValues, iptHostHints } = await import(`${dist}/compiler/sim/ipt/index.js`);
const { nftSide, nftBoundaryValues } = await import(`${dist}/compiler/sim/nft/index.js`);
const { mergeBoundary } = await import(`${dist}/compiler/sim/boundary.js`);
const { defaultHost, HostTables } = await import(`${dist}/compiler/sim/host.js`);
const { generateCorpus } = await import(`${dist}/compiler/sim/corpus.js`);
const { clonePacket } = await import(`${dist}/compiler/sim/packet.js`);
const { simulator, RuleStats } = await import(`${dist}/compiler/sim/verify.js`);

const services = process.argv[2] ?? "1000";
const packets = Number(process.argv[3] ?? "100000");
const opt = Number(process.argv[4] ?? "1");
const text = execFileSync("python3", [resolve(root, "..", "shared", "tools", "gen_kubeproxy.py"), services], { encoding: "utf8", maxBuffer: 1 << 30 });
const ms = (t) => (performance.now() - t).toFixed(0);
// CPU time of this process (ms): the machine is shared, so rates are per CPU-second, not wall time.
const cpu = () => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
};

let t = performance.now();
const c = compile(text, { file: "kube.rules", optimize: opt });
console.log(`kp${services}: compile -O${opt} ${ms(t)} ms, ${c.stats.rulesIn} rules in, ${c.stats.rulesOut} out, ok=${c.ok}`);
const rs = parseIptables(text, { file: "kube.rules" }).ruleset;
const ast = parseNft(c.output, "kube.nft").ast;
t = performance.now();
const sides = { iptables: iptSide(rs), nft: nftSide(ast) };
console.log(`sides built in ${ms(t)} ms`);
const hints = iptHostHints(rs);
const nbv = nftBoundaryValues(ast);
const host = defaultHost({ ifaces: [...new Set([...hints.ifaces, ...nbv.ifaces])], addrs: hints.addrs });
const corpus = generateCorpus(mergeBoundary(iptBoundaryValues(rs), nbv), { packets: 20000, seed: 1, host, flowShare: 0 });
const tables = new HostTables(host);

for (const [name, side] of Object.entries(sides)) {
	let k = 0;
	let rules = 0;
	let runs = 0;
	let max = 0;
	const ctx = {
		host,
		hook: "prerouting",
		tracing: false,
		choose: () => (k++ & 1) === 0,
		trace() {},
		log() {},
		nat() {},
		countRules(n) {
			rules += n;
			runs++;
			if (n > max) max = n;
		},
		addrType: (f, a, d) => tables.addrType(f, a, d),
	};
	let total = 0;
	let totalMs = 0;
	const rows = [];
	for (const hook of ["prerouting", "input", "forward", "output", "postrouting"]) {
		const chains = side.baseChains(hook, 4);
		if (chains.length === 0) continue;
		// Fresh copies per repetition (targets such as MARK change the packet), made outside the clock.
		const reps = Array.from({ length: 9 }, () => corpus.scenarios.map((s) => clonePacket(s.pkt)));
		ctx.hook = hook;
		for (const p of reps[0]) for (const ch of chains) ch.run(p, ctx); // warm-up (JIT)
		const r0 = rules, n0 = runs;
		t = cpu();
		let v = 0;
		for (let rep = 1; rep < reps.length; rep++) for (const p of reps[rep]) for (const ch of chains) (ch.run(p, ctx), v++);
		const dt = cpu() - t;
		total += v;
		totalMs += dt;
		rows.push(`  ${hook.padEnd(12)} ${String(chains.length).padStart(2)} chains ${Math.round((v / dt) * 1000).toLocaleString("en").padStart(11)} verdicts/s, rules examined per chain run ${((rules - r0) / Math.max(1, runs - n0)).toFixed(1)}`);
	}
	console.log(`${name}: ${Math.round((total / totalMs) * 1000).toLocaleString("en")} verdicts per CPU-second overall; rules examined per chain run: mean ${(rules / runs).toFixed(1)}, max ${max}`);
	console.log(rows.join("\n"));
}

// Rule evaluations per packet along the whole path (all hooks), as verify counts them.
for (const [name, side] of Object.entries(sides)) {
	const stats = new RuleStats();
	const sim = simulator([side], host, { stats });
	for (const s of corpus.scenarios.slice(0, 5000)) sim(s);
	console.log(`${name}: rule evaluations per packet (whole path): mean ${stats.mean.toFixed(1)}, max ${stats.max} over ${stats.packets} packets`);
}

t = performance.now();
const c0 = cpu();
const v = verifyTexts(text, c.output, { oldFile: "kube.rules", newFile: "kube.nft", packets, stats: true });
const dt = performance.now() - t;
const dcpu = cpu() - c0;
if (v.kind !== "done") {
	console.log("verify refused", v.diagnostics.slice(0, 3));
} else {
	const r = v.result;
	console.log(
		`verifyTexts: ${r.packets} packets (${r.checked} scenarios) x 2 sides in ${dt.toFixed(0)} ms wall, ${dcpu.toFixed(0)} ms CPU, equal=${r.equal}; ` +
			`evaluations/packet iptables mean ${r.stats.old.mean.toFixed(1)} max ${r.stats.old.max}, nft mean ${r.stats.new.mean.toFixed(1)} max ${r.stats.new.max}`,
	);
}

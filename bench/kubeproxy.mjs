#!/usr/bin/env node
// Benchmark (not a test): the kube-proxy acceptance numbers, all from one run.
//   (a) rule evaluations per packet in the simulator (EvalContext.countRules: rules a chain walk
//       examines, a set/vmap lookup counting as one rule): iptables input vs our -O1 nft output;
//   (b) load time: `nft -f` of our output vs `iptables-legacy-restore` of the input, each in a
//       fresh, uniquely named network namespace that is deleted afterwards;
//   (c) `translate -O2` wall time and peak RSS next to `iptables-restore-translate -f`, and the
//       passes' share of it (IPT2NFT_PASS_TIMES=1).
// Usage: npm run build && node bench/kubeproxy.mjs [N=10000] [packets=4000]
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const shared = resolve(root, "..", "shared");
const dist = (p) => join(root, "dist", p);
const { compile } = await import(dist("compiler/index.js"));
const { parseIptables } = await import(dist("grammar/iptables/index.js"));
const { parseNft } = await import(dist("grammar/nft/index.js"));
const { iptSide, iptBoundaryValues, iptHostHints } = await import(dist("compiler/sim/ipt/index.js"));
const { nftSide, nftBoundaryValues } = await import(dist("compiler/sim/nft/index.js"));
const { mergeBoundary } = await import(dist("compiler/sim/boundary.js"));
const { generateCorpus } = await import(dist("compiler/sim/corpus.js"));
const { defaultHost } = await import(dist("compiler/sim/host.js"));
const { PacketPath } = await import(dist("compiler/sim/path.js"));
const { reassemblesFragments } = await import(dist("compiler/ir/defrag.js"));

const N = Number(process.argv[2] ?? 10000);
const PACKETS = Number(process.argv[3] ?? 4000);
const work = mkdtempSync(join(tmpdir(), "ipt2nft-bench-kp-"));

try {
	const input = join(work, `kp${N}.rules`);
	const text = execFileSync("python3", [join(shared, "tools", "gen_kubeproxy.py"), String(N)], { encoding: "utf8", maxBuffer: 1 << 30 });
	writeFileSync(input, text);
	const c = compile(text, { file: input, optimize: 1 });
	if (!c.ok) throw new Error("translation of the kube-proxy input failed");
	const output = join(work, `kp${N}.O1.nft`);
	writeFileSync(output, c.output);

	const evals = evaluations(text, input, c.output, output);
	const load = loadTimes(input, output);
	const tr = translateTimes(input);

	const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
	console.log(`kube-proxy bench: gen_kubeproxy.py ${N} (${text.split("\n").length - 1} lines, ${c.stats.rulesIn} rules in, ${c.stats.rulesOut} nft rules out at -O1)`);
	console.log("");
	console.log("| measure | iptables | ipt2nft nft | ratio |");
	console.log("| --- | --- | --- | --- |");
	console.log(`| rule evaluations / packet, mean (${evals.packets} packets) | ${f(evals.ipt.mean)} | ${f(evals.nft.mean)} | ${f(evals.ipt.mean / evals.nft.mean)}x fewer |`);
	console.log(`| rule evaluations / packet, max | ${evals.ipt.max} | ${evals.nft.max} | ${f(evals.ipt.max / evals.nft.max)}x fewer |`);
	console.log(`| load ms (iptables-legacy-restore vs nft -f, fresh netns) | ${f(load.ipt, 0)} | ${f(load.nft, 0)} | ${f(load.ipt / load.nft, 2)} |`);
	console.log(`| translate ms (iptables-restore-translate -f vs translate -O2) | ${f(tr.anchor.ms, 0)} | ${f(tr.ours.ms, 0)} | ${f(tr.ours.ms / tr.anchor.ms, 2)}x the C tool |`);
	console.log(`| translate peak RSS MB | ${f(tr.anchor.rss)} | ${f(tr.ours.rss)} | ${f(tr.ours.rss / tr.anchor.rss, 1)}x |`);
	console.log(`| of which optimisation passes, ms (-O2) | | ${f(tr.ours.passes, 0)} | ${f(tr.ours.passes / tr.ours.ms, 2)} of ours |`);
	if (load.errors.length > 0) console.log(`\nload errors: ${load.errors.join("; ")}`);
} finally {
	rmSync(work, { recursive: true, force: true });
}

/** Wraps a side so every base-chain walk reports its examined-rule count to `sink`. */
function counting(side, sink) {
	const wrap = (chain) => ({
		priority: chain.priority,
		type: chain.type,
		label: chain.label,
		run: (pkt, ctx) =>
			chain.run(pkt, {
				host: ctx.host,
				hook: ctx.hook,
				tracing: false,
				choose: (p) => ctx.choose(p),
				trace: (s) => ctx.trace(s),
				log: (l) => ctx.log(l),
				nat: (a) => ctx.nat(a),
				addrType: (fam, addr, dev) => ctx.addrType(fam, addr, dev),
				countRules: (n) => {
					sink.n += n;
				},
			}),
	});
	const cache = new Map();
	return {
		name: side.name,
		unsupported: side.unsupported,
		baseChains(hook, fam) {
			const k = `${hook}/${fam}`;
			let v = cache.get(k);
			if (v === undefined) cache.set(k, (v = side.baseChains(hook, fam).map(wrap)));
			return v;
		},
	};
}

function evaluations(iptText, iptFile, nftText, nftFile) {
	const old = parseIptables(iptText, { file: iptFile });
	const neu = parseNft(nftText, nftFile);
	const oldSide = iptSide(old.ruleset, { name: "iptables" });
	const newSide = nftSide(neu.ast, { name: "nft" });
	const bv = mergeBoundary(iptBoundaryValues(old.ruleset), nftBoundaryValues(neu.ast));
	const hints = iptHostHints(old.ruleset);
	const host = defaultHost({ ifaces: [...new Set([...hints.ifaces, ...nftBoundaryValues(neu.ast).ifaces])], addrs: hints.addrs });
	const corpus = generateCorpus(bv, { packets: PACKETS, seed: 1, host, defragmented: reassemblesFragments(old.ruleset) });
	const scenarios = corpus.scenarios.filter((s) => s.kind === "packet");
	const stat = (side) => {
		const sink = { n: 0 };
		const path = new PacketPath([counting(side, sink)], host);
		let seed = 12345;
		// A fixed pseudo-random stream answers statistic/numgen draws: one sampled branch per packet.
		const choose = (p) => {
			seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
			return seed / 2 ** 32 < p;
		};
		let total = 0;
		let max = 0;
		for (const s of scenarios) {
			sink.n = 0;
			path.run(s, choose);
			total += sink.n;
			if (sink.n > max) max = sink.n;
		}
		return { mean: total / scenarios.length, max };
	};
	return { packets: scenarios.length, ipt: stat(oldSide), nft: stat(newSide) };
}

function run(cmd, args, opts = {}) {
	return spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 30, ...opts });
}

function loadTimes(input, output) {
	const tag = `ipt2nft-bench-${process.pid}-${Date.now().toString(36)}`;
	const errors = [];
	const timeIn = (ns, cmd, args, stdinFile) => {
		const add = run("ip", ["netns", "add", ns]);
		if (add.status !== 0) {
			errors.push(`ip netns add ${ns}: ${add.stderr.trim()}`);
			return NaN;
		}
		try {
			const t0 = process.hrtime.bigint();
			const r = run("ip", ["netns", "exec", ns, cmd, ...args], stdinFile ? { input: readFileSync(stdinFile) } : {});
			const ms = Number(process.hrtime.bigint() - t0) / 1e6;
			if (r.status !== 0) {
				errors.push(`${cmd}: ${String(r.stderr).trim().slice(0, 300)}`);
				return NaN;
			}
			return ms;
		} finally {
			run("ip", ["netns", "delete", ns]);
		}
	};
	const nft = timeIn(`${tag}-nft`, "nft", ["-f", output]);
	const ipt = timeIn(`${tag}-ipt`, "iptables-legacy-restore", [], input);
	return { nft, ipt, errors };
}

function translateTimes(input) {
	const timed = (cmd, args, env) => {
		const t0 = process.hrtime.bigint();
		const r = run("/usr/bin/time", ["-v", cmd, ...args], env !== undefined ? { env: { ...process.env, ...env } } : {});
		const ms = Number(process.hrtime.bigint() - t0) / 1e6;
		const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
		// IPT2NFT_PASS_TIMES=1: the optimisation passes' share (pipeline.ts prints one line per pass).
		const passes = Number(/^pass total +([\d.]+) ms/m.exec(r.stderr)?.[1] ?? NaN);
		return { ms: r.status === 0 ? ms : NaN, rss, passes };
	};
	const anchor = timed("iptables-restore-translate", ["-f", input]);
	const ours = timed("node", [join(root, "dist", "cli", "main.js"), "translate", "-O2", input], { IPT2NFT_PASS_TIMES: "1" });
	return { anchor, ours };
}

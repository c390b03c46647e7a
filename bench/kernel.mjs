#!/usr/bin/env node
// Benchmark (not a test): replay ~1,000 packets through the real kernel (iptables-legacy in one
// set of namespaces, the nft translation in another) on a corpus ruleset, and report the time of
// each phase. Root only.
// Usage: npm run build && node bench/kernel.mjs [ruleset] [packets] [settle-ms]
//   default: ../shared/corpus/real/moby-iptablesdoc-swarm-portmap.rules, 1000 packets, 5 ms
import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { compile } = await import(resolve(root, "dist/compiler/index.js"));
const { verifyKernel } = await import(resolve(root, "dist/compiler/kernel/index.js"));

const file = process.argv[2] ?? resolve(root, "..", "shared", "corpus", "real", "moby-iptablesdoc-swarm-portmap.rules");
const packets = Number(process.argv[3] ?? 1000);
const settleMs = Number(process.argv[4] ?? 5);
const text = readFileSync(file, "utf8");
const out = compile(text, { file });
if (!out.ok) throw new Error(`${file} does not translate fully`);

const t0 = performance.now();
const r = verifyKernel(text, out.output, { oldFile: file, newFile: "new.nft", packets, settleMs });
const total = (performance.now() - t0) / 1000;
if (r.kind !== "done") {
	console.error(`kernel replay did not run: ${r.kind === "unsupported" ? r.reason : r.diagnostics.map((d) => d.message).join("; ")}`);
	process.exit(2);
}
const replayed = r.replayedPackets;
const skipped = [...r.skippedPackets.values()].reduce((a, b) => a + b, 0);
const f = r.fidelity;
const planned = r.comparisons.reduce((n, c) => n + (c.planned.original.kind === "flow" ? 3 : 1), 0);
console.log(`ruleset ${basename(file)}: corpus ${r.corpusPackets} packets: ${planned} replayable, ${skipped} skipped by reason; ${replayed} sent per side (flows stop after a first packet that does not pass)`);
console.log(`setup (4 namespaces, veths, rules, observer): ${r.seconds.setup.toFixed(2)} s`);
console.log(`replay: ${r.seconds.replay.toFixed(2)} s = ${((1000 * r.seconds.replay) / (2 * replayed)).toFixed(2)} ms per packet (settle ${settleMs} ms)`);
console.log(`total incl. planning/simulation: ${total.toFixed(2)} s; kernel sides equal: ${r.kernelEqual}; late observations: ${r.late}`);
console.log(`simulator/kernel agreement: iptables ${f.old.agree}/${f.old.packets}, nft ${f.new.agree}/${f.new.packets}`);

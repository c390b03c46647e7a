/** Reports of a kernel replay, for humans and for JSON (the CLI only prints them). */
import { formatPacket } from "../sim/diff.js";
import { formatDistribution } from "../sim/outcome.js";
import type { KernelComparison, KernelVerifyReport } from "./index.js";

export interface KernelReportOptions {
	/** Also report where the simulator's prediction differs from the kernel. */
	readonly sim: boolean;
	/** At most this many scenarios per kind of difference (default 20). */
	readonly max?: number;
}

/** Exit status semantics: equal kernels (and, with `sim`, a simulator agreeing on every packet). */
export function kernelReportOk(r: KernelVerifyReport, opts: KernelReportOptions): boolean {
	return r.kernelEqual && (!opts.sim || r.comparisons.every((c) => c.simOldAgrees && c.simNewAgrees));
}

function indent(s: string, by = "  "): string {
	return s
		.split("\n")
		.map((l) => by + l)
		.join("\n");
}

function head(c: KernelComparison): string {
	const o = c.planned.original;
	const s = c.planned.scenario;
	const a = formatPacket(o.pkt);
	const b = formatPacket(s.pkt);
	return `scenario #${o.id} (${o.kind}): ${a}${a === b ? "" : `\n  replayed as: ${b}`}`;
}

export function formatKernelDifference(c: KernelComparison): string {
	return [head(c), "  kernel, iptables-legacy:", indent(c.keys.kernelOld.join("\n"), "    "), "  kernel, nft:", indent(c.keys.kernelNew.join("\n"), "    ")].join("\n");
}

export function formatSimDisagreement(c: KernelComparison): string {
	const parts = [head(c)];
	for (const [side, agrees, sim, kernel, dist] of [
		["iptables", c.simOldAgrees, c.keys.simOld, c.keys.kernelOld, c.planned.sim.old],
		["nft", c.simNewAgrees, c.keys.simNew, c.keys.kernelNew, c.planned.sim.new],
	] as const) {
		if (agrees) continue;
		parts.push(`  ${side}: simulator predicts`, indent(sim.join("\n"), "    "), `  ${side}: kernel shows`, indent(kernel.join("\n"), "    "));
		parts.push(`  ${side}: simulator trace`, indent(formatDistribution(dist), "    "));
	}
	return parts.join("\n");
}

function pct(a: number, n: number): string {
	return n === 0 ? "-" : `${((100 * a) / n).toFixed(1)}%`;
}

export function formatKernelReport(r: KernelVerifyReport, opts: KernelReportOptions): string {
	const max = opts.max ?? 20;
	const out: string[] = [];
	const kdiff = r.comparisons.filter((c) => !c.kernelEqual);
	for (const c of kdiff.slice(0, max)) out.push(formatKernelDifference(c), "");
	if (opts.sim) {
		const sdiff = r.comparisons.filter((c) => !c.simOldAgrees || !c.simNewAgrees);
		for (const c of sdiff.slice(0, max)) out.push(`simulator differs from the kernel: ${formatSimDisagreement(c)}`, "");
	}
	const n = r.comparisons.length;
	out.push(
		r.kernelEqual
			? `kernel: equal: ${n} scenarios (${r.replayedPackets} packets per side) decided alike by iptables-legacy and nft`
			: `kernel: DIFFERENT: ${kdiff.length} of ${n} replayed scenarios differ between iptables-legacy and nft`,
	);
	const skippedScn = [...r.skipped.values()].reduce((a, b) => a + b, 0);
	if (skippedScn > 0) {
		const skippedPk = [...r.skippedPackets.values()].reduce((a, b) => a + b, 0);
		out.push(`skipped: ${skippedScn} of ${r.corpusScenarios} scenarios (${skippedPk} of ${r.corpusPackets} packets) the kernel cannot replay faithfully:`);
		for (const [why, k] of [...r.skipped].sort((a, b) => b[1] - a[1])) out.push(`  ${String(k).padStart(5)}  ${why}`);
	}
	if (opts.sim) {
		const f = r.fidelity;
		out.push(
			`simulator vs kernel: iptables ${f.old.agree}/${f.old.packets} packets agree (${pct(f.old.agree, f.old.packets)}), nft ${f.new.agree}/${f.new.packets} (${pct(f.new.agree, f.new.packets)})`,
		);
	}
	if (r.late > 0) out.push(`note: ${r.late} observations arrived after their packet's window (raise --settle)`);
	return out.join("\n") + "\n";
}

export function kernelReportJson(r: KernelVerifyReport, opts: KernelReportOptions): unknown {
	const sc = (c: KernelComparison): unknown => ({
		id: c.planned.original.id,
		kind: c.planned.original.kind,
		packet: formatPacket(c.planned.original.pkt),
		replayedAs: formatPacket(c.planned.scenario.pkt),
		kernel: { iptables: c.keys.kernelOld, nft: c.keys.kernelNew },
		...(opts.sim ? { simulator: { iptables: c.keys.simOld, nft: c.keys.simNew } } : {}),
	});
	return {
		equal: r.kernelEqual,
		replayed: { scenarios: r.comparisons.length, packets: r.replayedPackets },
		corpus: { scenarios: r.corpusScenarios, packets: r.corpusPackets },
		skipped: Object.fromEntries([...r.skipped].map(([why, k]) => [why, { scenarios: k, packets: r.skippedPackets.get(why) ?? 0 }])),
		differences: r.comparisons.filter((c) => !c.kernelEqual).map(sc),
		...(opts.sim
			? {
					fidelity: r.fidelity,
					simulatorDisagreements: r.comparisons.filter((c) => !c.simOldAgrees || !c.simNewAgrees).map(sc),
				}
			: {}),
		late: r.late,
		seconds: r.seconds,
	};
}

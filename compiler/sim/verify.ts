/**
 * verify(): every scenario of a corpus through the old and the new side on the same host; the
 * outcome distributions must be equal. Inputs with parts a side cannot model are refused.
 */
import type { Diagnostic } from "../ir/diagnostics.js";
import type { Corpus } from "./corpus.js";
import type { Difference } from "./diff.js";
import { explore, MAX_BRANCHES } from "./distribution.js";
import type { Host, SimSide } from "./model.js";
export { RuleStats } from "./path.js";
import { distributionsEqual, type Distribution } from "./outcome.js";
import { PacketPath, RuleStats } from "./path.js";
import type { Scenario } from "./scenario.js";

export interface VerifyOptions {
	/** Stop after this many differences (default 100). */
	readonly maxDifferences?: number;
	readonly maxBranches?: number;
	/** Collect rule evaluations per packet for each side (VerifyResult.stats). */
	readonly stats?: boolean;
}

/** Rule evaluations per packet on each side (the kernel's linear count; see RuleStats). */
export interface VerifyStats {
	readonly old: RuleStats;
	readonly new: RuleStats;
}

export interface VerifyResult {
	readonly equal: boolean;
	/** Scenarios compared. */
	readonly checked: number;
	/** Packets run per side (flows count 3). */
	readonly packets: number;
	readonly differences: readonly Difference[];
	/** Non-empty: verification refused (a side has parts the simulator cannot model). */
	readonly refused: readonly Diagnostic[];
	/** Scenarios whose random branches were too many to enumerate fully. */
	readonly truncated: number;
	/** With `stats: true`: rule evaluations per packet on each side. */
	readonly stats?: VerifyStats;
}

/** The outcome distribution of one scenario on a host running `sides` (in registration order). */
export function simulate(sides: readonly SimSide[], host: Host, scn: Scenario, maxBranches = MAX_BRANCHES, stats?: RuleStats): Distribution {
	const path = new PacketPath(sides, host, stats);
	return explore((choose) => path.run(scn, choose), maxBranches);
}

/**
 * A reusable simulator for many scenarios on one host (what `simulate` builds per call), with
 * optional rule-evaluation statistics.
 */
export function simulator(sides: readonly SimSide[], host: Host, opts: { maxBranches?: number; stats?: RuleStats } = {}): (scn: Scenario) => Distribution {
	const path = new PacketPath(sides, host, opts.stats);
	return (scn) => explore((choose) => path.run(scn, choose), opts.maxBranches);
}

export function verify(oldSide: SimSide, newSide: SimSide, corpus: Corpus, host: Host, opts: VerifyOptions = {}): VerifyResult {
	const refused = [...(oldSide.unsupported ?? []), ...(newSide.unsupported ?? [])];
	if (refused.length > 0) return { equal: false, checked: 0, packets: 0, differences: [], refused, truncated: 0 };
	const stats: VerifyStats | undefined = opts.stats ? { old: new RuleStats(), new: new RuleStats() } : undefined;
	const oldPath = new PacketPath([oldSide], host, stats?.old);
	const newPath = new PacketPath([newSide], host, stats?.new);
	const max = opts.maxDifferences ?? 100;
	const differences: Difference[] = [];
	let checked = 0;
	let packets = 0;
	let truncated = 0;
	let equal = true;
	for (const scn of corpus.scenarios) {
		const a = explore((c) => oldPath.run(scn, c), opts.maxBranches);
		const b = explore((c) => newPath.run(scn, c), opts.maxBranches);
		checked++;
		packets += scn.kind === "flow" ? 3 : 1;
		if (a.truncated || b.truncated) truncated++;
		if (!distributionsEqual(a, b)) {
			equal = false;
			if (differences.length < max) differences.push({ scenario: scn, oldName: oldSide.name, newName: newSide.name, old: a, new: b });
		}
	}
	return { equal, checked, packets, differences, refused, truncated, ...(stats ? { stats } : {}) };
}

/**
 * The order passes run in. Cleanup first (so merges see final chain bodies), then merging from the
 * finest grain (one selector → set) to the coarsest (verdict maps), then table-level rewrites.
 * Each pass is pure; `optimise` threads the ruleset through them and collects every change.
 */
import type { Diagnostic } from "../ir/diagnostics.js";
import type * as nft from "../ir/nft.js";
import type { Change, OptLevel, Pass } from "./pass.js";

export const PASSES: readonly Pass[] = [];

export interface OptimiseResult {
	readonly ruleset: nft.Ruleset;
	readonly changes: readonly Change[];
	readonly diagnostics: readonly Diagnostic[];
}

export function optimise(ruleset: nft.Ruleset, level: OptLevel, passes: readonly Pass[] = PASSES): OptimiseResult {
	const changes: Change[] = [];
	const diagnostics: Diagnostic[] = [];
	let current = ruleset;
	for (const p of passes) {
		if (p.level > level) continue;
		const r = p.run(current);
		current = r.ruleset;
		changes.push(...r.changes);
		diagnostics.push(...r.diagnostics);
	}
	return { ruleset: current, changes, diagnostics };
}

/**
 * The order passes run in. Cleanup first (so merges see final chain bodies), then merging from the
 * finest grain (one selector → set) to the coarsest (verdict maps), then table-level rewrites.
 * Each pass is pure; `optimise` threads the ruleset through them and collects every change.
 */
import type { Diagnostic } from "../ir/diagnostics.js";
import type * as nft from "../ir/nft.js";
import type { Change, OptLevel, Pass } from "./pass.js";
import { mergeSet } from "./merge-set.js";
import { mergeConcat } from "./merge-concat.js";
import { mergeVmap } from "./merge-vmap.js";
import { namedSets } from "./named-sets.js";
import { deadRules } from "./dead-rules.js";
import { inlineChains } from "./inline-chains.js";
import { inetFold } from "./inet-fold.js";
import { natMap } from "./nat-map.js";
import { numgenDispatch } from "./numgen-dispatch.js";
import { redundantMatch } from "./redundant-match.js";
import { shadowedRules } from "./shadowed-rules.js";
import { unreachableChains } from "./unreachable-chains.js";
import { dropPassCaches } from "./caches.js";

export const PASSES: readonly Pass[] = [
	// cleanup (part B). numgen-dispatch runs before inlining: inlining a statistic chain's closing
	// endpoint would dissolve the shape it recognises. Inlining (which prunes dead and shadowed
	// rules as it goes) comes before the rule-level cleanups, which then see the inlined bodies.
	numgenDispatch,
	inlineChains,
	redundantMatch,
	deadRules,
	shadowedRules,
	unreachableChains,
	// merging (part A). Verdict maps first: once same-verdict rules became a set, a vmap could not
	// take them in as elements.
	mergeVmap,
	mergeSet,
	mergeConcat,
	// maps and folding (part B)
	natMap,
	// Merging can leave a chain with one caller or one rule, or a protocol match next to the set of
	// headers it merged: clean up once more, so that running the pipeline again changes nothing.
	inlineChains,
	redundantMatch,
	unreachableChains,
	// After the last inlining: a merged rule copied into several callers shares one named set.
	namedSets,
	inetFold,
];

export interface OptimiseResult {
	readonly ruleset: nft.Ruleset;
	readonly changes: readonly Change[];
	readonly diagnostics: readonly Diagnostic[];
}

/**
 * `IPT2NFT_PASS_TIMES=1`: each pass's wall time on stderr (for profiling the pipeline on large
 * rulesets; bench/kubeproxy.mjs reads it). Off by default: the library prints nothing.
 */
const PASS_TIMES = typeof process !== "undefined" && process.env.IPT2NFT_PASS_TIMES === "1";

/**
 * `record`: keep every pass's changes in the result (false: only --explain reads them, and on
 * kube-proxy rulesets they are 70k records holding the rules they replaced).
 */
export function optimise(ruleset: nft.Ruleset, level: OptLevel, passes: readonly Pass[] = PASSES, record = true): OptimiseResult {
	const changes: Change[] = [];
	let dropped = 0;
	const diagnostics: Diagnostic[] = [];
	let current = ruleset;
	const start = PASS_TIMES ? performance.now() : 0;
	for (const p of passes) {
		if (p.level > level) continue;
		const t0 = PASS_TIMES ? performance.now() : 0;
		const r = p.run(current);
		if (PASS_TIMES) process.stderr.write(`pass ${p.name.padEnd(20)} ${(performance.now() - t0).toFixed(1).padStart(8)} ms  ${r.changes.length} changes\n`);
		current = r.ruleset;
		// Not push(...r.changes): a kube-proxy ruleset makes 60k+ changes in one pass, past the
		// engine's argument limit.
		if (record) for (const c of r.changes) changes.push(c);
		else dropped += r.changes.length;
		for (const d of r.diagnostics) diagnostics.push(d);
	}
	// The caches hang off the final ruleset's nodes: let them go with the pipeline (caches.ts).
	dropPassCaches();
	if (PASS_TIMES) process.stderr.write(`pass ${"total".padEnd(20)} ${(performance.now() - start).toFixed(1).padStart(8)} ms  ${changes.length + dropped} changes\n`);
	return { ruleset: current, changes, diagnostics };
}

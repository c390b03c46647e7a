/**
 * A helper for passes that rewrite chains one at a time: runs `f` on every chain and rebuilds only
 * the tables and chains it changed, so untouched parts of a ruleset stay shared (and cheap). Arrays
 * are copied only from the first change on: a kube-proxy table has 40k chains, and most passes
 * change none of them.
 */
import type * as nft from "../ir/nft.js";
import type { Change, PassResult } from "./pass.js";
import { unchanged } from "./pass.js";
import type { WeakMarks } from "./caches.js";

export type ChainRewrite = (chain: nft.Chain, table: nft.Table) => { readonly rules: readonly nft.Rule[]; readonly changes: readonly Change[] } | undefined;

/**
 * Chains `f` left alone, per chain object: chains are immutable and passes hand unchanged ones
 * on as they are, so a pass that runs twice (or a later pass sharing the same test) skips them.
 * Only for rewrites whose answer depends on the chain's rules alone (not on the table's family or
 * other chains).
 */
export type CleanCache = WeakMarks<nft.Chain>;

export function mapChains(ruleset: nft.Ruleset, f: ChainRewrite, clean?: CleanCache): PassResult {
	const changes: Change[] = [];
	let tables: nft.Table[] | undefined;
	ruleset.tables.forEach((t, ti) => {
		let chains: nft.Chain[] | undefined;
		t.chains.forEach((c, ci) => {
			if (clean?.has(c) === true) return;
			const r = f(c, t);
			if (r === undefined) {
				clean?.add(c);
				return;
			}
			for (const x of r.changes) changes.push(x);
			chains ??= t.chains.slice();
			chains[ci] = { ...c, rules: r.rules };
		});
		if (chains === undefined) return;
		tables ??= ruleset.tables.slice();
		tables[ti] = { ...t, chains };
	});
	return tables !== undefined ? { ruleset: { tables }, changes, diagnostics: [] } : unchanged(ruleset);
}

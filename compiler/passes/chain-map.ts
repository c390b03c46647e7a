/**
 * A helper for passes that rewrite chains one at a time: runs `f` on every chain and rebuilds only
 * the tables and chains it changed, so untouched parts of a ruleset stay shared (and cheap).
 */
import type * as nft from "../ir/nft.js";
import type { Change, PassResult } from "./pass.js";
import { unchanged } from "./pass.js";

export type ChainRewrite = (chain: nft.Chain, table: nft.Table) => { readonly rules: readonly nft.Rule[]; readonly changes: readonly Change[] } | undefined;

export function mapChains(ruleset: nft.Ruleset, f: ChainRewrite): PassResult {
	const changes: Change[] = [];
	let touched = false;
	const tables = ruleset.tables.map((t) => {
		let tTouched = false;
		const chains = t.chains.map((c) => {
			const r = f(c, t);
			if (r === undefined) return c;
			tTouched = true;
			changes.push(...r.changes);
			return { ...c, rules: r.rules };
		});
		if (!tTouched) return t;
		touched = true;
		return { ...t, chains };
	});
	return touched ? { ruleset: { tables }, changes, diagnostics: [] } : unchanged(ruleset);
}

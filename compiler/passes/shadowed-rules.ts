/**
 * Removes a rule shadowed by an earlier one: when an earlier rule ends the chain (accept, drop,
 * return, goto, reject, fixed NAT) and its conditions are a subset of the later rule's, every
 * packet the later rule could match was already taken by the earlier one.
 *
 * What keeps this sound:
 * - the earlier rule has no stateful condition (limit, quota, dynset, random): those can say no to
 *   a packet that satisfies everything else;
 * - no rule in between may change what conditions read (marks, headers, sets, or any jump into
 *   another chain): then "matched later" implies "matched earlier". Such a rule clears the window.
 * - conditions compare structurally; stateless conditions commute (a failed load ends the rule
 *   whichever position it has), so a subset in any order suffices.
 * Subsets are looked up by key (at most 2^MAX_SUBSET_CONDS per rule), never by scanning earlier
 * rules, so a 10k-rule chain stays linear.
 */
import type * as nft from "../ir/nft.js";
import type { Change, Pass, PassResult } from "./pass.js";
import { mapChains } from "./chain-map.js";
import { PRUNED } from "./dead-rules.js";
import { condKey, hasStatefulCond, isTerminal, mayWrite } from "./facts.js";

const MAX_SUBSET_CONDS = 8;

function subsetKey(keys: readonly string[]): string {
	return [...keys].sort().join("\u0000");
}

function uniqueKeys(r: nft.Rule): string[] {
	const keys: string[] = [];
	for (const c of r.conds) {
		const k = condKey(c);
		if (!keys.includes(k)) keys.push(k);
	}
	return keys;
}

export function removeShadowed(chain: nft.Chain, table: nft.Table, pass: string): { rules: readonly nft.Rule[]; changes: Change[] } | undefined {
	const rules = chain.rules;
	if (rules.length < 2) return undefined;
	// Terminal rules seen since the last writer, by the sorted keys of their conditions. Made on
	// first use, like the copy and the changes: most chains (kube-proxy: 40k) never need them.
	let window: Map<string, number> | undefined;
	const last = rules.length - 1;
	// Copied from the first removal on: most chains lose nothing.
	let keep: nft.Rule[] | undefined;
	let changes: Change[] | undefined;
	for (let idx = 0; idx < rules.length; idx++) {
		const r = rules[idx]!;
		// Nothing to look up and nothing later to shadow: skip the keys (the common case).
		if ((window === undefined || window.size === 0) && (idx === last || !isTerminal(r))) {
			keep?.push(r);
			continue;
		}
		const terminal = isTerminal(r);
		const keys = uniqueKeys(r);
		let shadow: number | undefined;
		if (window !== undefined && window.size > 0) {
			if (keys.length <= MAX_SUBSET_CONDS) {
				const total = 1 << keys.length;
				for (let m = 0; m < total && shadow === undefined; m++) {
					const sub: string[] = [];
					for (let b = 0; b < keys.length; b++) if (m & (1 << b)) sub.push(keys[b]!);
					shadow = window.get(subsetKey(sub));
				}
			} else {
				shadow = window.get(subsetKey([])) ?? window.get(subsetKey(keys));
			}
		}
		if (shadow !== undefined) {
			keep ??= rules.slice(0, idx);
			(changes ??= []).push({
				pass,
				kind: "remove",
				family: table.family,
				table: table.name,
				chain: chain.name,
				before: [r],
				after: [],
				reason: `shadowed by rule ${shadow + 1} of the chain, which has a subset of its conditions and ends the chain`,
			});
			continue;
		}
		keep?.push(r);
		if (mayWrite(r) && !terminal) window?.clear();
		else if (terminal && !hasStatefulCond(r)) {
			const k = subsetKey(keys);
			window ??= new Map();
			if (!window.has(k)) window.set(k, idx);
		}
	}
	return keep === undefined ? undefined : { rules: keep, changes: changes ?? [] };
}

function run(ruleset: nft.Ruleset): PassResult {
	return mapChains(ruleset, (c, t) => (PRUNED.has(c) ? undefined : removeShadowed(c, t, "shadowed-rules")));
}

export const shadowedRules: Pass = { name: "shadowed-rules", level: 1, run };

/**
 * Removes the rules after an unconditional terminal rule (`drop`, `accept`, `return`, `goto`,
 * `reject`, NAT to a fixed target, with no condition in front): no packet ever reaches them.
 */
import type * as nft from "../ir/nft.js";
import type { Change, Pass, PassResult } from "./pass.js";
import { mapChains } from "./chain-map.js";
import { isTerminal } from "./facts.js";

/** The index just past the first unconditional terminal rule, or undefined when there is none before the end. */
export function liveLength(rules: readonly nft.Rule[]): number | undefined {
	for (let i = 0; i < rules.length - 1; i++) {
		const r = rules[i]!;
		if (r.conds.length === 0 && isTerminal(r)) return i + 1;
	}
	return undefined;
}

/**
 * Chains known to have neither dead nor shadowed rules: inline-chains prunes every chain it hands
 * on, so dead-rules, shadowed-rules and the next inline-chains run skip those (by object: chains
 * are immutable, and a pass that rewrites a chain makes a new one).
 */
export const PRUNED = new WeakSet<nft.Chain>();

export function removeDeadRules(chain: nft.Chain, table: nft.Table, pass: string): { rules: readonly nft.Rule[]; changes: Change[] } | undefined {
	const n = liveLength(chain.rules);
	if (n === undefined) return undefined;
	const gone = chain.rules.slice(n);
	return {
		rules: chain.rules.slice(0, n),
		changes: [
			{
				pass,
				kind: "remove",
				family: table.family,
				table: table.name,
				chain: chain.name,
				before: gone,
				after: [],
				reason: `unreachable: rule ${n} of the chain ends it for every packet`,
			},
		],
	};
}

function run(ruleset: nft.Ruleset): PassResult {
	return mapChains(ruleset, (c, t) => (PRUNED.has(c) ? undefined : removeDeadRules(c, t, "dead-rules")));
}

export const deadRules: Pass = { name: "dead-rules", level: 1, run };

/**
 * Removes the rules after an unconditional terminal rule (`drop`, `accept`, `return`, `goto`,
 * `reject`, NAT to a fixed target, with no condition in front): no packet ever reaches them. Also
 * a bare `return` at the end of a chain: falling off the end does the same (back to the caller,
 * or the policy in a base chain).
 */
import type * as nft from "../ir/nft.js";
import type { Change, Pass, PassResult } from "./pass.js";
import { mapChains } from "./chain-map.js";
import { isTerminal } from "./facts.js";
import { WeakMarks } from "./caches.js";

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
export const PRUNED = new WeakMarks<nft.Chain>();

function isBareReturn(r: nft.Rule): boolean {
	const s = r.stmts[0];
	return r.conds.length === 0 && r.stmts.length === 1 && s !== undefined && s.kind === "verdict" && s.verdict.kind === "return";
}

export function removeDeadRules(chain: nft.Chain, table: nft.Table, pass: string): { rules: readonly nft.Rule[]; changes: Change[] } | undefined {
	const live = liveLength(chain.rules);
	let n = live ?? chain.rules.length;
	while (n > 0 && isBareReturn(chain.rules[n - 1]!)) n--;
	if (n === chain.rules.length) return undefined;
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
				reason: live === undefined || n < live ? "a bare return at the end of a chain does what the end of the chain does" : `unreachable: rule ${n} of the chain ends it for every packet`,
			},
		],
	};
}

function run(ruleset: nft.Ruleset): PassResult {
	return mapChains(ruleset, (c, t) => (PRUNED.has(c) ? undefined : removeDeadRules(c, t, "dead-rules")));
}

export const deadRules: Pass = { name: "dead-rules", level: 1, run };

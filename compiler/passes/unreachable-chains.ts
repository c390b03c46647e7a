/**
 * Removes regular chains no base chain can reach (through jumps, gotos and verdict maps, inline
 * or named). iptables-save lists every user chain, used or not; after inlining many are orphans.
 * In a table whose base chains have no rules (a fragment whose chains other rules enter) only
 * empty chains go.
 */
import type * as nft from "../ir/nft.js";
import type { Change, Pass, PassResult } from "./pass.js";
import { unchanged } from "./pass.js";
import { chainRefs, setChainRefs } from "./facts.js";

function reachable(t: nft.Table): Set<string> {
	const byName = new Map<string, nft.Chain>();
	for (const c of t.chains) byName.set(c.name, c);
	const sets = new Map(t.sets.map((s) => [s.name, s] as const));
	const seen = new Set<string>();
	// Chains a named verdict map names stay even if no rule reads the map: the map needs them to load.
	const stack: string[] = t.sets.flatMap(setChainRefs);
	for (const c of t.chains) if (c.base !== undefined) stack.push(c.name);
	// Each chain's references are cached per chain object (this runs twice over 100k-rule tables;
	// the second time most chains are the same objects).
	while (stack.length > 0) {
		const n = stack.pop()!;
		if (seen.has(n)) continue;
		seen.add(n);
		const c = byName.get(n);
		if (c === undefined) continue;
		const refs = chainRefs(c);
		for (const x of refs.names) if (!seen.has(x)) stack.push(x);
		for (const sn of refs.sets) {
			const s = sets.get(sn);
			if (s !== undefined) for (const x of setChainRefs(s)) stack.push(x);
		}
	}
	return seen;
}

function run(ruleset: nft.Ruleset): PassResult {
	const changes: Change[] = [];
	let touched = false;
	const tables = ruleset.tables.map((t) => {
		// No base chain with a rule: a fragment (iptables-restore --noflush input, ufw's before.rules)
		// whose chains are entered from rules we do not see. Keep those with rules.
		const fragment = !t.chains.some((c) => c.base !== undefined && c.rules.length > 0);
		const live = reachable(t);
		const gone = t.chains.filter((c) => c.base === undefined && !live.has(c.name) && !(fragment && c.rules.length > 0));
		if (gone.length === 0) return t;
		touched = true;
		for (const c of gone)
			changes.push({
				pass: "unreachable-chains",
				kind: "remove",
				family: t.family,
				table: t.name,
				chain: c.name,
				before: c.rules,
				after: [],
				reason: `no base chain jumps or goes to chain ${c.name}`,
			});
		const dead = new Set(gone);
		return { ...t, chains: t.chains.filter((c) => !dead.has(c)) };
	});
	return touched ? { ruleset: { tables }, changes, diagnostics: [] } : unchanged(ruleset);
}

export const unreachableChains: Pass = { name: "unreachable-chains", level: 1, run };

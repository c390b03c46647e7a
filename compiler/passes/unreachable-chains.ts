/**
 * Removes regular chains no base chain can reach (through jumps, gotos and verdict maps, inline
 * or named). iptables-save lists every user chain, used or not; after inlining many are orphans.
 * In a table whose base chains have no rules (a fragment whose chains other rules enter) only
 * empty chains go.
 */
import type * as nft from "../ir/nft.js";
import type { Change, Pass, PassResult } from "./pass.js";
import { unchanged } from "./pass.js";
import { chainRefs, isFragment, setChainRefs } from "./facts.js";

/**
 * Per chain (by position): whether a base chain reaches its name. A name used twice is looked up
 * as a lookup by name would find it (the last chain of that name); both chains count as reached.
 * Indices and a byte array rather than sets of names: a kube-proxy table has 40k chains.
 */
function reachable(t: nft.Table): Uint8Array {
	const n = t.chains.length;
	const ids = new Map<string, number>();
	for (let i = 0; i < n; i++) ids.set(t.chains[i]!.name, i);
	const sets = new Map(t.sets.map((s) => [s.name, s] as const));
	/** By the index a name finds (ids), so every chain of a reached name reads it via its own name. */
	const seen = new Uint8Array(n);
	const stack: number[] = [];
	const visit = (name: string): void => {
		const id = ids.get(name);
		if (id !== undefined && seen[id] === 0) {
			seen[id] = 1;
			stack.push(id);
		}
	};
	// Chains a named verdict map names stay even if no rule reads the map: the map needs them to load.
	for (const s of t.sets) for (const x of setChainRefs(s)) visit(x);
	for (const c of t.chains) if (c.base !== undefined) visit(c.name);
	// Each chain's references are cached per chain object (this runs twice over 100k-rule tables;
	// the second time most chains are the same objects).
	while (stack.length > 0) {
		const refs = chainRefs(t.chains[stack.pop()!]!);
		const names = refs.names;
		for (let k = 0; k < names.length; k++) visit(names[k]!);
		for (const sn of refs.sets) {
			const s = sets.get(sn);
			if (s !== undefined) for (const x of setChainRefs(s)) visit(x);
		}
	}
	const live = new Uint8Array(n);
	for (let i = 0; i < n; i++) live[i] = seen[ids.get(t.chains[i]!.name)!]!;
	return live;
}

function run(ruleset: nft.Ruleset): PassResult {
	const changes: Change[] = [];
	let touched = false;
	const tables = ruleset.tables.map((t) => {
		const fragment = isFragment(t);
		const live = reachable(t);
		const gone = t.chains.filter((c, i) => c.base === undefined && live[i] === 0 && !(fragment && c.rules.length > 0));
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

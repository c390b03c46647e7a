/**
 * The contract every optimisation pass keeps (DESIGN.md "Passes"): a pure function from one nft
 * ruleset to another plus a record of what it changed. Passes never mutate their input; a rule a
 * pass creates carries the `origins` of every rule it came from, so `--explain` and the verifier's
 * traces can cite each input line.
 */
import type { Diagnostic } from "../ir/diagnostics.js";
import type * as nft from "../ir/nft.js";

/** The `-O` levels: 0 line by line; 1 passes that keep tables' names and families; 2 adds inet folding. */
export type OptLevel = 0 | 1 | 2;

/** What a change did, for `--explain` and for tests. */
export type ChangeKind =
	/** Several rules became one (set, concatenation, verdict map, NAT map). */
	| "merge"
	/** Rules or chains left out: unreachable, shadowed, after an unconditional verdict, empty. */
	| "remove"
	/** A chain's body put in place of the jump to it. */
	| "inline"
	/** Two tables (ip + ip6) became one inet table. */
	| "fold"
	/** One rule rewritten in place (redundant match dropped, anonymous set named …). */
	| "rewrite";

export interface Change {
	/** The pass's `name`. */
	readonly pass: string;
	readonly kind: ChangeKind;
	readonly family: nft.Family;
	readonly table: string;
	/** The chain the change is in; absent for table-level changes (fold, named sets). */
	readonly chain?: string;
	/** The rules as they were (with their origins: the input lines). */
	readonly before: readonly nft.Rule[];
	/** What replaced them; empty for removals. */
	readonly after: readonly nft.Rule[];
	/** One sentence: why this was allowed (e.g. "keys are disjoint", "rule is shadowed by …"). */
	readonly reason: string;
}

export interface PassResult {
	readonly ruleset: nft.Ruleset;
	readonly changes: readonly Change[];
	readonly diagnostics: readonly Diagnostic[];
}

export interface Pass {
	/** Stable kebab-case name, shown by --explain. */
	readonly name: string;
	/** The lowest -O level that runs it. */
	readonly level: 1 | 2;
	readonly run: (ruleset: nft.Ruleset) => PassResult;
}

/** A pass that changed nothing. */
export function unchanged(ruleset: nft.Ruleset): PassResult {
	return { ruleset, changes: [], diagnostics: [] };
}

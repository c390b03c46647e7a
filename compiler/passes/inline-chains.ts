/**
 * Puts a chain's body in place of a `jump` to it, where the result provably behaves the same:
 *
 * - empty chain (or one that starts with an unconditional `return`): `C jump X` does nothing, so the
 *   rule goes (unless C adds to a set: limit/quota/random state is the rule's own, unobservable);
 * - single-rule chain [C2 S v], from any number of `C1 jump X` rules: each becomes `C1 C2 S v'`.
 *   v' is v, except `return` (back to the caller: nothing to write) and `goto Y` (Y's end returns to
 *   X's caller, exactly where `jump Y` from the caller returns). Verdict maps holding `return` or
 *   `goto` are not inlined (their meaning depends on the chain they are in);
 * - chain entered from exactly one place, an unconditional `jump X`: the rule is replaced by the
 *   body, when no body rule says `return` or `goto` (they would leave the caller instead of X).
 *
 * In a fragment (facts.isFragment: unseen rules may enter any chain, so none goes away) only
 * empty chains are inlined: any other copy keeps the chain and adds rules.
 * Never: base chains, `goto X` callers, callers with more than the jump (counters, logs), jumps
 * from verdict maps, recursion, and a single rule carrying a big set or map (more than
 * MAX_COPIED_ELEMS elements) into more than one caller: each copy would load it again.
 * The pass repeats until nothing changes (an inlined body can make its caller inlinable) and
 * removes dead and shadowed rules on the way, so one run is a fixpoint.
 */
import type * as nft from "../ir/nft.js";
import type { Change, Pass, PassResult } from "./pass.js";
import { PRUNED, removeDeadRules } from "./dead-rules.js";
import { assertNever } from "../ir/span.js";
import { isVerdict } from "../ir/nft.js";
import { condKey, hasStatefulCond, isFragment, isStatefulCond, plainJump, setChainRefs } from "./facts.js";
import { removeShadowed } from "./shadowed-rules.js";

const NAME = "inline-chains";
const MAX_ROUNDS = 16;
/**
 * A single-rule chain entered from several places is copied into each caller only when its sets
 * and maps hold at most this many elements in all: beyond it the copies cost more (load time,
 * kernel memory, output size) than the jump they save.
 */
export const MAX_COPIED_ELEMS = 16;

function isUnconditionalReturn(r: nft.Rule): boolean {
	return r.conds.length === 0 && r.stmts.every((s) => s.kind === "counter" || (s.kind === "verdict" && s.verdict.kind === "return")) && r.stmts.some((s) => s.kind === "verdict");
}

/** `return` or `goto` anywhere in a rule's verdicts (statement or verdict map element). */
function leavesChain(r: nft.Rule): boolean {
	for (const s of r.stmts) {
		if (s.kind === "verdict" && (s.verdict.kind === "return" || s.verdict.kind === "goto")) return true;
		if (s.kind === "vmap") {
			if (s.map.kind === "named") return true;
			for (const e of s.map.elems) if (isVerdict(e.value) && (e.value.kind === "return" || e.value.kind === "goto")) return true;
		}
	}
	return false;
}

function vmapLeaves(r: nft.Rule): boolean {
	return r.stmts.some((s) => s.kind === "vmap" && (s.map.kind === "named" || s.map.elems.some((e) => isVerdict(e.value) && (e.value.kind === "return" || e.value.kind === "goto"))));
}

/** The single rule of X rewritten for the caller's position, or null when it is a no-op there. */
function bodyAtCaller(body: nft.Rule): nft.Rule | null | undefined {
	if (vmapLeaves(body)) return undefined;
	const stmts: nft.Stmt[] = [];
	for (const s of body.stmts) {
		if (s.kind === "verdict" && s.verdict.kind === "return") continue;
		if (s.kind === "verdict" && s.verdict.kind === "goto") stmts.push({ kind: "verdict", verdict: { kind: "jump", chain: s.verdict.chain } });
		else stmts.push(s);
	}
	if (stmts.length === 0) return null;
	return { ...body, stmts };
}

/**
 * A rule that does nothing when it matches can go even with a limit, quota or random condition:
 * their state belongs to the rule and nothing else reads it. A dynset writes a set others read.
 */
const writesSet = (r: nft.Rule): boolean => r.conds.some((c) => c.kind === "dynset" || c.kind === "side-set");

/** `reason`: the text every change this shape makes cites (one string per chain, not per caller). */
type Shape =
	| { readonly kind: "empty"; readonly reason: string }
	| { readonly kind: "single"; readonly rule: nft.Rule | null; readonly writesSet: boolean; readonly reason: string }
	| { readonly kind: "body"; readonly rules: readonly nft.Rule[]; readonly reason: string };

/** Elements of the anonymous sets and maps a rule carries (each copy of the rule loads its own). */
function carriedElems(r: nft.Rule): number {
	let n = 0;
	for (const c of r.conds) if (c.kind === "rel" && c.right.kind === "set") n += c.right.elems.length;
	for (const s of r.stmts) {
		if (s.kind === "vmap" && s.map.kind === "inline") n += s.map.elems.length;
		else if (s.kind === "nat" && s.to?.kind === "map" && s.to.map.kind === "inline") n += s.to.map.elems.length;
	}
	return n;
}

/**
 * What X can be replaced with at its callers. `count`: references to X from every rule of the
 * table (a rule naming X twice counts twice); `plain`: those that are an unconditional lone
 * `jump X`.
 */
function shapeOf(c: nft.Chain, count: number, plain: number, fragment: boolean): Shape | undefined {
	if (c.base !== undefined) return undefined;
	if (c.rules.length === 0 || isUnconditionalReturn(c.rules[0]!)) return { kind: "empty", reason: `chain ${c.name} does nothing` };
	// In a fragment the chain stays (unseen rules may enter it): a copy of its body can only add
	// rules, and an inlined rule no longer merges with its neighbours (kube-proxy's KUBE-FW jumps).
	if (fragment) return undefined;
	if (c.rules.length === 1) {
		const only = c.rules[0]!;
		// A limit/quota/counter-based condition is one instance in X; copies would each keep their own.
		if (count > 1 && hasStatefulCond(only)) return undefined;
		// A big set or map would be loaded once per copy (kube-proxy's 10k-service dispatch map, after
		// merging, is KUBE-SERVICES' only rule and is entered from PREROUTING and OUTPUT): keep the jump.
		if (count > 1 && carriedElems(only) > MAX_COPIED_ELEMS) return undefined;
		const b = bodyAtCaller(only);
		if (b === undefined) return undefined;
		return { kind: "single", rule: b, writesSet: writesSet(only), reason: b === null ? `chain ${c.name} does nothing` : `chain ${c.name} has a single rule` };
	}
	if (count === 1 && plain === 1 && !c.rules.some(leavesChain)) return { kind: "body", rules: c.rules, reason: `chain ${c.name} is entered only from here, unconditionally` };
	return undefined;
}

/** The rules that replace the caller rule r (a plain `jump X`), or undefined when r stays. */
function inlineAt(r: nft.Rule, shape: Shape): nft.Rule[] | undefined {
	switch (shape.kind) {
		case "empty":
			return writesSet(r) ? undefined : [];
		case "single": {
			if (shape.rule === null) return writesSet(r) || shape.writesSet ? undefined : [];
			// concat, not spreads: exact-size arrays, and kube-proxy inlines 40k of these.
			const conds = r.conds.concat(withoutRepeats(shape.rule.conds, r.conds));
			const stmts = shape.rule.stmts;
			const comment = shape.rule.comment ?? r.comment;
			const origins = r.origins.concat(shape.rule.origins);
			return [comment !== undefined ? { conds, stmts, comment, origins } : { conds, stmts, origins }];
		}
		case "body":
			return r.conds.length !== 0 ? undefined : [...shape.rules];
		default:
			return assertNever(shape, "shape");
	}
}

/**
 * The callee's conditions minus those the caller already tests (`-o br0 -j DOCKER` into
 * `-o br0 … ACCEPT`): a pure condition ANDed with itself adds nothing. Stateful ones (limit,
 * quota, random) are separate instances and always stay.
 */
function withoutRepeats(conds: readonly nft.Cond[], caller: readonly nft.Cond[]): readonly nft.Cond[] {
	if (caller.length === 0 || conds.length === 0) return conds;
	const have = new Set(caller.filter((c) => !isStatefulCond(c)).map(condKey));
	return have.size === 0 ? conds : conds.filter((c) => isStatefulCond(c) || !have.has(condKey(c)));
}

/** Dead and shadowed rules of one chain (inlining exposes new ones); the chain itself when none. */
function prune(c: nft.Chain, t: nft.Table, changes: Change[]): nft.Chain {
	let cur = c;
	const d = removeDeadRules(cur, t, NAME);
	if (d !== undefined) {
		for (const x of d.changes) changes.push(x);
		cur = { ...cur, rules: d.rules };
	}
	const s = removeShadowed(cur, t, NAME);
	if (s !== undefined) {
		for (const x of s.changes) changes.push(x);
		cur = { ...cur, rules: s.rules };
	}
	return cur;
}

/** How a rule names a chain (the edges below). */
const RefHow = {
	/** A rule that is more than a lone `[C] jump X` (goto, verdict map, extra statements): it pins X. */
	Pin: 1,
	/** A lone unconditional `jump X`. */
	Plain: 2,
	/** A lone `C jump X` with conditions. */
	Conditional: 3,
} as const;
type RefHow = (typeof RefHow)[keyof typeof RefHow];

/** A reference from a chain's rules, packed: the target chain's index × 4 + how (RefHow). */
type Edge = number;
const NO_EDGES: readonly Edge[] = [];

/**
 * The chains a chain's rules name, as indices (names of no chain of the table are left out: they
 * have no shape). Local to one table and run: indices, not names, keep the bookkeeping of a
 * kube-proxy table (40k chains, several rounds) to array reads.
 */
function edgesOf(c: nft.Chain, ids: ReadonlyMap<string, number>): readonly Edge[] {
	// Collected in one reused array (never shortened, so it keeps its room) and copied out at
	// their exact size: a pushed-to array keeps room for 17, and kube-proxy has 40k chains of one
	// to four edges, recomputed as chains change.
	let n = 0;
	const rules = c.rules;
	for (let k = 0; k < rules.length; k++) {
		const r = rules[k]!;
		const j = plainJump(r);
		if (j !== undefined) {
			const id = ids.get(j);
			if (id !== undefined) SCRATCH[n++] = id * 4 + (r.conds.length === 0 ? RefHow.Plain : RefHow.Conditional);
			continue;
		}
		// Indexed loops here and below: the pass is hot before the optimiser picks it up, and for-of
		// allocates an iterator per loop until then.
		for (let q = 0; q < r.stmts.length; q++) {
			const s = r.stmts[q]!;
			if (s.kind === "verdict") {
				if (s.verdict.kind === "jump" || s.verdict.kind === "goto") n = pinEdge(n, s.verdict.chain, ids);
			} else if (s.kind === "vmap" && s.map.kind === "inline") {
				for (const e of s.map.elems) {
					const v = e.value;
					if (isVerdict(v) && (v.kind === "jump" || v.kind === "goto")) n = pinEdge(n, v.chain, ids);
				}
			}
		}
	}
	return n === 0 ? NO_EDGES : SCRATCH.slice(0, n);
}

const SCRATCH: Edge[] = [];
/** inlineTable's reused buffer for a chain's new body (never shortened, so it keeps its room). */
const BODY: nft.Rule[] = [];

/** Appends a pin edge to SCRATCH when `name` is a chain of the table; the new count. */
function pinEdge(n: number, name: string, ids: ReadonlyMap<string, number>): number {
	const id = ids.get(name);
	if (id === undefined) return n;
	SCRATCH[n] = id * 4 + RefHow.Pin;
	return n + 1;
}

/**
 * One table to a fixpoint, in rounds: each round takes every chain's shape as it was when the
 * round began, inlines it at every caller, then prunes the chains it changed. Use counts are kept
 * up to date as chains change, so a round recomputes only the shapes of chains whose body or uses
 * changed, and looks only at chains with a lone jump to a chain that has a shape; it allocates
 * only for the chains it rewrites.
 */
function inlineTable(t: nft.Table, changes: Change[]): nft.Table {
	const fragment = isFragment(t);
	const chains = t.chains.slice();
	const n = chains.length;
	let touched = false;
	// Dead and shadowed rules first: a chain whose tail is dead may really be a single rule.
	for (let i = 0; i < n; i++) {
		const c = chains[i]!;
		if (PRUNED.has(c)) continue;
		const p = prune(c, t, changes);
		if (p !== c) {
			chains[i] = p;
			touched = true;
		}
	}
	// A name used twice: the last chain of that name counts (as a lookup by name would find).
	const ids = new Map<string, number>();
	let duplicates = false;
	for (let i = 0; i < n; i++) {
		const size = ids.size;
		ids.set(chains[i]!.name, i);
		if (ids.size === size) duplicates = true;
	}
	/** The index a lookup of chain i's name finds (i itself unless a later chain has its name). */
	const selfId = new Int32Array(n);
	for (let i = 0; i < n; i++) selfId[i] = duplicates ? ids.get(chains[i]!.name)! : i;
	const pinnedBySet = new Uint8Array(n);
	for (const s of t.sets)
		for (const name of setChainRefs(s)) {
			const id = ids.get(name);
			if (id !== undefined) pinnedBySet[id] = 1;
		}
	const count = new Int32Array(n);
	const plain = new Int32Array(n);
	const pins = new Int32Array(n);
	const edges: (readonly Edge[])[] = new Array<readonly Edge[]>(n);
	const dirty = new Uint8Array(n);
	const dirtyList: number[] = [];
	const markDirty = (id: number): void => {
		if (dirty[id] === 0) {
			dirty[id] = 1;
			dirtyList.push(id);
		}
	};
	const tally = (es: readonly Edge[], sign: 1 | -1, mark: boolean): void => {
		for (let k = 0; k < es.length; k++) {
			const e = es[k]!;
			const id = e >> 2;
			const how = e & 3;
			count[id] = count[id]! + sign;
			if (how === RefHow.Plain) plain[id] = plain[id]! + sign;
			else if (how === RefHow.Pin) pins[id] = pins[id]! + sign;
			if (mark) markDirty(id);
		}
	};
	for (let i = 0; i < n; i++) tally((edges[i] = edgesOf(chains[i]!, ids)), 1, false);

	const shapes: (Shape | undefined)[] = new Array<Shape | undefined>(n);
	let shaped = 0;
	const reshape = (id: number): void => {
		const s = pinnedBySet[id] === 1 || pins[id]! > 0 || selfId[id] !== id ? undefined : shapeOf(chains[id]!, count[id]!, plain[id]!, fragment);
		if ((shapes[id] === undefined) !== (s === undefined)) shaped += s === undefined ? -1 : 1;
		shapes[id] = s;
	};
	for (let i = 0; i < n; i++) reshape(i);

	/** Whether some lone `[C] jump X` of chain i enters a chain X (not itself) that has a shape. */
	const jumpsToShape = (i: number): boolean => {
		const self = selfId[i];
		const es = edges[i]!;
		for (let k = 0; k < es.length; k++) {
			const e = es[k]!;
			const id = e >> 2;
			if ((e & 3) !== RefHow.Pin && id !== self && shapes[id] !== undefined) return true;
		}
		return false;
	};

	for (let round = 0; round < MAX_ROUNDS && shaped > 0; round++) {
		/** Chains rewritten this round. */
		const rewritten: number[] = [];
		for (let i = 0; i < n; i++) {
			if (!jumpsToShape(i)) continue;
			const c = chains[i]!;
			// The new body is collected in a reused array and copied out at its exact size (the
			// round rewrites tens of thousands of small kube-proxy chains).
			let m = -1;
			for (let k = 0; k < c.rules.length; k++) {
				const r = c.rules[k]!;
				const target = plainJump(r);
				const id = target !== undefined && target !== c.name ? ids.get(target) : undefined;
				const shape = id !== undefined ? shapes[id] : undefined;
				const after = shape !== undefined ? inlineAt(r, shape) : undefined;
				if (after === undefined) {
					if (m >= 0) BODY[m++] = r;
					continue;
				}
				if (m < 0) for (m = 0; m < k; m++) BODY[m] = c.rules[m]!;
				for (let x = 0; x < after.length; x++) BODY[m++] = after[x]!;
				changes.push({ pass: NAME, kind: after.length === 0 ? "remove" : "inline", family: t.family, table: t.name, chain: c.name, before: [r], after, reason: shape!.reason });
			}
			if (m < 0) continue;
			chains[i] = { ...c, rules: BODY.slice(0, m) };
			rewritten.push(i);
		}
		if (rewritten.length === 0) break;
		touched = true;
		// Prune after the whole round (the round's shapes were taken before any chain changed), then
		// bring the use counts up to date; chains whose body or uses changed get a new shape.
		for (let w = 0; w < rewritten.length; w++) {
			const i = rewritten[w]!;
			const c = prune(chains[i]!, t, changes);
			chains[i] = c;
			markDirty(selfId[i]!);
			tally(edges[i]!, -1, true);
			tally((edges[i] = edgesOf(c, ids)), 1, true);
		}
		for (let k = 0; k < dirtyList.length; k++) {
			const id = dirtyList[k]!;
			dirty[id] = 0;
			reshape(id);
		}
		dirtyList.length = 0;
	}
	// The buffer must not keep the last body's rules alive.
	BODY.length = 0;
	// Every chain was pruned after its last change (at the start or after its round).
	for (let i = 0; i < n; i++) PRUNED.add(chains[i]!);
	return touched ? { ...t, chains } : t;
}

function run(ruleset: nft.Ruleset): PassResult {
	const changes: Change[] = [];
	const tables = ruleset.tables.map((t) => inlineTable(t, changes));
	if (changes.length === 0) return { ruleset, changes, diagnostics: [] };
	return { ruleset: { tables }, changes, diagnostics: [] };
}

export const inlineChains: Pass = { name: NAME, level: 1, run };

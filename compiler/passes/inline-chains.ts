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
 * Never: base chains, `goto X` callers, callers with more than the jump (counters, logs), jumps
 * from verdict maps, recursion. The pass repeats until nothing changes (an inlined body can make
 * its caller inlinable) and removes dead and shadowed rules on the way, so one run is a fixpoint.
 */
import type * as nft from "../ir/nft.js";
import type { Change, Pass, PassResult } from "./pass.js";
import { removeDeadRules } from "./dead-rules.js";
import { hasStatefulCond, isVerdict, ruleRefs, setChainRefs } from "./facts.js";
import { removeShadowed } from "./shadowed-rules.js";

const NAME = "inline-chains";
const MAX_ROUNDS = 16;

/** `jump X` as the rule's only statement: X, else undefined. */
function plainJump(r: nft.Rule): string | undefined {
	if (r.stmts.length !== 1) return undefined;
	const s = r.stmts[0]!;
	return s.kind === "verdict" && s.verdict.kind === "jump" ? s.verdict.chain : undefined;
}

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
const writesSet = (r: nft.Rule): boolean => r.conds.some((c) => c.kind === "dynset");

type Shape =
	| { readonly kind: "empty" }
	| { readonly kind: "single"; readonly rule: nft.Rule | null; readonly writesSet: boolean }
	| { readonly kind: "body"; readonly rules: readonly nft.Rule[] };

interface Use {
	readonly chain: string;
	readonly index: number;
	readonly plain: boolean;
}

function shapeOf(c: nft.Chain, uses: readonly Use[]): Shape | undefined {
	if (c.base !== undefined) return undefined;
	if (c.rules.length === 0 || isUnconditionalReturn(c.rules[0]!)) return { kind: "empty" };
	if (c.rules.length === 1) {
		// A limit/quota/counter-based condition is one instance in X; copies would each keep their own.
		if (uses.length > 1 && hasStatefulCond(c.rules[0]!)) return undefined;
		const b = bodyAtCaller(c.rules[0]!);
		return b === undefined ? undefined : { kind: "single", rule: b, writesSet: writesSet(c.rules[0]!) };
	}
	const u = uses[0];
	if (uses.length === 1 && u !== undefined && u.plain && !c.rules.some(leavesChain)) return { kind: "body", rules: c.rules };
	return undefined;
}

function inlineTable(t: nft.Table, changes: Change[]): nft.Table | undefined {
	const uses = new Map<string, Use[]>();
	const pinned = new Set<string>();
	for (const s of t.sets) for (const n of setChainRefs(s)) pinned.add(n);
	for (const c of t.chains)
		c.rules.forEach((r, index) => {
			const j = plainJump(r);
			const refs = ruleRefs(r).chains;
			for (const n of refs) {
				let l = uses.get(n);
				if (l === undefined) uses.set(n, (l = []));
				l.push({ chain: c.name, index, plain: j === n && r.conds.length === 0 });
			}
			// Entered other than by a plain `[C] jump X` (goto, verdict map, extra statements): keep X.
			if (j === undefined) for (const n of refs) pinned.add(n);
		});
	const shapes = new Map<string, Shape>();
	for (const c of t.chains) {
		if (pinned.has(c.name)) continue;
		const s = shapeOf(c, uses.get(c.name) ?? []);
		if (s !== undefined) shapes.set(c.name, s);
	}
	if (shapes.size === 0) return undefined;
	let touched = false;
	const chains = t.chains.map((c) => {
		let cTouched = false;
		const out: nft.Rule[] = [];
		for (const r of c.rules) {
			const target = plainJump(r);
			const shape = target !== undefined && target !== c.name ? shapes.get(target) : undefined;
			if (shape === undefined) {
				out.push(r);
				continue;
			}
			let after: nft.Rule[];
			let reason: string;
			switch (shape.kind) {
				case "empty":
					if (writesSet(r)) {
						out.push(r);
						continue;
					}
					after = [];
					reason = `chain ${target} does nothing`;
					break;
				case "single":
					if (shape.rule === null) {
						if (writesSet(r) || shape.writesSet) {
							out.push(r);
							continue;
						}
						after = [];
						reason = `chain ${target} does nothing`;
						break;
					}
					after = [
						{
							conds: [...r.conds, ...shape.rule.conds],
							stmts: shape.rule.stmts,
							...(shape.rule.comment !== undefined ? { comment: shape.rule.comment } : r.comment !== undefined ? { comment: r.comment } : {}),
							origins: [...r.origins, ...shape.rule.origins],
						},
					];
					reason = `chain ${target} has a single rule`;
					break;
				case "body":
					if (r.conds.length !== 0) {
						out.push(r);
						continue;
					}
					after = [...shape.rules];
					reason = `chain ${target} is entered only from here, unconditionally`;
					break;
			}
			cTouched = true;
			out.push(...after);
			changes.push({ pass: NAME, kind: after.length === 0 ? "remove" : "inline", family: t.family, table: t.name, chain: c.name, before: [r], after, reason });
		}
		if (!cTouched) return c;
		touched = true;
		return { ...c, rules: out };
	});
	return touched ? { ...t, chains } : undefined;
}

/** Dead and shadowed rules inside a table's chains (inlining exposes new ones). */
function pruneTable(t: nft.Table, before: nft.Table, changes: Change[]): nft.Table | undefined {
	let touched = false;
	const old = new Set(before.chains);
	const chains = t.chains.map((c) => {
		if (old.has(c)) return c;
		let cur = c;
		const d = removeDeadRules(cur, t, NAME);
		if (d !== undefined) {
			changes.push(...d.changes);
			cur = { ...cur, rules: d.rules };
		}
		const s = removeShadowed(cur, t, NAME);
		if (s !== undefined) {
			changes.push(...s.changes);
			cur = { ...cur, rules: s.rules };
		}
		if (cur !== c) touched = true;
		return cur;
	});
	return touched ? { ...t, chains } : undefined;
}

const EMPTY_TABLE: nft.Table = { family: "ip", name: "", chains: [], sets: [], origins: [] };

function run(ruleset: nft.Ruleset): PassResult {
	const changes: Change[] = [];
	const tables = ruleset.tables.map((t0) => {
		// Dead and shadowed rules first: a chain whose tail is dead may really be a single rule.
		let t = pruneTable(t0, EMPTY_TABLE, changes) ?? t0;
		for (let round = 0; round < MAX_ROUNDS; round++) {
			const next = inlineTable(t, changes);
			if (next === undefined) break;
			t = pruneTable(next, t, changes) ?? next;
		}
		return t;
	});
	if (changes.length === 0) return { ruleset, changes, diagnostics: [] };
	return { ruleset: { tables }, changes, diagnostics: [] };
}

export const inlineChains: Pass = { name: NAME, level: 1, run };

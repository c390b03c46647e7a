/**
 * Facts about nft IR rules that the cleanup and map passes prove their rewrites from: which
 * conditions are stateful, which statements can change what a later condition reads, which rules
 * end the chain whenever their conditions hold, which chains a rule can enter.
 */
import type * as nft from "../ir/nft.js";
import { isVerdict } from "../ir/nft.js";
import { assertNever } from "../ir/span.js";
import { WeakCache } from "./caches.js";

/** A stable text key for structural equality (bigints spelled out, property order as built). */
export function keyOf(x: unknown): string {
	return JSON.stringify(x, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

const condKeys = new WeakCache<nft.Cond, string>();

/** A condition's structural key, cached per node (passes share unchanged nodes, so most hits are free). */
export function condKey(c: nft.Cond): string {
	let k = condKeys.get(c);
	if (k === undefined) condKeys.set(c, (k = keyOf(c)));
	return k;
}

function isRandomSelector(s: nft.Selector): boolean {
	return s.kind === "numgen" || (s.kind === "meta" && s.key === "random");
}

function exprIsRandom(e: nft.Expr): boolean {
	switch (e.kind) {
		case "and":
			return isRandomSelector(e.expr);
		case "concat":
			return e.parts.some(isRandomSelector);
		default:
			return isRandomSelector(e);
	}
}

/**
 * Conditions whose answer is not a function of the packet alone: evaluating them twice, or not at
 * all, changes what happens (limit/quota tokens, set contents, numgen counters, random draws).
 */
export function isStatefulCond(c: nft.Cond): boolean {
	switch (c.kind) {
		case "limit":
		case "quota":
		case "dynset":
		case "objref":
		case "side-set":
			return true;
		case "rel":
			return exprIsRandom(c.left);
		case "exists":
			return isRandomSelector(c.left);
		default:
			return assertNever(c, "condition");
	}
}

export const hasStatefulCond = (r: nft.Rule): boolean => r.conds.some(isStatefulCond);

/** The verdict statement of a rule, if any (lowering puts it last). */
export function verdictOf(r: nft.Rule): nft.Verdict | undefined {
	for (const s of r.stmts) if (s.kind === "verdict") return s.verdict;
	return undefined;
}

/**
 * True when a packet that satisfies the rule's conditions never reaches the next rule of the
 * chain: accept/drop/return/goto, reject, queue, and NAT to a fixed target (NAT ends the chain
 * with accept). A NAT or verdict map can miss its key and fall through, so it is not terminal;
 * neither is synproxy (it lets packets it does not handle go on).
 */
export function isTerminal(r: nft.Rule): boolean {
	for (const s of r.stmts) {
		switch (s.kind) {
			case "verdict":
				if (s.verdict.kind !== "jump" && s.verdict.kind !== "continue") return true;
				break;
			case "reject":
			case "queue":
				return true;
			case "nat":
				if (s.to === undefined || s.to.kind === "range") return true;
				break;
			case "tproxy":
				// No transparent socket: nft's tproxy BREAKs before the rule's verdict (lower/tproxy.ts
				// relies on the next rule, `… drop`, for that case).
				return false;
			default:
				break;
		}
	}
	return false;
}

/**
 * True when running the rule's statements may change what a later condition reads (marks,
 * headers, conntrack, set contents) or enters other chains (which may do so). Counters and log
 * lines change nothing a rule can match on.
 */
export function mayWrite(r: nft.Rule): boolean {
	if (r.conds.some((c) => c.kind === "dynset" || c.kind === "side-set")) return true;
	for (const s of r.stmts) {
		switch (s.kind) {
			case "counter":
			case "log":
			// A copy to a gateway and the trace flag change nothing a later rule matches on.
			case "dup":
			case "nftrace":
				break;
			case "verdict":
				if (s.verdict.kind === "jump" || s.verdict.kind === "goto") return true;
				break;
			case "reject":
			case "nat":
			case "mark-set":
			case "notrack":
			case "tcpmss":
			case "queue":
			case "payload-set":
			case "ct-zone-set":
			case "ct-helper-set":
			case "tproxy":
			case "priority-set":
			case "vmap":
			case "synproxy":
			case "netmap":
			case "tcpopt-reset":
			case "secmark-copy":
				return true;
			default:
				return assertNever(s, "statement");
		}
	}
	return false;
}

/** Chains a verdict enters. */
function verdictTarget(v: nft.Verdict): string | undefined {
	return v.kind === "jump" || v.kind === "goto" ? v.chain : undefined;
}

/**
 * Every chain a chain's rules name, computed once per chain object: chains are immutable and the
 * passes hand unchanged ones on as they are, so unreachable-chains' second run reads this for most
 * chains instead of walking their rules again.
 */
export interface ChainRefs {
	/** Chain names (jump, goto, inline verdict map elements), with repeats. */
	readonly names: readonly string[];
	/** Named maps the rules read (`vmap @m`). */
	readonly sets: readonly string[];
}

const NO_REFS: ChainRefs = { names: [], sets: [] };
const CHAIN_REFS = new WeakCache<nft.Chain, ChainRefs>();

/** `jump X` as the rule's only statement: X, else undefined. */
export function plainJump(r: nft.Rule): string | undefined {
	if (r.stmts.length !== 1) return undefined;
	const s = r.stmts[0]!;
	return s.kind === "verdict" && s.verdict.kind === "jump" ? s.verdict.chain : undefined;
}

export function chainRefs(c: nft.Chain): ChainRefs {
	const cached = CHAIN_REFS.get(c);
	if (cached !== undefined) return cached;
	let names: string[] | undefined;
	let sets: string[] | undefined;
	// Indexed loops: this runs over every chain before the optimiser picks it up (for-of would
	// allocate an iterator per loop until then).
	for (let i = 0; i < c.rules.length; i++) {
		const stmts = c.rules[i]!.stmts;
		for (let k = 0; k < stmts.length; k++) {
			const s = stmts[k]!;
			if (s.kind === "verdict") {
				const t = verdictTarget(s.verdict);
				if (t !== undefined) (names ??= []).push(t);
			} else if (s.kind === "vmap") {
				if (s.map.kind === "named") (sets ??= []).push(s.map.name);
				else
					for (const e of s.map.elems) {
						if (isVerdict(e.value)) {
							const t = verdictTarget(e.value);
							if (t !== undefined) (names ??= []).push(t);
						}
					}
			}
		}
	}
	const refs = names === undefined && sets === undefined ? NO_REFS : { names: names ?? [], sets: sets ?? [] };
	CHAIN_REFS.set(c, refs);
	return refs;
}


/** Chains named as data of a verdict map (`type … : verdict`). */
export function setChainRefs(s: nft.NamedSet): string[] {
	if (s.dataType !== "verdict") return [];
	const out: string[] = [];
	for (const e of s.elems) {
		if (typeof e === "object" && "key" in e && isVerdict(e.value)) {
			const t = verdictTarget(e.value);
			if (t !== undefined) out.push(t);
		}
	}
	return out;
}

/** Replace one table in a ruleset (by identity), keeping the others as they are. */
export function withTable(rs: nft.Ruleset, old: nft.Table, next: nft.Table): nft.Ruleset {
	return { tables: rs.tables.map((t) => (t === old ? next : t)) };
}

/**
 * A table whose base chains hold no rules is a fragment (iptables-restore --noflush input such as
 * kube-proxy's or ufw's before.rules): its user chains are entered from rules we do not see, so a
 * chain with rules stays even when nothing visible jumps to it.
 */
export function isFragment(t: nft.Table): boolean {
	return !t.chains.some((c) => c.base !== undefined && c.rules.length > 0);
}

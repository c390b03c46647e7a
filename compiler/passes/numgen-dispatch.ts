/**
 * kube-proxy's random load balancing: a run of `meta random & 0x7fffffff < t_i` rules that each
 * jump to an endpoint, closed by an unconditional jump, becomes one
 * `numgen random mod N vmap { 0 : jump A, 1 : jump B, … }` — but only when every endpoint keeps
 * EXACTLY its probability.
 *
 * iptables draws a fresh 31-bit random per rule: endpoint i is chosen with probability
 * Π_{j<i}(2^31 - t_j) · t_i / 2^(31(i+1)). The kernel's numgen random yields
 * reciprocal_scale(u32, N) = (u32 · N) >> 32, so value v has weight
 * ceil((v+1)·2^32/N) - ceil(v·2^32/N) out of 2^32 (not exactly 1/N unless N is a power of two).
 * The two are compared as exact rationals; kube-proxy's 1/3, 1/2 chain matches `mod 3` exactly
 * (715827883/2^31 = 1431655766/2^32). When the whole run does not match, the longest exact suffix
 * is rewritten and the earlier rules stay as they are.
 *
 * Runs before chain inlining: inlining the closing jump's endpoint chain would dissolve the shape.
 */
import { diagnostic, type Diagnostic } from "../ir/diagnostics.js";
import type * as nft from "../ir/nft.js";
import type { Change, Pass, PassResult } from "./pass.js";
import { unchanged } from "./pass.js";

const TWO31 = 1n << 31n;
const TWO32 = 1n << 32n;

interface Arm {
	readonly threshold?: bigint;
	readonly verdict: nft.Verdict;
}

/** `meta random & 0x7fffffff < t` → t. */
function thresholdOf(c: nft.Cond): bigint | undefined {
	if (c.kind !== "rel" || c.op !== "<" || c.right.kind !== "num") return undefined;
	const l = c.left;
	if (l.kind !== "and" || l.mask !== 0x7fffffffn || l.expr.kind !== "meta" || l.expr.key !== "random") return undefined;
	const t = c.right.value;
	return t > 0n && t < TWO31 ? t : undefined;
}

function soleVerdict(r: nft.Rule): nft.Verdict | undefined {
	if (r.stmts.length !== 1) return undefined;
	const s = r.stmts[0]!;
	if (s.kind !== "verdict") return undefined;
	const v = s.verdict;
	return v.kind === "jump" || v.kind === "goto" || v.kind === "accept" || v.kind === "drop" ? v : undefined;
}

function armOf(r: nft.Rule): Arm | undefined {
	const verdict = soleVerdict(r);
	if (verdict === undefined) return undefined;
	if (r.conds.length === 0) return { verdict };
	if (r.conds.length !== 1) return undefined;
	const threshold = thresholdOf(r.conds[0]!);
	return threshold === undefined ? undefined : { threshold, verdict };
}

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/** The kernel's numgen random weights for `mod n`, out of 2^32. */
export function numgenWeights(n: bigint): bigint[] {
	const w: bigint[] = [];
	for (let v = 0n; v < n; v++) w.push(ceilDiv((v + 1n) * TWO32, n) - ceilDiv(v * TWO32, n));
	return w;
}

/** Exact probabilities of a statistic run (thresholds of all arms but the last): [num, den] each. */
export function statisticProbabilities(thresholds: readonly bigint[]): [bigint, bigint][] {
	const out: [bigint, bigint][] = [];
	let restNum = 1n;
	let restDen = 1n;
	for (const t of thresholds) {
		out.push([restNum * t, restDen * TWO31]);
		restNum *= TWO31 - t;
		restDen *= TWO31;
	}
	out.push([restNum, restDen]);
	return out;
}

const matchCache = new Map<string, boolean>();

/** Whether `numgen random mod arms` gives each arm exactly its iptables probability. */
export function numgenMatches(thresholds: readonly bigint[]): boolean {
	const key = thresholds.join(",");
	let m = matchCache.get(key);
	if (m === undefined) matchCache.set(key, (m = numgenMatchesExact(thresholds)));
	return m;
}

function numgenMatchesExact(thresholds: readonly bigint[]): boolean {
	const probs = statisticProbabilities(thresholds);
	const w = numgenWeights(BigInt(probs.length));
	return probs.every(([num, den], i) => num * TWO32 === w[i]! * den);
}

/** Arms beyond this are left alone (the exact check is cheap, but no real service has more). */
const MAX_ARMS = 4096;

/** The part of a run that becomes one map: rules [start, end) and their arms. */
interface Span {
	readonly start: number;
	readonly end: number;
	readonly arms: readonly Arm[];
}

/** Cheap test, no allocation: some rule is a lone `meta random & 0x7fffffff < t` with one statement. */
function mayHaveRun(rules: readonly nft.Rule[]): boolean {
	if (rules.length < 2) return false;
	for (const r of rules) if (r.conds.length === 1 && r.stmts.length === 1 && thresholdOf(r.conds[0]!) !== undefined) return true;
	return false;
}

/** Where a chain's statistic runs can become maps (found first, built only if the table stays under the limit). */
function findSpans(rules: readonly nft.Rule[]): Span[] {
	const spans: Span[] = [];
	if (!mayHaveRun(rules)) return spans;
	let i = 0;
	while (i < rules.length) {
		// A run: conditional arms, then one unconditional arm.
		let j = i;
		const arms: Arm[] = [];
		while (j < rules.length && arms.length < MAX_ARMS) {
			const a = armOf(rules[j]!);
			if (a === undefined) break;
			arms.push(a);
			j++;
			if (a.threshold === undefined) break;
		}
		const closed = arms.length >= 2 && arms[arms.length - 1]!.threshold === undefined;
		if (!closed) {
			i++;
			continue;
		}
		const thresholds = arms.slice(0, -1).map((a) => a.threshold!);
		let start = -1;
		for (let s = 0; s <= thresholds.length - 1; s++) {
			if (numgenMatches(thresholds.slice(s))) {
				start = s;
				break;
			}
		}
		if (start >= 0) spans.push({ start: i + start, end: j, arms: arms.slice(start) });
		i = j;
	}
	return spans;
}

function rewriteChain(rules: readonly nft.Rule[], spans: readonly Span[]): { rules: nft.Rule[]; changes: { before: nft.Rule[]; after: nft.Rule }[] } {
	const out: nft.Rule[] = [];
	const changes: { before: nft.Rule[]; after: nft.Rule }[] = [];
	let i = 0;
	for (const sp of spans) {
		for (; i < sp.start; i++) out.push(rules[i]!);
		const merged = rules.slice(sp.start, sp.end);
		const n = BigInt(merged.length);
		const elems: nft.MapElem[] = sp.arms.map((a, v) => ({ key: { kind: "num", value: BigInt(v) }, value: a.verdict }));
		const comments = new Set(merged.map((r) => r.comment));
		const only = comments.size === 1 ? [...comments][0] : undefined;
		const rule: nft.Rule = {
			conds: [],
			stmts: [{ kind: "vmap", key: { kind: "numgen", mode: "random", mod: n }, map: { kind: "inline", elems } }],
			...(only !== undefined ? { comment: only } : {}),
			origins: merged.flatMap((r) => r.origins),
		};
		out.push(rule);
		changes.push({ before: merged, after: rule });
		i = sp.end;
	}
	for (; i < rules.length; i++) out.push(rules[i]!);
	return { rules: out, changes };
}

/**
 * Most dispatch maps per table. Each becomes an anonymous set in the kernel, and naming an
 * anonymous set (`__map%d`) scans every set of the table: loading n of them is quadratic. Measured
 * here (kernel 6.18, nft 1.0.6): kube-proxy with 2000/4000/10000 services loads in
 * 1.3/8.6/109 s with per-service maps against 0.6/1.0/5.6 s without. Beyond this many, the
 * statistic rules stay (exact already; one or two more rule evaluations per packet).
 */
export const MAX_DISPATCH_MAPS = 256;

function run(ruleset: nft.Ruleset): PassResult {
	const changes: Change[] = [];
	const diagnostics: Diagnostic[] = [];
	let touched = false;
	const tables = ruleset.tables.map((t) => {
		let tableTouched = false;
		const found = new Map<nft.Chain, Span[]>();
		let maps = 0;
		for (const c of t.chains) {
			const spans = findSpans(c.rules);
			if (spans.length === 0) continue;
			found.set(c, spans);
			maps += spans.length;
		}
		if (maps > MAX_DISPATCH_MAPS) {
			diagnostics.push(
				diagnostic(
					"numgen_dispatch_limit",
					`table ${t.family} ${t.name}: ${maps} statistic chains could each become a numgen verdict map; above ${MAX_DISPATCH_MAPS} the kernel loads them slowly (quadratic), so they stay as rules`,
					t.origins[0],
				),
			);
			return t;
		}
		if (maps === 0) return t;
		const chains = t.chains.map((c) => {
			const spans = found.get(c);
			if (spans === undefined) return c;
			const r = rewriteChain(c.rules, spans);
			tableTouched = true;
			for (const ch of r.changes)
				changes.push({
					pass: "numgen-dispatch",
					kind: "merge",
					family: t.family,
					table: t.name,
					chain: c.name,
					before: ch.before,
					after: [ch.after],
					reason: `statistic random chain of ${ch.before.length} arms; numgen random mod ${ch.before.length} gives each arm exactly the same probability (kernel reciprocal_scale weights)`,
				});
			return { ...c, rules: r.rules };
		});
		if (!tableTouched) return t;
		touched = true;
		return { ...t, chains };
	});
	return touched ? { ruleset: { tables }, changes, diagnostics } : { ...unchanged(ruleset), diagnostics };
}

export const numgenDispatch: Pass = { name: "numgen-dispatch", level: 1, run };

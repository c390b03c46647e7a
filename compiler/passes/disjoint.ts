/**
 * Disjointness of rules, proven from the IR (never by sampling): two rules are disjoint when some
 * field both constrain has value sets that do not intersect, so no packet can match both.
 *
 * Only fields that no statement can change while a chain is being evaluated count (addresses,
 * ports, protocols, interface names, ICMP types): a `jump` that comes back, or a `meta mark set`,
 * cannot make a packet match a rule it did not match before. NAT rewrites headers only after the
 * nat chain returns, so it does not change them mid-chain either. Conditions we cannot read
 * constrain nothing (conservative: unknown ⇒ assume overlap).
 */
import * as nft from "../ir/nft.js";

/** Sorted, non-overlapping inclusive intervals. */
export type Intervals = readonly (readonly [bigint, bigint])[];

export interface IfaceName {
	readonly value: string;
	readonly wildcard: boolean;
}

/** The values a rule lets through on one field (an over-approximation). */
export type Domain = { readonly kind: "ints"; readonly ivs: Intervals } | { readonly kind: "names"; readonly names: readonly IfaceName[] };

export interface RuleFacts {
	/** Field name → values the rule can match (absent: any value). */
	readonly fields: ReadonlyMap<string, Domain>;
	/** Evaluating the rule has effects even when it does not match (limit, quota, set updates, numgen inc). */
	readonly sideEffects: boolean;
}

const L4: Readonly<Record<string, bigint>> = { tcp: 6n, udp: 17n, udplite: 136n, sctp: 132n, dccp: 33n, icmp: 1n, icmpv6: 58n };
const PORT_PROTOS: ReadonlySet<string> = new Set(["tcp", "udp", "udplite", "sctp", "dccp", "th"]);
const NFPROTO_IPV4 = 2n;
const NFPROTO_IPV6 = 10n;

/** Bit width of the immutable fields we reason about; others are ignored. */
const WIDTH: Readonly<Record<string, number>> = {
	"ip saddr": 32,
	"ip daddr": 32,
	"ip6 saddr": 128,
	"ip6 daddr": 128,
	"th sport": 16,
	"th dport": 16,
	l4proto: 8,
	nfproto: 8,
	"icmp type": 8,
	"icmp code": 8,
	"icmpv6 type": 8,
	"icmpv6 code": 8,
	"ether saddr": 48,
	"ether daddr": 48,
};

/** Immutable integer fields, for callers that must know a key cannot change mid-chain. */
export function isImmutableField(field: string): boolean {
	return field in WIDTH || field === "iifname" || field === "oifname";
}

/**
 * The field a selector reads, with the protocol its nft spelling implies (`tcp dport` reads the
 * same two bytes as `th dport`, after an implicit `meta l4proto tcp`).
 */
export interface FieldOf {
	readonly field: string;
	readonly l4?: bigint;
	readonly nf?: bigint;
}

const PAYLOAD_FIELD_CACHE = new Map<nft.PayloadKey, FieldOf | undefined>();

export function fieldOf(s: nft.Selector): FieldOf | undefined {
	if (s.kind !== "payload") return selectorField(s);
	if (!PAYLOAD_FIELD_CACHE.has(s.key)) PAYLOAD_FIELD_CACHE.set(s.key, selectorField(s));
	return PAYLOAD_FIELD_CACHE.get(s.key);
}

function selectorField(s: nft.Selector): FieldOf | undefined {
	switch (s.kind) {
		case "payload": {
			const [proto, name] = s.key.split(" ") as [string, string];
			if (PORT_PROTOS.has(proto) && (name === "sport" || name === "dport")) {
				const l4 = L4[proto];
				return l4 !== undefined ? { field: `th ${name}`, l4 } : { field: `th ${name}` };
			}
			if (s.key === "ip protocol") return { field: "l4proto", nf: NFPROTO_IPV4 };
			if (proto === "icmp" || proto === "icmpv6") return { field: s.key, l4: L4[proto]! };
			if (proto === "ip" && s.key in WIDTH) return { field: s.key, nf: NFPROTO_IPV4 };
			if (proto === "ip6" && s.key in WIDTH) return { field: s.key, nf: NFPROTO_IPV6 };
			if (s.key in WIDTH) return { field: s.key };
			return undefined;
		}
		case "meta":
			if (s.key === "l4proto" || s.key === "nfproto") return { field: s.key };
			if (s.key === "iifname" || s.key === "oifname") return { field: s.key };
			return undefined;
		default:
			return undefined;
	}
}

function full(width: number): readonly [bigint, bigint] {
	return [0n, (1n << BigInt(width)) - 1n];
}

/** The numeric interval a number, range or prefix covers at `width` bits (else undefined). */
export function valueInterval(v: nft.Value, width: number): readonly [bigint, bigint] | undefined {
	switch (v.kind) {
		case "num":
			return [v.value, v.value];
		case "range":
			return [v.lo, v.hi];
		case "prefix": {
			const host = (1n << BigInt(width - v.len)) - 1n;
			return [v.value & ~host, (v.value & ~host) | host];
		}
		default:
			return undefined;
	}
}

/** Sorts and merges overlapping intervals. */
export function normalise(ivs: readonly (readonly [bigint, bigint])[]): Intervals {
	const s = [...ivs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
	const out: [bigint, bigint][] = [];
	for (const [lo, hi] of s) {
		const last = out[out.length - 1];
		if (last !== undefined && lo <= last[1]) {
			if (hi > last[1]) last[1] = hi;
		} else out.push([lo, hi]);
	}
	return out;
}

function complement(ivs: Intervals, width: number): Intervals {
	const [, max] = full(width);
	const out: (readonly [bigint, bigint])[] = [];
	let next = 0n;
	for (const [lo, hi] of ivs) {
		if (lo > next) out.push([next, lo - 1n]);
		next = hi + 1n;
	}
	if (next <= max) out.push([next, max]);
	return out;
}

export function intersects(a: Intervals, b: Intervals): boolean {
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		const x = a[i]!;
		const y = b[j]!;
		if (x[1] < y[0]) i++;
		else if (y[1] < x[0]) j++;
		else return true;
	}
	return false;
}

function intersect(a: Intervals, b: Intervals): Intervals {
	const out: (readonly [bigint, bigint])[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		const x = a[i]!;
		const y = b[j]!;
		const lo = x[0] > y[0] ? x[0] : y[0];
		const hi = x[1] < y[1] ? x[1] : y[1];
		if (lo <= hi) out.push([lo, hi]);
		if (x[1] < y[1]) i++;
		else j++;
	}
	return out;
}

export function namesOverlap(a: IfaceName, b: IfaceName): boolean {
	if (!a.wildcard && !b.wildcard) return a.value === b.value;
	if (a.wildcard && b.wildcard) return a.value.startsWith(b.value) || b.value.startsWith(a.value);
	const [w, e] = a.wildcard ? [a, b] : [b, a];
	return e.value.startsWith(w.value);
}

function domainsIntersect(a: Domain, b: Domain): boolean {
	if (a.kind === "ints" && b.kind === "ints") return intersects(a.ivs, b.ivs);
	if (a.kind === "names" && b.kind === "names") return a.names.some((x) => b.names.some((y) => namesOverlap(x, y)));
	return true;
}

/** The values of one `rel` condition on an integer field, or undefined when we cannot tell. */
function relIntervals(op: nft.RelOp, right: nft.Value, width: number): Intervals | undefined {
	const elems = right.kind === "set" ? right.elems : [right];
	const raw: (readonly [bigint, bigint])[] = [];
	for (const e of elems) {
		const iv = valueInterval(e, width);
		if (iv === undefined) return undefined;
		raw.push(iv);
	}
	const [, max] = full(width);
	const single = raw.length === 1 ? raw[0]! : undefined;
	switch (op) {
		case "==":
			return normalise(raw);
		case "!=":
			return complement(normalise(raw), width);
		case "<":
			return single !== undefined && single[0] > 0n ? [[0n, single[0] - 1n]] : undefined;
		case "<=":
			return single !== undefined ? [[0n, single[1]]] : undefined;
		case ">":
			return single !== undefined && single[1] < max ? [[single[1] + 1n, max]] : undefined;
		case ">=":
			return single !== undefined ? [[single[0], max]] : undefined;
	}
}

function relNames(op: nft.RelOp, right: nft.Value): readonly IfaceName[] | undefined {
	if (op !== "==") return undefined;
	const elems = right.kind === "set" ? right.elems : [right];
	const out: IfaceName[] = [];
	for (const e of elems) {
		if (e.kind !== "string") return undefined;
		out.push({ value: e.value, wildcard: e.wildcard });
	}
	return out;
}

function hasSideEffects(c: nft.Cond): boolean {
	switch (c.kind) {
		case "limit":
		case "quota":
		case "dynset":
		case "objref":
		case "side-set":
			return true;
		case "exists":
			return false;
		case "rel": {
			const sels = c.left.kind === "concat" ? c.left.parts : c.left.kind === "and" ? [c.left.expr] : [c.left];
			return sels.some((s) => s.kind === "numgen" && s.mode === "inc");
		}
	}
}

/** What a rule's conditions say about each immutable field. */
export function ruleFacts(r: nft.Rule): RuleFacts {
	const fields = new Map<string, Domain>();
	const constrain = (field: string, d: Domain): void => {
		const old = fields.get(field);
		if (old === undefined) fields.set(field, d);
		else if (old.kind === "ints" && d.kind === "ints") fields.set(field, { kind: "ints", ivs: intersect(old.ivs, d.ivs) });
		// Two name constraints: keeping the first is still an over-approximation.
	};
	let sideEffects = false;
	for (const c of r.conds) {
		if (hasSideEffects(c)) sideEffects = true;
		if (c.kind !== "rel" || c.left.kind === "and" || c.left.kind === "concat") continue;
		const f = fieldOf(c.left);
		if (f === undefined) continue;
		// The protocol the spelling implies holds whenever the condition matches, whatever its op.
		if (f.l4 !== undefined) constrain("l4proto", { kind: "ints", ivs: [[f.l4, f.l4]] });
		if (f.nf !== undefined) constrain("nfproto", { kind: "ints", ivs: [[f.nf, f.nf]] });
		if (f.field === "iifname" || f.field === "oifname") {
			const names = relNames(c.op, c.right);
			if (names !== undefined) constrain(f.field, { kind: "names", names });
			continue;
		}
		const width = WIDTH[f.field];
		if (width === undefined) continue;
		const ivs = relIntervals(c.op, c.right, width);
		if (ivs !== undefined) constrain(f.field, { kind: "ints", ivs });
	}
	return { fields, sideEffects };
}

/** No packet can match both rules (some shared immutable field has disjoint values). */
export function disjoint(a: RuleFacts, b: RuleFacts): boolean {
	for (const [field, da] of a.fields) {
		if (da.kind === "ints" && da.ivs.length === 0) return true; // a matches nothing
		const db = b.fields.get(field);
		if (db === undefined) continue;
		if (!domainsIntersect(da, db)) return true;
	}
	for (const db of b.fields.values()) if (db.kind === "ints" && db.ivs.length === 0) return true;
	return false;
}

/**
 * Two adjacent rules may trade places: no packet matches both, and evaluating either when it does
 * not match has no effect (a `limit` before the failing match would still take a token).
 */
export function canSwap(a: RuleFacts, b: RuleFacts): boolean {
	return !a.sideEffects && !b.sideEffects && disjoint(a, b);
}

export { L4 as L4_PROTOCOLS };

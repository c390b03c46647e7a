/**
 * -m conntrack. The ctstate list mixes real states (one bit of `ct state`) with the virtual
 * SNAT/DNAT states, which are bits of `ct status` in nft. xt_conntrack ORs them all:
 *   match = (state in S) or (status has a bit of V), negated with `!`.
 * Packets without a conntrack entry (state invalid or untracked) have no status at all: nft's
 * `ct status` then ends the rule, while iptables sees "no V bit". The alternatives below make
 * both cases explicit and are mutually exclusive (see context.ts).
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { addrMaskCond, NEVER, negOp, one, rangeValue, type Alts, type MatchOut } from "./context.js";

const STATE_BIT: Readonly<Record<ipt.CtStateName, { readonly key: "state" | "status"; readonly bit: bigint }>> = {
	INVALID: { key: "state", bit: nft.CT_STATE_BITS.invalid },
	NEW: { key: "state", bit: nft.CT_STATE_BITS.new },
	ESTABLISHED: { key: "state", bit: nft.CT_STATE_BITS.established },
	RELATED: { key: "state", bit: nft.CT_STATE_BITS.related },
	UNTRACKED: { key: "state", bit: nft.CT_STATE_BITS.untracked },
	SNAT: { key: "status", bit: nft.CT_STATUS_BITS.snat },
	DNAT: { key: "status", bit: nft.CT_STATUS_BITS.dnat },
};

const STATUS_BIT: Readonly<Record<ipt.CtStatusName, bigint>> = {
	NONE: 0n,
	EXPECTED: nft.CT_STATUS_BITS.expected,
	SEEN_REPLY: nft.CT_STATUS_BITS["seen-reply"],
	ASSURED: nft.CT_STATUS_BITS.assured,
	CONFIRMED: nft.CT_STATUS_BITS.confirmed,
};

const ctSel = (key: nft.CtKey): nft.Selector => ({ kind: "ct", key });
const anyOf = (key: nft.CtKey, bits: bigint): nft.Cond => nft.rel(ctSel(key), "==", { kind: "flags", bits });
const noneOf = (key: nft.CtKey, bits: bigint): nft.Cond =>
	nft.rel({ kind: "and", expr: ctSel(key), mask: bits }, "==", nft.num(0));

/** States in which the packet has no conntrack entry (so `ct status` cannot be read). */
const NO_CT = nft.CT_STATE_BITS.invalid | nft.CT_STATE_BITS.untracked;
/** States in which it has one. */
const HAS_CT = nft.CT_STATE_BITS.new | nft.CT_STATE_BITS.established | nft.CT_STATE_BITS.related;

export function lowerCtState(st: ipt.Neg<readonly ipt.CtStateName[]>): Alts {
	let s = 0n;
	let v = 0n;
	for (const name of st.value) {
		const b = STATE_BIT[name];
		if (b.key === "state") s |= b.bit;
		else v |= b.bit;
	}
	if (!st.neg) {
		if (v === 0n) return s === 0n ? NEVER : one(anyOf("state", s));
		if (s === 0n) return one(anyOf("status", v));
		return [[anyOf("state", s)], [noneOf("state", s), anyOf("status", v)]];
	}
	if (v === 0n) return s === 0n ? one() : one(noneOf("state", s));
	// Negated with virtual states: no ct entry (and not in S), or an entry without V bits.
	const alts: nft.Cond[][] = [];
	const noCt = NO_CT & ~s;
	if (noCt !== 0n) alts.push([anyOf("state", noCt)]);
	alts.push(s === 0n ? [noneOf("status", v)] : [noneOf("state", s), noneOf("status", v)]);
	return alts;
}

/** Status bits: any of them set (xt_conntrack), negated: none; needs a ct entry either way. */
function ctStatusCond(st: ipt.Neg<readonly ipt.CtStatusName[]>): Alts {
	const bits = st.value.reduce((acc, n) => acc | STATUS_BIT[n], 0n);
	if (bits === 0n) return st.neg ? one(anyOf("state", HAS_CT)) : NEVER;
	return one(st.neg ? noneOf("status", bits) : anyOf("status", bits));
}

export function lowerConntrack(fam: ipt.Fam, m: ipt.ConntrackMatch): MatchOut {
	const ipFam = fam === 4 ? "ip" : "ip6";
	const base: nft.Cond[] = [];
	if (m.dir !== undefined) base.push(nft.rel(ctSel("direction"), "==", nft.num(m.dir === "ORIGINAL" ? 0 : 1)));
	if (m.proto !== undefined) {
		base.push(nft.rel({ kind: "ct", key: "protocol", dir: "original" }, negOp(m.proto.neg), nft.num(m.proto.value)));
	}
	for (const [dir, key, a] of [
		["original", "saddr", m.origSrc],
		["original", "daddr", m.origDst],
		["reply", "saddr", m.replSrc],
		["reply", "daddr", m.replDst],
	] as const) {
		if (a === undefined) continue;
		const sel: nft.Selector = { kind: "ct", key, dir, fam: ipFam };
		// Even /0 matters here: it still requires a conntrack entry.
		base.push(
			addrMaskCond(sel, a.value, a.neg) ??
				nft.rel(sel, "==", { kind: "prefix", value: 0n, len: 0 }),
		);
	}
	for (const [dir, key, p] of [
		["original", "proto-src", m.origSrcPort],
		["original", "proto-dst", m.origDstPort],
		["reply", "proto-src", m.replSrcPort],
		["reply", "proto-dst", m.replDstPort],
	] as const) {
		if (p === undefined) continue;
		base.push(nft.rel({ kind: "ct", key, dir }, negOp(p.neg), rangeValue(p.value)));
	}
	if (m.expire !== undefined) {
		// xt_conntrack compares whole seconds left; nft reads milliseconds left.
		const lo = BigInt(m.expire.value.lo) * 1000n;
		const hi = BigInt(m.expire.value.hi) * 1000n + 999n;
		base.push(nft.rel(ctSel("expiration"), negOp(m.expire.neg), { kind: "range", lo, hi }));
	}
	let alts: Alts = one(...base);
	if (m.state !== undefined) alts = product(alts, lowerCtState(m.state));
	if (m.status !== undefined) alts = product(alts, ctStatusCond(m.status));
	return alts;
}

/** AND of two disjunctions (stays mutually exclusive when both inputs are). */
export function product(a: Alts, b: Alts): Alts {
	// Fast paths: AND with "true" (one empty alternative) is the identity.
	if (b.length === 1 && b[0]?.length === 0) return a;
	if (a.length === 1 && a[0]?.length === 0) return b;
	const out: nft.Cond[][] = [];
	for (const x of a) for (const y of b) out.push([...x, ...y]);
	return out;
}

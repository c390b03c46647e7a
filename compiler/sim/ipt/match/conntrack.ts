/**
 * xt_conntrack (and xt_state, which iptables implements through it). Kernel semantics:
 * without an entry (INVALID, UNTRACKED) only a state test can match, and the match then holds
 * iff a state test was given and passed. SNAT/DNAT are virtual states from the status bits.
 */
import type { AddrMask, ConntrackMatch, CtStateName, CtStatusName, StateMatch } from "../../../ir/ipt.js";
import { assertNever } from "../../../ir/span.js";
import { CT_STATUS, type CtInfo, type Packet, type Tuple } from "../../packet.js";
import type { MatchFn } from "../types.js";

const ST_INVALID = 1 << 0;
const ST_ESTABLISHED = 1 << 1;
const ST_RELATED = 1 << 2;
const ST_NEW = 1 << 3;
const ST_SNAT = 1 << 9;
const ST_DNAT = 1 << 10;
const ST_UNTRACKED = 1 << 11;

const STATE_BIT: Readonly<Record<CtStateName, number>> = {
	INVALID: ST_INVALID,
	ESTABLISHED: ST_ESTABLISHED,
	RELATED: ST_RELATED,
	NEW: ST_NEW,
	UNTRACKED: ST_UNTRACKED,
	SNAT: ST_SNAT,
	DNAT: ST_DNAT,
};

const STATUS_BIT: Readonly<Record<CtStatusName, number>> = {
	NONE: 0,
	EXPECTED: CT_STATUS.expected,
	SEEN_REPLY: CT_STATUS.seenReply,
	ASSURED: CT_STATUS.assured,
	CONFIRMED: CT_STATUS.confirmed,
};

/** The packet's state bit as xt_conntrack computes it (without the NAT bits). */
export function stateBit(ct: CtInfo): number {
	switch (ct.state) {
		case "invalid":
			return ST_INVALID;
		case "untracked":
			return ST_UNTRACKED;
		case "new":
			return ST_NEW;
		case "established":
			return ST_ESTABLISHED;
		case "related":
			return ST_RELATED;
		default:
			return assertNever(ct.state, "ct state");
	}
}

export function hasEntry(ct: CtInfo): boolean {
	return ct.state !== "invalid" && ct.state !== "untracked";
}

function addrOk(a: AddrMask, x: bigint | undefined): boolean {
	return x !== undefined && (x & a.mask) === a.addr;
}

export function compileConntrack(m: ConntrackMatch): MatchFn {
	const stateMask = m.state ? m.state.value.reduce((acc, s) => acc | STATE_BIT[s], 0) : 0;
	const stateNeg = m.state?.neg ?? false;
	const hasState = m.state !== undefined;
	const statusMask = m.status ? m.status.value.reduce((acc, s) => acc | STATUS_BIT[s], 0) : 0;
	const tupleChecks: ((o: Tuple, r: Tuple) => boolean)[] = [];
	const addr = (f: ConntrackMatch["origSrc"], get: (o: Tuple, r: Tuple) => bigint): void => {
		if (f) tupleChecks.push((o, r) => addrOk(f.value, get(o, r)) !== f.neg);
	};
	addr(m.origSrc, (o) => o.saddr);
	addr(m.origDst, (o) => o.daddr);
	addr(m.replSrc, (_o, r) => r.saddr);
	addr(m.replDst, (_o, r) => r.daddr);
	if (m.proto) {
		const p = m.proto;
		tupleChecks.push((o) => (o.proto === p.value) !== p.neg);
	}
	const port = (f: ConntrackMatch["origSrcPort"], get: (o: Tuple, r: Tuple) => number): void => {
		if (f) tupleChecks.push((o, r) => {
			const x = get(o, r);
			return (x >= f.value.lo && x <= f.value.hi) !== f.neg;
		});
	};
	port(m.origSrcPort, (o) => o.sport);
	port(m.origDstPort, (o) => o.dport);
	port(m.replSrcPort, (_o, r) => r.sport);
	port(m.replDstPort, (_o, r) => r.dport);
	const status = m.status;
	const dir = m.dir;
	const expire = m.expire;
	return (pkt: Packet) => {
		const ct = pkt.ct;
		const entry = hasEntry(ct);
		if (hasState) {
			let bit = stateBit(ct);
			if (entry) {
				if (ct.status & CT_STATUS.srcNat) bit |= ST_SNAT;
				if (ct.status & CT_STATUS.dstNat) bit |= ST_DNAT;
			}
			if (((stateMask & bit) !== 0) === stateNeg) return false;
		}
		if (!entry) return hasState;
		if (dir !== undefined && (ct.dir === "original") !== (dir === "ORIGINAL")) return false;
		const o = ct.orig;
		const r = ct.reply;
		if (tupleChecks.length > 0) {
			if (!o || !r) return false;
			for (const c of tupleChecks) if (!c(o, r)) return false;
		}
		if (status && ((statusMask & ct.status) !== 0) === status.neg) return false;
		if (expire && (ct.expire >= expire.value.lo && ct.expire <= expire.value.hi) === expire.neg) return false;
		return true;
	};
}

export function compileState(m: StateMatch): MatchFn {
	return compileConntrack({ kind: "conntrack", state: m.state });
}

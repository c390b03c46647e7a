/**
 * -m rt -> `rt type`, `rt seg-left`, `rt hdrlength`. Like xt_rt, nft finds the first routing
 * header and a rule without one never matches (also when negated). xt_rt compares --rt-len with
 * the header length in bytes, (hdrlength + 1) * 8, while nft reads the raw field.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { NEVER, negOp, one, rangeValue, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

const rtField = (field: nft.ExthdrField): nft.Selector => ({ kind: "exthdr", hdr: "rt", field });

export function lowerRt(ctx: RuleCtx, m: ipt.RtMatch): MatchOut {
	if (m.addrs !== undefined) return refuse(ctx, "unsupported_option", "rt --rt-0-addrs cannot be expressed in nft", "type 0 routing headers are deprecated (RFC 5095); drop them with --rt-type 0");
	const conds: nft.Cond[] = [];
	if (m.type !== undefined) conds.push(nft.rel(rtField("type"), negOp(m.type.neg), nft.num(m.type.value)));
	if (m.segsleft !== undefined) {
		const r = m.segsleft.value;
		// seg-left is 8 bits on the wire; xt_rt compares it with a 32-bit interval.
		if (r.lo > 255) {
			if (!m.segsleft.neg) return NEVER;
		} else conds.push(nft.rel(rtField("seg-left"), negOp(m.segsleft.neg), rangeValue({ lo: r.lo, hi: Math.min(r.hi, 255) })));
	}
	if (m.len !== undefined) {
		const n = m.len.value;
		const raw = n / 8 - 1;
		if (n % 8 !== 0 || raw < 0 || raw > 255) {
			if (!m.len.neg) return NEVER;
		} else conds.push(nft.rel(rtField("hdrlength"), negOp(m.len.neg), nft.num(raw)));
	}
	if (m.reserved === true) return refuse(ctx, "unsupported_option", "rt --rt-0-res cannot be expressed in nft 1.0.6", undefined);
	if (conds.length === 0) conds.push({ kind: "exists", left: { kind: "exthdr", hdr: "rt" }, present: true });
	return one(...conds);
}

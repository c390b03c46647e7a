/**
 * -m connbytes -> `ct [original|reply] packets|bytes|avgpkt …`. The kernel's encoding (ipt.ts
 * ConnbytesMatch) decides the relation: from <= to is the range [from, to], from > to (`!`) is
 * "below to or above from". Both sides need a conntrack entry (xt_connbytes: no match; nft_ct:
 * BREAK), so `ct bytes >= 0` stays even though every counter passes it. Without the accounting
 * extension xt_connbytes never matches while nft reads 0; both modules switch nf_conntrack_acct on
 * when their rule loads, so only connections older than the ruleset differ.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { NEVER, one, type MatchOut } from "./context.js";

const U64_MAX = (1n << 64n) - 1n;

export function lowerConnbytes(m: ipt.ConnbytesMatch): MatchOut {
	const sel: nft.Selector = { kind: "ct", key: m.mode, ...(m.dir !== "both" ? { dir: m.dir } : {}) };
	const { from, to } = m;
	if (to >= from) {
		if (from === to) return one(nft.rel(sel, "==", nft.num(from)));
		if (to === U64_MAX) return one(nft.rel(sel, ">=", nft.num(from)));
		return one(nft.rel(sel, "==", nft.range(from, to)));
	}
	// Inverted: x < to || x > from.
	if (to === 0n && from === U64_MAX) return NEVER;
	if (to === 0n) return one(nft.rel(sel, ">", nft.num(from)));
	if (from === U64_MAX) return one(nft.rel(sel, "<", nft.num(to)));
	return one(nft.rel(sel, "!=", nft.range(to, from)));
}

/**
 * -m mh -> `mh type A-B` / `exthdr mh exists`. The MH is found like xt_mh finds it (the
 * transport header after the extension headers; not on non-first fragments, where ipv6_find_hdr
 * stops at the fragment header and xt_mh refuses fragoff != 0), so `mh type` also carries
 * `-p mh`. xt_mh DROPS (hotdrop) an MH whose Payload Proto is not 59 (IPPROTO_NONE) as soon as the
 * packet reaches the match, whatever the rule's target: mhHotdropCond is that test, which the
 * rule lowering puts in a `drop` rule in front (rule.ts).
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { NEVER, negOp, one, rangeValue, type MatchOut } from "./context.js";

const IPPROTO_NONE = 59;

export function lowerMh(m: ipt.MhMatch): MatchOut {
	const t = m.type;
	const all = t === undefined || (t.value.lo === 0 && t.value.hi === 255);
	if (all) return t?.neg === true ? NEVER : one({ kind: "exists", left: { kind: "exthdr", hdr: "mh" }, present: true });
	const v = t.value.lo === t.value.hi ? nft.num(t.value.lo) : rangeValue(t.value);
	return one(nft.rel({ kind: "exthdr", hdr: "mh", field: "type" }, negOp(t.neg), v));
}

/** The packets xt_mh drops on the spot: an MH (first fragment or whole) with Payload Proto != 59. */
export function mhHotdropCond(): nft.Cond {
	return nft.rel({ kind: "exthdr", hdr: "mh", field: "nexthdr" }, "!=", nft.num(IPPROTO_NONE));
}

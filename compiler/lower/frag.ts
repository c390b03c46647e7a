/**
 * -m frag -> `frag id`, `frag frag-off`, `frag more-fragments`, `frag reserved`. xt_frag's
 * --fragres matches when the reserved fields are ZERO (it refuses packets that set them), so it
 * becomes `frag reserved 0 frag reserved2 0`, not upstream's `frag reserved 1`.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, rangeValue, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

const f = (field: nft.ExthdrField): nft.Selector => ({ kind: "exthdr", hdr: "frag", field });

export function lowerFrag(ctx: RuleCtx, m: ipt.FragMatch): MatchOut {
	if (m.len !== undefined) return refuse(ctx, "unsupported_option", "frag --fraglen has no nft equivalent (the fragment header has no length field)");
	const conds: nft.Cond[] = [];
	// The whole 32-bit id range only asks for the header (kept when negated: never true then).
	if (m.id !== undefined && !(m.id.value.lo === 0 && m.id.value.hi === 0xffffffff && !m.id.neg)) conds.push(nft.rel(f("id"), negOp(m.id.neg), rangeValue(m.id.value)));
	if (m.reserved === true) conds.push(nft.rel(f("reserved"), "==", nft.num(0)), nft.rel(f("reserved2"), "==", nft.num(0)));
	if (m.first === true) conds.push(nft.rel(f("frag-off"), "==", nft.num(0)));
	if (m.more === true) conds.push(nft.rel(f("more-fragments"), "==", nft.num(1)));
	if (m.last === true) conds.push(nft.rel(f("more-fragments"), "==", nft.num(0)));
	if (conds.length === 0) conds.push({ kind: "exists", left: { kind: "exthdr", hdr: "frag" }, present: true });
	return one(...conds);
}

/** -m devgroup -> `meta iifgroup` / `meta oifgroup`, masked when a mask is given. */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, U32, type MatchOut } from "./context.js";

export function maskedCond(sel: nft.Selector, vm: ipt.ValueMask, neg: boolean): nft.Cond {
	const mask = BigInt(vm.mask);
	const left: nft.Expr = mask === U32 ? sel : { kind: "and", expr: sel, mask };
	return nft.rel(left, negOp(neg), nft.num(BigInt(vm.value) & mask));
}

export function lowerDevgroup(m: ipt.DevgroupMatch): MatchOut {
	const conds: nft.Cond[] = [];
	if (m.src !== undefined) conds.push(maskedCond(nft.meta("iifgroup"), m.src.value, m.src.neg));
	if (m.dst !== undefined) conds.push(maskedCond(nft.meta("oifgroup"), m.dst.value, m.dst.neg));
	return one(...conds);
}

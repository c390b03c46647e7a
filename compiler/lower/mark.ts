/** -m mark: (mark & mask) == value. */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, U32, type MatchOut } from "./context.js";

export function markCond(sel: nft.Selector, vm: ipt.Neg<ipt.ValueMask>): nft.Cond {
	const mask = BigInt(vm.value.mask);
	const left: nft.Expr = mask === U32 ? sel : { kind: "and", expr: sel, mask };
	return nft.rel(left, negOp(vm.neg), nft.num(vm.value.value));
}

export function lowerMark(m: ipt.MarkMatch): MatchOut {
	return one(markCond(nft.meta("mark"), m.mark));
}

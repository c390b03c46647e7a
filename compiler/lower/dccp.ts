/** -m dccp -> `dccp sport/dport`, `dccp type { … }`; --dccp-option is refused (nft 1.0.6 has no dccp option). */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, portCond, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerDccp(ctx: RuleCtx, m: ipt.DccpMatch): MatchOut {
	if (m.option !== undefined) return refuse(ctx, "unsupported_option", "dccp --dccp-option cannot be expressed in nft 1.0.6");
	const conds: nft.Cond[] = [];
	if (m.sport !== undefined) conds.push(portCond("dccp sport", m.sport));
	if (m.dport !== undefined) conds.push(portCond("dccp dport", m.dport));
	if (m.types !== undefined) {
		const t = m.types.value;
		const only = t.length === 1 ? t[0] : undefined;
		const v: nft.Value = only !== undefined ? nft.num(only) : { kind: "set", elems: ranges(t) };
		conds.push(nft.rel(nft.payload("dccp type"), negOp(m.types.neg), v));
	}
	return one(...conds);
}

/** Sorted numbers -> values with consecutive runs as ranges. */
function ranges(ns: readonly number[]): nft.Value[] {
	const out: nft.Value[] = [];
	let i = 0;
	while (i < ns.length) {
		let j = i;
		while (j + 1 < ns.length && ns[j + 1] === ns[j]! + 1) j++;
		// Only the unnamed types (10..15) form ranges; named ones stay single (`request`, …).
		if (ns[i]! < 10 || j === i) {
			out.push(nft.num(ns[i]!));
			i++;
			continue;
		}
		out.push(nft.range(ns[i]!, ns[j]!));
		i = j + 1;
	}
	return out;
}

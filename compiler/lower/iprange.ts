/** -m iprange -> `ip saddr lo-hi`. */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { addrSelector, negOp, one, type MatchOut } from "./context.js";

export function lowerIprange(fam: ipt.Fam, m: ipt.IpRangeMatch): MatchOut {
	const conds: nft.Cond[] = [];
	for (const [dir, r] of [
		["saddr", m.src],
		["daddr", m.dst],
	] as const) {
		if (r === undefined) continue;
		conds.push(nft.rel(addrSelector(fam, dir), negOp(r.neg), nft.range(r.value.lo, r.value.hi)));
	}
	return one(...conds);
}

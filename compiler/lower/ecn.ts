/** -m ecn -> `ip ecn` / `ip6 ecn` and `tcp flags ecn|cwr` tests. */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, type MatchOut, type RuleCtx } from "./context.js";

export function lowerEcn(ctx: RuleCtx, m: ipt.EcnMatch): MatchOut {
	const conds: nft.Cond[] = [];
	if (m.ipEct !== undefined) conds.push(nft.rel(nft.payload(ctx.fam === 4 ? "ip ecn" : "ip6 ecn"), negOp(m.ipEct.neg), nft.num(m.ipEct.value)));
	for (const [flag, bit] of [
		[m.ece, nft.TCP_FLAGS.ecn],
		[m.cwr, nft.TCP_FLAGS.cwr],
	] as const) {
		if (flag === undefined) continue;
		// (flags & bit) != 0 when set, == 0 when negated.
		conds.push(nft.rel({ kind: "and", expr: nft.payload("tcp flags"), mask: bit }, flag.neg ? "==" : "!=", nft.num(0)));
	}
	return one(...conds);
}

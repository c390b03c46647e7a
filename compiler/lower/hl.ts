/** -m ttl / -m hl -> `ip ttl` / `ip6 hoplimit` compared with ==, !=, <, >. */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { one, type MatchOut, type RuleCtx } from "./context.js";

const OP: Readonly<Record<ipt.HlMatch["op"], nft.RelOp>> = { eq: "==", ne: "!=", lt: "<", gt: ">" };

export function lowerHl(ctx: RuleCtx, m: ipt.HlMatch): MatchOut {
	return one(nft.rel(nft.payload(ctx.fam === 4 ? "ip ttl" : "ip6 hoplimit"), OP[m.op], nft.num(m.value)));
}

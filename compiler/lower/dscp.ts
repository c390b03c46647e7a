/** -m dscp -> `ip dscp` / `ip6 dscp`. */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, type MatchOut, type RuleCtx } from "./context.js";

export function lowerDscp(ctx: RuleCtx, m: ipt.DscpMatch): MatchOut {
	return one(nft.rel(nft.payload(ctx.fam === 4 ? "ip dscp" : "ip6 dscp"), negOp(m.dscp.neg), nft.num(m.dscp.value)));
}

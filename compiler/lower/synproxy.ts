/** -j SYNPROXY -> `synproxy mss … wscale … timestamp sack-perm` (same nf_synproxy core). */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerSynproxy(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "synproxy" }>): nft.Stmt[] | undefined {
	if (t.ecn) return refuse(ctx, "inexpressible", "SYNPROXY --ecn has no nft counterpart (nft synproxy knows mss, wscale, timestamp, sack-perm)", "leave out --ecn");
	return [
		{
			kind: "synproxy",
			...(t.mss !== undefined ? { mss: t.mss } : {}),
			...(t.wscale !== undefined ? { wscale: t.wscale } : {}),
			timestamp: t.timestamp,
			sackPerm: t.sackPerm,
		},
	];
}

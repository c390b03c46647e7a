/**
 * -j SYNPROXY -> `synproxy mss … wscale … timestamp sack-perm` (the same nf_synproxy core).
 *
 * The two front ends pick packets differently: xt_SYNPROXY answers a SYN only without ACK, FIN
 * and RST, checks the cookie of an ACK only without FIN, RST and SYN, and lets every other packet
 * go on to the next rule; nft_synproxy answers any SYN and cookie-checks any other ACK (a SYN/ACK
 * or FIN/ACK is then stolen or dropped). The flag guard keeps nft's synproxy to the two packet
 * kinds where both agree, so the rest falls through as with iptables.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

const F = nft.TCP_FLAGS;

/** `tcp flags & (fin | syn | rst | ack) { syn, ack }`. */
export const SYNPROXY_GUARD: nft.Cond = nft.rel(
	{ kind: "and", expr: nft.payload("tcp flags"), mask: F.fin | F.syn | F.rst | F.ack },
	"==",
	{ kind: "set", elems: [nft.num(F.syn), nft.num(F.ack)] },
);

export function lowerSynproxy(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "synproxy" }>): { conds: nft.Cond[]; stmts: nft.Stmt[] } | undefined {
	if (t.ecn) return refuse(ctx, "inexpressible", "SYNPROXY --ecn has no nft counterpart (nft synproxy knows mss, wscale, timestamp, sack-perm)", "leave out --ecn");
	return {
		conds: [SYNPROXY_GUARD],
		stmts: [
			{
				kind: "synproxy",
				...(t.mss !== undefined ? { mss: t.mss } : {}),
				...(t.wscale !== undefined ? { wscale: t.wscale } : {}),
				timestamp: t.timestamp,
				sackPerm: t.sackPerm,
			},
		],
	};
}

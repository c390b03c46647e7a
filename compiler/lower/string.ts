/** -m string: nft has no payload search (no Boyer-Moore/KMP over the packet). */
import type * as ipt from "../ir/ipt.js";
import type { MatchOut, RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerString(ctx: RuleCtx, _m: ipt.StringMatch): MatchOut {
	return refuse(ctx, "inexpressible", "-m string cannot be expressed in nft: nftables has no payload search", "nft can only compare payload at fixed offsets (`@th,64,32 0x…`); keep this rule in iptables or use an IDS");
}

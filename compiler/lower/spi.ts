/**
 * -m esp / -m ah -> `esp spi` / `ah spi`. IPv6 AH is an extension header that nft 1.0.6 cannot
 * find (`ah spi` would require `meta l4proto ah`, which an IPv6 packet never has: the stack
 * skips AH when it looks for the transport protocol), so ip6tables -m ah is refused.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, rangeValue, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerSpi(ctx: RuleCtx, m: ipt.SpiMatch): MatchOut {
	if (m.kind === "ah" && ctx.fam === 6)
		return refuse(ctx, "inexpressible", "ip6tables -m ah cannot be expressed in nft 1.0.6 (no AH extension header expression)", "match IPsec with `-m policy` or on ESP instead");
	if (m.spi === undefined) return one(); // only the protocol (-p ah / -p esp) remains
	// The whole 32-bit range matches every packet of the protocol (kept only when negated).
	if (m.spi.value.lo === 0 && m.spi.value.hi === 0xffffffff && !m.spi.neg) return one();
	return one(nft.rel(nft.payload(m.kind === "ah" ? "ah spi" : "esp spi"), negOp(m.spi.neg), rangeValue(m.spi.value)));
}

/**
 * -m policy -> `meta secpath exists|missing` (--dir in: the packet was decapsulated by IPsec) or
 * `rt ipsec exists|missing` (--dir out: its route has an IPsec transform). Element options
 * (--reqid, --spi, …) are refused: xt_policy tests every transform of the path (any of them
 * without --strict), nft's `ipsec in|out` one index only.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { one, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerPolicy(ctx: RuleCtx, m: ipt.PolicyMatch): MatchOut {
	if (m.elems.length > 0 || m.strict)
		return refuse(ctx, "unsupported_option", "policy element options (--reqid, --spi, --proto, --mode, --tunnel-*, --strict) cannot be expressed exactly in nft", "nft's `ipsec in reqid N` tests only the first transform of the path");
	const sel: nft.Selector = m.dir === "in" ? nft.meta("secpath") : { kind: "rtipsec" };
	return one({ kind: "exists", left: sel, present: m.pol === "ipsec" });
}

/**
 * -m rpfilter -> `fib saddr . iif oif exists` (strict), with `. mark` for --validmark, `missing`
 * for --invert. nft_fib shares xt_rpfilter's special cases (loopback, 0.0.0.0 to broadcast or
 * link-local multicast). --loose (nft's `fib saddr oif` drops the loopback special case, which
 * needs iif) and --accept-local (nft_fib gives no interface for a local route) are refused.
 */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import { one, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerRpfilter(ctx: RuleCtx, m: ipt.RpfilterMatch): MatchOut {
	if (m.loose) return refuse(ctx, "unsupported_option", "rpfilter --loose cannot be expressed exactly in nft", "`fib saddr oif exists` is close but also rejects loopback traffic, which xt_rpfilter always accepts");
	if (m.acceptLocal) return refuse(ctx, "inexpressible", "rpfilter --accept-local cannot be expressed in nft (fib returns no interface for local routes)");
	const flags: nft.FibFlag[] = m.validmark ? ["saddr", "mark", "iif"] : ["saddr", "iif"];
	return one({ kind: "exists", left: { kind: "fib", flags, result: "oif" }, present: !m.invert });
}

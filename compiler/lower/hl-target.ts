/**
 * TTL / HL target -> `ip ttl set N` / `ip6 hoplimit set N`. --*-inc/--*-dec have no nft
 * equivalent: nft 1.0.6 cannot set a field from arithmetic on itself (and xt_HL saturates).
 */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerHlTarget(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "hl-set" }>): nft.Stmt[] | undefined {
	const name = ctx.fam === 4 ? "TTL --ttl" : "HL --hl";
	if (t.op !== "set")
		return refuse(ctx, "inexpressible", `${name}-${t.op} cannot be expressed in nft (no arithmetic on header fields)`, "only --ttl-set / --hl-set translate; a constant value may do what you need");
	return [{ kind: "payload-set", key: ctx.fam === 4 ? "ip ttl" : "ip6 hoplimit", value: BigInt(t.value) }];
}

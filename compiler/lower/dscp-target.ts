/**
 * DSCP -> `ip dscp set N`; TOS -> `ip dscp set` / `ip ecn set` when it sets whole fields to
 * constants (xt_TOS: tos' = (tos & ~mask) ^ value). Partial masks and xor need arithmetic on the
 * field, which nft 1.0.6 refuses for these sub-byte fields.
 */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerDscpTarget(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "dscp-set" }>): nft.Stmt[] {
	return [{ kind: "payload-set", key: ctx.fam === 4 ? "ip dscp" : "ip6 dscp", value: BigInt(t.dscp) }];
}

export function lowerTosTarget(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "tos-set" }>): nft.Stmt[] | undefined {
	const { value, mask } = t;
	const fam = ctx.fam === 4 ? "ip" : "ip6";
	const out: nft.Stmt[] = [];
	const dMask = mask >> 2;
	const eMask = mask & 3;
	// A field is constant after the operation when its bits are all cleared (mask) first.
	if ((dMask !== 0 && dMask !== 0x3f) || (eMask !== 0 && eMask !== 3) || (dMask === 0 && value >> 2 !== 0) || (eMask === 0 && (value & 3) !== 0))
		return refuse(ctx, "inexpressible", `TOS with mask 0x${mask.toString(16)} and value 0x${value.toString(16)} needs bit arithmetic on the DSCP/ECN fields, which nft cannot do`, "use DSCP --set-dscp, or TOS --set-tos with a full mask");
	if (dMask !== 0) out.push({ kind: "payload-set", key: `${fam} dscp`, value: BigInt(value >> 2) });
	if (eMask !== 0) out.push({ kind: "payload-set", key: `${fam} ecn`, value: BigInt(value & 3) });
	return out;
}

/**
 * CT (without --notrack) -> `ct [original|reply] zone set N` (a bare CT: zone 0). The zone goes into the conntrack
 * template, before conntrack runs (raw table, priority -300), exactly as nft's `ct zone set`
 * does there. --helper moves to a chain after conntrack where the raw traversal allows it
 * (ct-helper-chain.ts proves when): here the rule only keeps its counter, and in the helper chain
 * it becomes `ct state new ct helper set "NAME-proto"`. --ctevents and --expevents are refused:
 * nft sets them on an existing conntrack entry only. --timeout names an nfct timeout policy
 * defined outside the ruleset.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";
import type { TargetOut } from "./targets.js";

export function lowerCtTarget(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "ct" }>): TargetOut | undefined {
	if (t.ctevents !== undefined || t.expevents !== undefined)
		return refuse(ctx, "inexpressible", "CT --ctevents/--expevents: nft sets the event mask of an existing conntrack entry only, not in the raw table", "use `ct event set …` in a chain after conntrack");
	if (t.timeout !== undefined) return refuse(ctx, "unsupported_option", `CT --timeout ${t.timeout} refers to a cttimeout policy defined outside the ruleset`, "declare an nft `ct timeout` object with the same policy and use `ct timeout set`");
	if (t.helper !== undefined) return lowerHelper(ctx, t.helper);
	// A bare -j CT still attaches a template (zone 0), which keeps later CT/NOTRACK targets from
	// acting on the packet; `ct zone set 0` attaches the same template in nft.
	if (t.zone === undefined) return { conds: [], stmts: [{ kind: "ct-zone-set", zone: 0n }] };
	if (t.zone.id === "mark") return refuse(ctx, "inexpressible", "CT --zone mark cannot be expressed in nft 1.0.6 (ct zone set takes no mark)");
	const dir = t.zone.dir === "orig" ? "original" : t.zone.dir === "reply" ? "reply" : undefined;
	return { conds: [], stmts: [{ kind: "ct-zone-set", ...(dir !== undefined ? { dir } : {}), zone: BigInt(t.zone.id) }] };
}

function lowerHelper(ctx: RuleCtx, helper: string): TargetOut | undefined {
	const plan = ctx.ctHelper?.plan;
	const why = plan?.refused.get(ctx.rule);
	const obj = plan?.objectOf.get(ctx.rule);
	if (plan === undefined || why !== undefined || obj === undefined) {
		return refuse(
			ctx,
			"inexpressible",
			why?.message ?? `CT --helper ${helper}: nft attaches a helper to a conntrack entry, which does not exist yet in the raw table's chains`,
			why?.hint ?? `declare \`ct helper ${helper}-tcp { type "${helper}" protocol tcp; }\` and add \`ct helper set "${helper}-tcp"\` with the same conditions to a chain at priority -199`,
		);
	}
	if (ctx.ctHelper?.stage === "raw") return { conds: [], stmts: [], countOnly: true };
	// Only a connection conntrack creates for this packet, not one an expectation created
	// (init_conntrack skips the template's helper then; nft_ct_helper_obj_eval would not).
	const isNew = nft.rel({ kind: "ct", key: "state" }, "==", { kind: "flags", bits: nft.CT_STATE_BITS.new });
	return { conds: [isNew], stmts: [{ kind: "ct-helper-set", name: obj.name }] };
}

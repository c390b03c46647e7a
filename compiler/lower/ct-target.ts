/**
 * CT (without --notrack) -> `ct [original|reply] zone set N`. The zone goes into the conntrack
 * template, before conntrack runs (raw table, priority -300), exactly as nft's `ct zone set`
 * does there. --helper, --ctevents and --expevents are refused: nft assigns them to an existing
 * conntrack entry only, i.e. in a chain after conntrack (priority > -200), never in the raw
 * chains this rule lives in. --timeout names an nfct timeout policy defined outside the ruleset.
 */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerCtTarget(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "ct" }>): nft.Stmt[] | undefined {
	if (t.helper !== undefined)
		return refuse(
			ctx,
			"inexpressible",
			`CT --helper ${t.helper}: nft attaches a helper to a conntrack entry, which does not exist yet in the raw table's chains`,
			`declare \`ct helper ${t.helper}-h { type "${t.helper}" protocol tcp; }\` and add \`ct helper set "${t.helper}-h"\` with the same conditions to a chain at priority filter`,
		);
	if (t.ctevents !== undefined || t.expevents !== undefined)
		return refuse(ctx, "inexpressible", "CT --ctevents/--expevents: nft sets the event mask of an existing conntrack entry only, not in the raw table", "use `ct event set …` in a chain after conntrack");
	if (t.timeout !== undefined) return refuse(ctx, "unsupported_option", `CT --timeout ${t.timeout} refers to a cttimeout policy defined outside the ruleset`, "declare an nft `ct timeout` object with the same policy and use `ct timeout set`");
	if (t.zone === undefined) return [];
	if (t.zone.id === "mark") return refuse(ctx, "inexpressible", "CT --zone mark cannot be expressed in nft 1.0.6 (ct zone set takes no mark)");
	const dir = t.zone.dir === "orig" ? "original" : t.zone.dir === "reply" ? "reply" : undefined;
	return [{ kind: "ct-zone-set", ...(dir !== undefined ? { dir } : {}), zone: BigInt(t.zone.id) }];
}

/**
 * TCPMSS -> `tcp option maxseg size set …`. xt_TCPMSS never raises an existing MSS, so a fixed
 * size gets the guard `tcp option maxseg size > N` (the target is non-terminal: the guard only
 * changes what the rule counts). xt_TCPMSS also inserts an MSS option into a SYN that has none;
 * nft only rewrites an existing option: reported as lossy.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";

export function lowerTcpmss(
	ctx: RuleCtx,
	t: Extract<ipt.Target, { kind: "tcpmss" }>,
): { conds: nft.Cond[]; stmts: nft.Stmt[] } {
	ctx.diags.push(
		diagnostic(
			"lossy_translation",
			"TCPMSS: iptables adds an MSS option to SYNs that carry none; nft only rewrites an existing one",
			ctx.rule.span,
		),
	);
	const sel: nft.Selector = { kind: "tcpopt", option: 2, field: "size" };
	if (t.mss === "pmtu") return { conds: [], stmts: [{ kind: "tcpmss", size: "rt-mtu" }] };
	return {
		conds: [nft.rel(sel, ">", nft.num(t.mss))],
		stmts: [{ kind: "tcpmss", size: BigInt(t.mss) }],
	};
}

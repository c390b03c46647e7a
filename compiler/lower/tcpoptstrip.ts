/**
 * TCPOPTSTRIP -> one `reset tcp option KIND` per kind. Both overwrite the option with NOPs and fix
 * the checksum; xt_TCPOPTSTRIP clears every occurrence of a kind, nft's reset the first one only,
 * which differs only for a segment that repeats an option (reported as lossy).
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";

export function lowerTcpoptstrip(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "tcpoptstrip" }>): nft.Stmt[] {
	if (t.options.length > 0)
		ctx.diags.push(
			diagnostic(
				"lossy_translation",
				"TCPOPTSTRIP clears every copy of an option; nft's `reset tcp option` the first one (differs only for segments that repeat an option)",
				ctx.rule.span,
			),
		);
	return t.options.map((option): nft.Stmt => ({ kind: "tcpopt-reset", option }));
}

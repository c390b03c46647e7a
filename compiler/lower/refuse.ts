/** Reporting helper for lowerings that refuse a construct nft cannot express exactly. */
import { diagnostic, type Code } from "../ir/diagnostics.js";
import type { RuleCtx } from "./context.js";

export function refuse(ctx: RuleCtx, code: Code, message: string, hint?: string): undefined {
	ctx.diags.push(diagnostic(code, message, ctx.rule.span, hint));
	return undefined;
}

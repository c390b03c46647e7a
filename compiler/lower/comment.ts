/**
 * -m comment -> the rule's `comment "…"`. Several comments are joined with a space. Comments do
 * not change what a rule does, so unsafe characters are replaced and long ones cut (with a
 * warning) instead of refusing the rule.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type { RuleCtx } from "./context.js";
import { MAX_COMMENT_BYTES, sanitizeComment } from "./strings.js";

export function lowerComment(ctx: RuleCtx, texts: readonly string[]): string | undefined {
	const joined = texts.join(" ");
	const { text, changed } = sanitizeComment(joined);
	if (changed) {
		ctx.diags.push(
			diagnostic(
				"lossy_translation",
				`comment ${JSON.stringify(joined)} was rewritten for nft as ${JSON.stringify(text)}`,
				ctx.rule.span,
				`nft comments cannot hold '"', '$' or control characters and are at most ${MAX_COMMENT_BYTES} bytes`,
			),
		);
	}
	return text === "" ? undefined : text;
}

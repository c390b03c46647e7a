/**
 * SECMARK: refused; nft sets a security mark from a named `secmark` object, which needs an
 * SELinux kernel to load (`nft -c` fails here) and which ipt2nft does not emit as a table object.
 * CONNSECMARK: exact, the copy with xt_CONNSECMARK's two conditions (see nft.ts `secmark-copy`).
 */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerSecmark(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "secmark" }>): nft.Stmt[] | undefined {
	return refuse(
		ctx,
		"unsupported_extension",
		"SECMARK is not translated: nft sets a security mark from a named `secmark` object, which ipt2nft does not emit and which loads only on an SELinux kernel",
		`add \`secmark NAME { ${JSON.stringify(t.selctx)} }\` to the table and write \`meta secmark set "NAME"\` in the rule`,
	);
}

/** The counter (put in front by rule.ts) counts every packet, as iptables does. */
export function lowerConnsecmark(t: Extract<ipt.Target, { kind: "connsecmark" }>): nft.Stmt[] {
	return [{ kind: "secmark-copy", to: t.mode === "save" ? "ct" : "meta" }];
}

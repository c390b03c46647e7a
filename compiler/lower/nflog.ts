/** NFLOG -> `log group N prefix "…" snaplen S queue-threshold T`. */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";
import { checkPrefix } from "./log.js";

export function lowerNflog(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "nflog" }>): nft.Stmt[] | undefined {
	if (t.prefix !== undefined && !checkPrefix(ctx, t.prefix, "nflog prefix")) return undefined;
	return [
		{
			kind: "log",
			group: t.group,
			...(t.prefix !== undefined ? { prefix: t.prefix } : {}),
			...(t.size !== undefined ? { snaplen: t.size } : {}),
			...(t.threshold !== undefined ? { queueThreshold: t.threshold } : {}),
		},
	];
}

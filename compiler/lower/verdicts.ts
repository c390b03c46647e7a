/** ACCEPT / DROP / RETURN / -j CHAIN / -g CHAIN. RETURN in a base chain applies the policy in both. */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";

type VerdictTarget = Extract<ipt.Target, { kind: "accept" | "drop" | "return" | "jump" | "goto" }>;

export function lowerVerdict(ctx: RuleCtx, t: VerdictTarget): nft.Stmt[] {
	switch (t.kind) {
		case "accept":
		case "drop":
		case "return":
			return [nft.verdict({ kind: t.kind })];
		case "jump":
		case "goto":
			return [nft.verdict({ kind: t.kind, chain: ctx.chainName(t.chain) })];
	}
}

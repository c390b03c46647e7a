/**
 * NETMAP -> `dnat|snat prefix to ADDR/LEN`. nft_nat with NF_NAT_RANGE_NETMAP computes the new
 * address exactly as xt_NETMAP does ((addr & ~mask) | (net & mask), per 32-bit word); xt_NETMAP
 * picks destination or source NAT from the hook, nft from the statement, so a rule in a user
 * chain takes the kind of the hooks that reach it, and refuses when both kinds do.
 */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

const DST_HOOKS: ReadonlySet<string> = new Set(["PREROUTING", "OUTPUT"]);
const SRC_HOOKS: ReadonlySet<string> = new Set(["INPUT", "POSTROUTING"]);

export function lowerNetmap(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "netmap" }>): nft.Stmt[] | undefined {
	const from: ReadonlySet<string> = DST_HOOKS.has(ctx.chain) || SRC_HOOKS.has(ctx.chain) ? new Set([ctx.chain]) : (ctx.reachedFrom?.(ctx.chain) ?? new Set());
	const dst = [...from].some((h) => DST_HOOKS.has(h));
	const src = [...from].some((h) => SRC_HOOKS.has(h));
	if (dst && src)
		return refuse(
			ctx,
			"inexpressible",
			`NETMAP in chain ${ctx.chain} maps destinations (reached from ${[...from].filter((h) => DST_HOOKS.has(h)).join("/")}) and sources (from ${[...from].filter((h) => SRC_HOOKS.has(h)).join("/")}); an nft statement is either dnat or snat`,
			`use two chains: one jumped to from PREROUTING/OUTPUT (dnat prefix to …), one from POSTROUTING/INPUT (snat prefix to …)`,
		);
	return [{ kind: "netmap", type: src ? "snat" : "dnat", fam: t.fam === 4 ? "ip" : "ip6", addr: t.addr, len: t.len }];
}

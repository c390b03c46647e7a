/**
 * -m connlimit -> `add @connlimitN { ip saddr [& mask] ct count [over] N }`. Both sides count
 * with the kernel's nf_conncount, per rule (one set per rule) and per masked address (one
 * element each); `over` matches when count > N (--connlimit-above), without it count <= N.
 */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import { addrSelector, one, type MatchOut, type RuleCtx } from "./context.js";
import { DYNAMIC_SET_SIZE } from "./sets.js";

export function lowerConnlimit(ctx: RuleCtx, m: ipt.ConnlimitMatch): MatchOut {
	const bits = ctx.fam === 4 ? 32 : 128;
	const sel = addrSelector(ctx.fam, m.side === "src" ? "saddr" : "daddr");
	const ones = (1n << BigInt(bits)) - 1n;
	const mask = m.prefixLen === 0 ? 0n : (ones << BigInt(bits - m.prefixLen)) & ones;
	const key: nft.Expr = m.prefixLen === bits ? sel : { kind: "and", expr: sel, mask };
	const set = ctx.sets.once(`connlimit/${ctx.chain}/${ctx.rule.span.line}/${ctx.rule.span.col}/${ctx.rule.matches.indexOf(m)}`, "connlimit", (name) => ({
		name,
		keyType: [ctx.fam === 4 ? "ipv4_addr" : "ipv6_addr"],
		interval: false,
		dynamic: true,
		size: DYNAMIC_SET_SIZE,
		elems: [],
		origins: [ctx.rule.span],
	}));
	return one({ kind: "dynset", op: "add", set, key: [key], stateful: { kind: "ct-count", count: BigInt(m.limit), over: m.above } });
}

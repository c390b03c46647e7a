/**
 * HMARK: refused with the nearest nft construct. xt_HMARK hashes host-order, direction-sorted
 * addresses and ports with jhash_3words, XORs the masked protocol in and scales by the modulus;
 * nft's `jhash` hashes the network-order bytes of its key unsorted and `symhash` uses the flow
 * dissector without a seed: the marks differ.
 */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerHmark(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "hmark" }>): nft.Stmt[] | undefined {
	const ip = ctx.fam === 4 ? "ip" : "ip6";
	const seed = `0x${t.rnd.toString(16)}`;
	const offset = t.offset !== 0 ? ` offset ${t.offset}` : "";
	return refuse(
		ctx,
		"inexpressible",
		"HMARK's hash (jhash_3words over sorted host-order addresses and ports, protocol XORed in) has no nft equivalent: nft's jhash and symhash give other marks",
		`to spread flows over ${t.mod} marks with a different hash, write \`meta mark set jhash ${ip} saddr . ${ip} daddr mod ${t.mod} seed ${seed}${offset}\` (or \`meta mark set symhash mod ${t.mod}${offset}\` for the same mark in both directions)`,
	);
}

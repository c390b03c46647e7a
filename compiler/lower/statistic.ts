/**
 * -m statistic.
 * random: libxt_statistic stores lround(p * 2^31); the kernel matches when
 *   (random32 & 0x7fffffff) < stored. `meta random & 0x7fffffff < N` draws from the same
 *   distribution (nft compares big-endian, the masked value is still uniform on [0, 2^31)).
 * nth: the kernel counter starts at every-1-packet and matches when it wraps to 0, i.e. on the
 *   packets k (1-based) with k = packet+1 (mod every). nft's `numgen inc mod N` starts its counter
 *   at N-1 and yields (k-1) mod N, so `numgen inc mod every == packet` matches the same packets.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, type MatchOut } from "./context.js";

/** C's lround: halves away from zero (p is in [0, 1]). */
export function probabilityToThreshold(p: number): bigint {
	return BigInt(Math.floor(p * 0x80000000 + 0.5));
}

export function lowerStatistic(m: ipt.StatisticMatch): MatchOut {
	if (m.mode === "random") {
		const left: nft.Expr = { kind: "and", expr: nft.meta("random"), mask: 0x7fffffffn };
		return one(nft.rel(left, m.neg ? ">=" : "<", nft.num(probabilityToThreshold(m.probability))));
	}
	const sel: nft.Selector = { kind: "numgen", mode: "inc", mod: BigInt(m.every) };
	return one(nft.rel(sel, negOp(m.neg), nft.num(m.packet)));
}

/**
 * xt_statistic. random: the kernel matches when (random & 0x7fffffff) < lround(p * 2^31), so the
 * exact probability is lround(p * 2^31) / 2^31 (libxt_statistic rounds with lround).
 * nth: a per-rule counter that is shared by all packets; a scenario cannot know its value, so it
 * is modelled as a random match with probability 1/every (an approximation, documented).
 */
import type { StatisticMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function kernelProbability(p: number): number {
	const n = Math.round(p * 0x80000000);
	return Math.min(n, 0x80000000) / 0x80000000;
}

export function compileStatistic(m: StatisticMatch): MatchFn {
	const p = m.mode === "random" ? kernelProbability(m.probability) : 1 / Math.max(1, m.every);
	const neg = m.neg;
	return (_pkt, ctx) => ctx.choose(p) !== neg;
}

/**
 * -m time -> `meta time` (dates), `meta hour` (time of day), `meta day` (weekdays). nft converts
 * the strings it reads from the time zone of the process that loads the ruleset into UTC, while
 * xt_time compares in UTC (default) or the kernel's time zone (--kerneltz): reported as lossy,
 * with the way to load it exactly. --monthdays and --contiguous have no nft equivalent.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { one, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

const ALL_WEEKDAYS = 0xfe;
const ALL_MONTHDAYS = 0xfffffffe;

export function lowerTime(ctx: RuleCtx, m: ipt.TimeMatch): MatchOut {
	if (m.monthdays !== ALL_MONTHDAYS) return refuse(ctx, "inexpressible", "time --monthdays has no nft equivalent");
	if (m.contiguous) return refuse(ctx, "unsupported_option", "time --contiguous cannot be expressed in nft", "nft tests the weekday of the packet itself, not of the start of the period");
	// xt_time tests the weekday of the packet's own day; with a period over midnight nft does the same.
	const conds: nft.Cond[] = [];
	if (m.dateStart !== undefined || m.dateStop !== undefined) {
		const lo = BigInt(m.dateStart ?? 0);
		const hi = BigInt(m.dateStop ?? 0x7fffffff);
		conds.push(nft.rel(nft.meta("time"), "==", { kind: "range", lo, hi }));
	}
	if (m.timeStart !== 0 || m.timeStop !== 86399) conds.push(nft.rel(nft.meta("hour"), "==", { kind: "range", lo: BigInt(m.timeStart), hi: BigInt(m.timeStop) }));
	if (m.weekdays !== ALL_WEEKDAYS) {
		// nft day: 0 = Sunday … 6 = Saturday; xt bits: 1 = Monday … 7 = Sunday.
		const days: number[] = [];
		for (let d = 1; d <= 7; d++) if ((m.weekdays & (1 << d)) !== 0) days.push(d % 7);
		days.sort((a, b) => a - b);
		if (days.length === 0) return [];
		const only = days.length === 1 ? days[0] : undefined;
		conds.push(nft.rel(nft.meta("day"), "==", only !== undefined ? nft.num(only) : { kind: "set", elems: days.map((d) => nft.num(d)) }));
	}
	if (conds.length > 0)
		ctx.diags.push(
			diagnostic(
				"lossy_translation",
				`nft reads meta hour/time values in the time zone of the process that loads the ruleset; iptables compares in ${m.utc ? "UTC" : "the kernel's time zone"}`,
				ctx.rule.span,
				m.utc ? "load the ruleset with TZ=UTC nft -f …" : "load the ruleset with the same TZ the kernel uses",
			),
		);
	return one(...conds);
}

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
/** xt_time's default --datestop (INT_MAX). */
const DATE_STOP_DEFAULT = 0x7fffffff;
const ALL_MONTHDAYS = 0xfffffffe;

export function lowerTime(ctx: RuleCtx, m: ipt.TimeMatch): MatchOut {
	if (m.monthdays !== ALL_MONTHDAYS) return refuse(ctx, "inexpressible", "time --monthdays has no nft equivalent");
	if (m.contiguous) return refuse(ctx, "unsupported_option", "time --contiguous cannot be expressed in nft", "nft tests the weekday of the packet itself, not of the start of the period");
	// xt_time tests the weekday of the packet's own day; with a period over midnight nft does the same.
	const conds: nft.Cond[] = [];
	if (m.dateStart !== undefined || m.dateStop !== undefined) {
		// xt_time compares whole seconds (stamp <= stop holds for all of the stop's second); nft's
		// `meta time` is in ns, so the upper end is "before the next second".
		if (m.dateStart !== undefined && m.dateStart > 0) conds.push(nft.rel(nft.meta("time"), ">=", nft.num(m.dateStart)));
		conds.push(nft.rel(nft.meta("time"), "<", nft.num((m.dateStop ?? DATE_STOP_DEFAULT) + 1)));
	}
	const { timeStart: a, timeStop: b } = m;
	if (a < b) {
		if (a !== 0 || b !== 86399) conds.push(nft.rel(nft.meta("hour"), "==", { kind: "range", lo: BigInt(a), hi: BigInt(b) }));
	} else if (a - b >= 2) {
		// Over midnight, both ends included. (nft's own reversed range `"22:00"-"06:00"` excludes both
		// ends: it becomes `!= 06:00-22:00`.) start == stop is the whole day for xt_time.
		conds.push(nft.rel(nft.meta("hour"), "!=", { kind: "range", lo: BigInt(b + 1), hi: BigInt(a - 1) }));
	}
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
				`nft reads meta hour/time values in the time zone of the process that loads the ruleset; iptables compares in ${m.utc ? "UTC" : "the kernel's time zone"}` +
					(m.dateStart === undefined && m.dateStop === undefined ? "; iptables also stops matching after its default --datestop 2038-01-19 03:14:07" : ""),
				ctx.rule.span,
				m.utc ? "load the ruleset with TZ=UTC nft -f …" : "load the ruleset with the same TZ the kernel uses",
			),
		);
	return one(...conds);
}

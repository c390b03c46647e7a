/**
 * -m time: --datestart/--datestop (UTC, YYYY[-MM[-DD[Thh[:mm[:ss]]]]]), --timestart/--timestop
 * (hh:mm[:ss]), --weekdays, --monthdays (both negatable), --utc (default) / --kerneltz
 * (--localtz), --contiguous. `--days` is the pre-xt_time (patch-o-matic) spelling of --weekdays.
 */
import type { TimeMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch, type ExtContext } from "../extension.js";
import type { Word } from "../words.js";

interface S {
	dateStart?: number;
	dateStop?: number;
	timeStart?: number;
	timeStop?: number;
	weekdays?: number;
	monthdays?: number;
	utc: boolean;
	contiguous: boolean;
}

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const FULL = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const ALL_WEEKDAYS = 0xfe;
const ALL_MONTHDAYS = 0xfffffffe;
/** xt_time's default end date: INT_MAX seconds (2038-01-19 03:14:07 UTC). */
export const TIME_DATE_MAX = 0x7fffffff;

function dayTime(cx: ExtContext, w: Word): number | undefined {
	const m = /^([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2}))?$/.exec(w.text);
	const h = Number(m?.[1]);
	const mi = Number(m?.[2]);
	const se = Number(m?.[3] ?? "0");
	if (m === null || h > 23 || mi > 59 || se > 59) {
		cx.error("invalid_value", `invalid time "${w.text}": expected hh:mm[:ss]`, w);
		return undefined;
	}
	return h * 3600 + mi * 60 + se;
}

function date(cx: ExtContext, w: Word): number | undefined {
	const m = /^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2})(?:T([0-9]{1,2})(?::([0-9]{1,2})(?::([0-9]{1,2}))?)?)?)?)?$/.exec(w.text);
	if (m === null) {
		cx.error("invalid_value", `invalid date "${w.text}": expected YYYY[-MM[-DD[Thh[:mm[:ss]]]]]`, w);
		return undefined;
	}
	const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i, k) => Number(m[i] ?? (k === 1 || k === 2 ? "1" : "0"))) as [number, number, number, number, number, number];
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) {
		cx.error("invalid_value", `invalid date "${w.text}"`, w);
		return undefined;
	}
	const t = Date.UTC(y, mo - 1, d, h, mi, se) / 1000;
	if (t < 0 || t > TIME_DATE_MAX) {
		cx.error("invalid_value", `date "${w.text}" is outside 1970-01-01 .. 2038-01-19`, w);
		return undefined;
	}
	return t;
}

function weekdays(cx: ExtContext, w: Word): number | undefined {
	let bits = 0;
	for (const d of w.text.split(",")) {
		// 1..7, or a name given by at least its first two letters (Mo, Tue, Wednesday).
		const lower = d.toLowerCase();
		const n = /^[1-7]$/.test(d) ? Number(d) : d.length >= 2 ? DAYS.findIndex((x, i) => lower.startsWith(x.slice(0, 2)) && (FULL[i] ?? "").startsWith(lower)) + 1 : 0;
		if (n < 1) {
			cx.error("invalid_value", `invalid weekday "${d}"`, w, "use Mon,Tue,Wed,Thu,Fri,Sat,Sun or 1..7");
			return undefined;
		}
		bits |= 1 << n;
	}
	return bits;
}

function monthdays(cx: ExtContext, w: Word): number | undefined {
	let bits = 0;
	for (const d of w.text.split(",")) {
		const n = /^[0-9]{1,2}$/.test(d) ? Number(d) : 0;
		if (n < 1 || n > 31) {
			cx.error("invalid_value", `invalid day of month "${d}": expected 1..31`, w);
			return undefined;
		}
		bits |= 1 << n;
	}
	return bits >>> 0;
}

const weekdayOpt = (name: string) => ({
	name,
	arity: 1 as const,
	negatable: true,
	apply: (s: S, v: { neg: boolean; args: readonly Word[]; word: Word }, cx: ExtContext) => {
		if (s.weekdays !== undefined) return cx.error("duplicate_option", "weekdays given twice", v.word);
		const b = weekdays(cx, v.args[0]!);
		if (b !== undefined) s.weekdays = v.neg ? ~b & ALL_WEEKDAYS : b;
	},
});

export const time = defineMatch<S>({
	name: "time",
	options: [
		{ name: "datestart", arity: 1, apply: (s, v, cx) => void (s.dateStart = date(cx, v.args[0]!)) },
		{ name: "datestop", arity: 1, apply: (s, v, cx) => void (s.dateStop = date(cx, v.args[0]!)) },
		{ name: "timestart", arity: 1, apply: (s, v, cx) => void (s.timeStart = dayTime(cx, v.args[0]!)) },
		{ name: "timestop", arity: 1, apply: (s, v, cx) => void (s.timeStop = dayTime(cx, v.args[0]!)) },
		weekdayOpt("weekdays"),
		weekdayOpt("days"),
		{
			name: "monthdays",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const b = monthdays(cx, v.args[0]!);
				if (b !== undefined) s.monthdays = v.neg ? ~b & ALL_MONTHDAYS : b;
			},
		},
		{ name: "utc", arity: 0, apply: (s) => void (s.utc = true) },
		{ name: "kerneltz", aliases: ["localtz"], arity: 0, apply: (s) => void (s.utc = false) },
		{ name: "contiguous", arity: 0, apply: (s) => void (s.contiguous = true) },
	],
	init: () => ({ utc: true, contiguous: false }),
	finish: (s, cx): TimeMatch | undefined => {
		const timeStart = s.timeStart ?? 0;
		const timeStop = s.timeStop ?? 86399;
		if (s.contiguous && timeStart <= timeStop) {
			cx.error("conflicting_options", "--contiguous only makes sense when --timestart is after --timestop", cx.nameWord);
			return undefined;
		}
		const m: { -readonly [K in keyof TimeMatch]: TimeMatch[K] } = {
			kind: "time",
			timeStart,
			timeStop,
			weekdays: s.weekdays ?? ALL_WEEKDAYS,
			monthdays: s.monthdays ?? ALL_MONTHDAYS,
			utc: s.utc,
			contiguous: s.contiguous,
		};
		if (s.dateStart !== undefined) m.dateStart = s.dateStart;
		if (s.dateStop !== undefined) m.dateStop = s.dateStop;
		return m;
	},
});

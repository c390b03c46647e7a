/**
 * xt_time: the packet's wall-clock second (ns floored), optionally shifted to the kernel's time zone
 * (--kerneltz; the simulated kernel's sys_tz is UTC), compared with the dates, then the time of day
 * (a start after the stop is a period over midnight, ends included; start == stop is the whole
 * day), then the weekday and the day of the month. --contiguous moves the weekday test of the
 * period's morning part to the day the period started.
 */
import type { TimeMatch } from "../../../ir/ipt.js";
import { TIME_DEFAULT_NS } from "../../packet.js";
import type { MatchFn } from "../types.js";

const DAY = 86400;
const ALL_MONTHDAYS = 0xfffffffe;
/** xt_time's default --datestop. */
export const DATE_STOP_DEFAULT = 0x7fffffff;

export function compileTime(m: TimeMatch): MatchFn {
	const dateStart = m.dateStart ?? 0;
	const dateStop = m.dateStop ?? DATE_STOP_DEFAULT;
	const { timeStart, timeStop, weekdays, monthdays, contiguous } = m;
	return (pkt) => {
		let stamp = Number((pkt.timeNs ?? TIME_DEFAULT_NS) / 1_000_000_000n);
		if (stamp < dateStart || stamp > dateStop) return false;
		const t = ((stamp % DAY) + DAY) % DAY;
		if (timeStart < timeStop) {
			if (t < timeStart || t > timeStop) return false;
		} else {
			if (t < timeStart && t > timeStop) return false;
			if (contiguous && t <= timeStop) stamp -= DAY;
		}
		const dse = Math.floor(stamp / DAY);
		const weekday = ((((4 + dse - 1) % 7) + 7) % 7) + 1; // 1 = Monday … 7 = Sunday
		if ((weekdays & (1 << weekday)) === 0) return false;
		if (monthdays !== ALL_MONTHDAYS) {
			const mday = new Date(stamp * 1000).getUTCDate();
			if ((monthdays & (1 << mday)) === 0) return false;
		}
		return true;
	};
}

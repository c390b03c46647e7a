/** xt_iprange: inclusive ranges, each independently negatable. */
import type { IpRangeMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function compileIprange(m: IpRangeMatch): MatchFn {
	const s = m.src;
	const d = m.dst;
	return (pkt) => {
		if (s && (pkt.saddr >= s.value.lo && pkt.saddr <= s.value.hi) === s.neg) return false;
		if (d && (pkt.daddr >= d.value.lo && pkt.daddr <= d.value.hi) === d.neg) return false;
		return true;
	};
}

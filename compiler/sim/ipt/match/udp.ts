/** xt_tcpudp (udp): never matches non-first fragments. */
import type { UdpMatch } from "../../../ir/ipt.js";
import { inRange, type MatchFn } from "../types.js";

export function compileUdp(m: UdpMatch): MatchFn {
	const sp = m.sport;
	const dp = m.dport;
	return (pkt) => {
		if (pkt.fragOffset !== 0) return false;
		if (pkt.proto !== 17) return false;
		if (sp && inRange(pkt.sport, sp.value.lo, sp.value.hi) === sp.neg) return false;
		if (dp && inRange(pkt.dport, dp.value.lo, dp.value.hi) === dp.neg) return false;
		return true;
	};
}

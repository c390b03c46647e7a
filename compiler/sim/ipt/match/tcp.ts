/** xt_tcpudp (tcp): never matches non-first fragments; offset 1 is dropped outright (hotdrop). */
import type { TcpMatch } from "../../../ir/ipt.js";
import { inRange, type MatchFn } from "../types.js";

export function compileTcp(m: TcpMatch): MatchFn {
	const sp = m.sport;
	const dp = m.dport;
	const fl = m.flags;
	const opt = m.option;
	return (pkt, _ctx, st) => {
		if (pkt.fragOffset !== 0) {
			// "Don't allow a fragment of TCP 8 bytes in": a flag-overwrite attack.
			if (pkt.fragOffset === 1) st.hotdrop = true;
			return false;
		}
		if (pkt.proto !== 6) return false;
		if (sp && inRange(pkt.sport, sp.value.lo, sp.value.hi) === sp.neg) return false;
		if (dp && inRange(pkt.dport, dp.value.lo, dp.value.hi) === dp.neg) return false;
		if (fl && ((pkt.tcpFlags & fl.value.mask) === fl.value.comp) === fl.neg) return false;
		if (opt && pkt.tcpOptions.includes(opt.value) === opt.neg) return false;
		return true;
	};
}

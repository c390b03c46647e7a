/** xt_ecn: the IP ECN field and the TCP ECE/CWR flags (the TCP tests need a TCP header). */
import type { EcnMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function compileEcn(m: EcnMatch): MatchFn {
	const ect = m.ipEct;
	const ece = m.ece;
	const cwr = m.cwr;
	return (pkt) => {
		if (ect && (pkt.ecn === ect.value) === ect.neg) return false;
		if (ece || cwr) {
			if (pkt.proto !== 6 || pkt.fragOffset !== 0) return false;
			if (ece && ((pkt.tcpFlags & 0x40) !== 0) === ece.neg) return false;
			if (cwr && ((pkt.tcpFlags & 0x80) !== 0) === cwr.neg) return false;
		}
		return true;
	};
}

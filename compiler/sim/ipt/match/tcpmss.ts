/**
 * xt_tcpmss: the first MSS option's value in the interval, inverted on request; a packet without
 * an MSS option yields the invert flag itself (so `! --mss` matches it). xt_tcpmss does not look
 * at the fragment offset: a later fragment's payload is read as a TCP header, which the model
 * has not got; it reads as one without options (tcpOptions is empty on later fragments).
 */
import type { TcpmssMatch } from "../../../ir/ipt.js";
import { MSS_DEFAULT } from "../../packet.js";
import type { MatchFn } from "../types.js";

const MSS = 2;

export function compileTcpmss(m: TcpmssMatch): MatchFn {
	const { lo, hi } = m.mss.value;
	const neg = m.mss.neg;
	return (pkt) => {
		if (pkt.proto !== 6) return false;
		if (pkt.fragOffset !== 0 || !pkt.tcpOptions.includes(MSS)) return neg;
		const v = pkt.mss ?? MSS_DEFAULT;
		return (v >= lo && v <= hi) !== neg;
	};
}

/** xt_pkttype: the link-layer class of the packet (unicast = PACKET_HOST). */
import type { PktTypeMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function compilePkttype(m: PktTypeMatch): MatchFn {
	const t = m.type.value;
	const neg = m.type.neg;
	return (pkt) => (pkt.pkttype === t) !== neg;
}

/** xt_length: IPv4 total length; IPv6 payload length + 40 (Packet.length holds exactly that). */
import type { LengthMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function compileLength(m: LengthMatch): MatchFn {
	const { lo, hi } = m.length.value;
	const neg = m.length.neg;
	return (pkt) => (pkt.length >= lo && pkt.length <= hi) !== neg;
}

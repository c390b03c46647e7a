/**
 * ip6t_rt: the first IPv6 routing header; no header means no match (negations included).
 * --rt-len compares the header length in bytes, (Hdr Ext Len + 1) * 8; --rt-segsleft a 32-bit
 * interval with the 8-bit Segments Left field.
 */
import type { RtMatch } from "../../../ir/ipt.js";
import type { Compiled } from "../types.js";

export function compileRt(m: RtMatch): Compiled {
	if (m.addrs !== undefined || m.reserved === true) return { unsupported: "rt --rt-0-addrs/--rt-0-res are not modelled by the simulator" };
	const type = m.type;
	const sl = m.segsleft;
	const len = m.len;
	return (pkt) => {
		const rh = pkt.fam === 6 ? pkt.rt : undefined;
		if (rh === undefined) return false;
		if (sl && (rh.segsleft >= sl.value.lo && rh.segsleft <= sl.value.hi) === sl.neg) return false;
		if (len && ((rh.hdrlen + 1) * 8 === len.value) === len.neg) return false;
		if (type && (rh.type === type.value) === type.neg) return false;
		return true;
	};
}

/**
 * ip6t_hbh (-m hbh / -m dst): the first Hop-by-Hop / Destination Options header; none: no match,
 * negated or not. --hbh-len compares the header length in bytes, (Hdr Ext Len + 1) * 8. The
 * packet model carries no option bytes, so --hbh-opts is not modelled.
 */
import type { OptsHdrMatch } from "../../../ir/ipt.js";
import type { Compiled } from "../types.js";

export function compileOptsHdr(m: OptsHdrMatch): Compiled {
	if (m.opts !== undefined) return { unsupported: `${m.kind} --${m.kind}-opts is not modelled by the simulator (the packet carries no option bytes)` };
	const len = m.len;
	const dst = m.kind === "dst";
	return (pkt) => {
		const raw = pkt.fam !== 6 ? undefined : dst ? pkt.dstLen : pkt.hbhLen;
		if (raw === undefined) return false;
		return len === undefined || ((raw + 1) * 8 === len.value) !== len.neg;
	};
}

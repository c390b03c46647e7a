/**
 * ip6t_frag: the IPv6 fragment header (present when the packet is a fragment: offset > 0 or MF).
 * No header, no match (negations included). --fragres matches when both reserved fields are 0.
 */
import type { FragMatch } from "../../../ir/ipt.js";
import type { Packet } from "../../packet.js";
import type { Compiled } from "../types.js";

/** Whether an IPv6 packet carries a fragment header in the model. */
export function hasFragHeader(pkt: Packet): boolean {
	return pkt.fam === 6 && (pkt.fragOffset > 0 || pkt.moreFragments);
}

export function compileFrag(m: FragMatch): Compiled {
	if (m.len !== undefined) return { unsupported: "frag --fraglen is not modelled by the simulator" };
	const id = m.id;
	const { reserved, first, more, last } = m;
	return (pkt) => {
		if (!hasFragHeader(pkt)) return false;
		const v = pkt.fragId ?? 0;
		if (id && (v >= id.value.lo && v <= id.value.hi) === id.neg) return false;
		if (reserved === true && ((pkt.fragRes ?? 0) !== 0 || (pkt.fragRes2 ?? 0) !== 0)) return false;
		if (first === true && pkt.fragOffset !== 0) return false;
		if (more === true && !pkt.moreFragments) return false;
		if (last === true && pkt.moreFragments) return false;
		return true;
	};
}

/**
 * ip6t_mh: never on a non-first fragment; an MH whose Payload Proto is not 59 (IPPROTO_NONE) is
 * dropped on the spot (hotdrop), whatever the type range; else the type interval, inverted on
 * request. The rule's -p mh is enforced by the kernel at load time; tested anyway.
 */
import type { MhMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function compileMh(m: MhMatch): MatchFn {
	const lo = m.type?.value.lo ?? 0;
	const hi = m.type?.value.hi ?? 255;
	const neg = m.type?.neg ?? false;
	return (pkt, _ctx, st) => {
		if (pkt.fam !== 6 || pkt.proto !== 135 || pkt.fragOffset !== 0) return false;
		if ((pkt.mhProto ?? 59) !== 59) {
			st.hotdrop = true;
			return false;
		}
		const t = pkt.mhType ?? 0;
		return (t >= lo && t <= hi) !== neg;
	};
}

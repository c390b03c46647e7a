/** xt_multiport (v1): up to 15 ports or ranges; non-first fragments never match. */
import type { MultiportMatch } from "../../../ir/ipt.js";
import { hasPorts } from "../../packet.js";
import type { MatchFn } from "../types.js";

export function compileMultiport(m: MultiportMatch): MatchFn {
	const lo = Int32Array.from(m.ports.value.map((p) => p.lo));
	const hi = Int32Array.from(m.ports.value.map((p) => p.hi));
	const neg = m.ports.neg;
	const dir = m.dir;
	return (pkt) => {
		if (pkt.fragOffset !== 0 || !hasPorts(pkt.proto)) return false;
		const s = pkt.sport;
		const d = pkt.dport;
		for (let i = 0; i < lo.length; i++) {
			const l = lo[i]!;
			const h = hi[i]!;
			const hit =
				dir === "src" ? s >= l && s <= h : dir === "dst" ? d >= l && d <= h : (s >= l && s <= h) || (d >= l && d <= h);
			if (hit) return !neg;
		}
		return neg;
	};
}

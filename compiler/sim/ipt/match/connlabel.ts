/**
 * xt_connlabel: no conntrack entry returns the inversion; a set bit matches; with --set a clear
 * bit is set and the match is then true (false when inverted).
 */
import type { ConnlabelMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";
import { hasEntry } from "./conntrack.js";

export function compileConnlabel(m: ConnlabelMatch): MatchFn {
	const bit = 1n << BigInt(m.bit);
	const { neg, set } = m;
	return (pkt) => {
		if (!hasEntry(pkt.ct)) return neg;
		const labels = pkt.ct.labels ?? 0n;
		if ((labels & bit) !== 0n) return !neg;
		if (set) {
			pkt.ct.labels = labels | bit;
			return !neg;
		}
		return neg;
	};
}

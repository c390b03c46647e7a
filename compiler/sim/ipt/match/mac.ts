/** xt_mac: needs an Ethernet header (never true without one, even negated). */
import type { MacMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function compileMac(m: MacMatch): MatchFn {
	const want = m.src.value;
	const neg = m.src.neg;
	return (pkt) => pkt.srcMac !== undefined && (pkt.srcMac === want) !== neg;
}

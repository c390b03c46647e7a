/** xt_connmark: needs a conntrack entry (false without one, even when negated). */
import type { ConnmarkMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";
import { hasEntry } from "./conntrack.js";

export function compileConnmark(m: ConnmarkMatch): MatchFn {
	const { value, mask } = m.mark.value;
	const v = value >>> 0;
	const neg = m.mark.neg;
	return (pkt) => hasEntry(pkt.ct) && ((pkt.ct.mark & mask) >>> 0 === v) !== neg;
}

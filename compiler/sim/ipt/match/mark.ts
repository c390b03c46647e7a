/** xt_mark: (mark & mask) == value. */
import type { MarkMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function compileMark(m: MarkMatch): MatchFn {
	const { value, mask } = m.mark.value;
	const v = value >>> 0;
	const neg = m.mark.neg;
	return (pkt) => ((pkt.mark & mask) >>> 0 === v) !== neg;
}

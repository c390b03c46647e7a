/**
 * xt_ipcomp: never on a non-first fragment; the 16-bit CPI against a 32-bit interval, inverted on
 * request. --compres is ignored (so does the kernel).
 */
import type { IpcompMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function compileIpcomp(m: IpcompMatch): MatchFn {
	const lo = m.spi?.value.lo ?? 0;
	const hi = m.spi?.value.hi ?? 0xffffffff;
	const neg = m.spi?.neg ?? false;
	return (pkt) => {
		if (pkt.proto !== 108 || pkt.fragOffset !== 0) return false;
		const cpi = (pkt.cpi ?? 0) & 0xffff;
		return (cpi >= lo && cpi <= hi) !== neg;
	};
}

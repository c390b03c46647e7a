/**
 * -m ipcomp -> `comp cpi N-M`. xt_ipcomp compares its 32-bit interval with the 16-bit CPI of the
 * header (ntohs), so the interval is clipped to 0..65535. Like `comp cpi` (a transport payload
 * load), xt_ipcomp never matches a non-first fragment, negated or not: a rule that only asks for
 * the protocol keeps a CPI compare that is always true when the header is there. --compres is
 * ignored by the kernel, and so here.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { NEVER, negOp, one, type MatchOut } from "./context.js";

const CPI_MAX = 0xffff;

export function lowerIpcomp(m: ipt.IpcompMatch): MatchOut {
	const cpi = nft.payload("comp cpi");
	const anyCpi = one(nft.rel(cpi, "==", nft.range(0, CPI_MAX)));
	const s = m.spi;
	if (s === undefined) return anyCpi;
	const lo = s.value.lo;
	const hi = Math.min(s.value.hi, CPI_MAX);
	if (lo > CPI_MAX) return s.neg ? anyCpi : NEVER;
	if (lo === 0 && hi === CPI_MAX) return s.neg ? NEVER : anyCpi;
	return one(nft.rel(cpi, negOp(s.neg), lo === hi ? nft.num(lo) : nft.range(lo, hi)));
}

/**
 * -m tcpmss -> `tcp option maxseg size A-B` (the TCPMSS target is tcpmss.ts). xt_tcpmss returns
 * its invert flag when the packet has no MSS option, so `! --mss` also matches every packet
 * without one (every non-SYN): two exclusive rules, `tcp option maxseg missing` and
 * `tcp option maxseg size != A-B`. Upstream's `tcp option maxseg size != A-B` misses those.
 * `tcp option maxseg missing` is also true for non-TCP packets (nft adds no protocol
 * dependency), so the rule keeps `-p tcp` (rule.ts only drops it for loads that need the header).
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import type { Alts, MatchOut } from "./context.js";

const MSS = 2;

export function lowerTcpmssMatch(m: ipt.TcpmssMatch): MatchOut {
	const { lo, hi } = m.mss.value;
	const size: nft.Selector = { kind: "tcpopt", option: MSS, field: "size" };
	const present = (p: boolean): nft.Cond => ({ kind: "exists", left: { kind: "tcpopt", option: MSS }, present: p });
	const all = lo === 0 && hi === 0xffff;
	const v = lo === hi ? nft.num(lo) : nft.range(lo, hi);
	if (!m.mss.neg) return all ? [[present(true)]] : [[nft.rel(size, "==", v)]];
	const alts: Alts = all ? [[present(false)]] : [[present(false)], [nft.rel(size, "!=", v)]];
	return alts;
}

/**
 * -m ipv6header --soft -> `exthdr hbh|dst|rt|frag exists|missing` and `meta l4proto` for esp,
 * none and proto. ip6t_ipv6header walks the header chain as nft's ipv6_find_hdr() does; ESP and
 * "no next header" end the chain, so ESP / none / an upper-layer protocol are what
 * `meta l4proto` reads. nft 1.0.6 cannot see AH (no AH extension header expression), so a
 * listed `auth` is refused, and so is the exact-set mode (no --soft), which also asks for AH's
 * absence.
 */
import { IPV6HEADER_MASK as M } from "../ir/ipt.js";
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { one, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

const ESP = 50;
const NONE = 59;

const EXTHDRS: readonly (readonly [number, nft.ExthdrName])[] = [
	[M.hop, "hbh"],
	[M.dst, "dst"],
	[M.route, "rt"],
	[M.frag, "frag"],
];

export function lowerIpv6header(ctx: RuleCtx, m: ipt.Ipv6HeaderMatch): MatchOut {
	if (!m.soft)
		return refuse(
			ctx,
			"inexpressible",
			"ip6tables -m ipv6header without --soft asks for exactly this set of headers, which includes AH's absence; nft 1.0.6 cannot see AH",
			"add --soft if the rule means \"has these headers\" (nft: `exthdr rt exists`, …)",
		);
	if (m.headers & M.auth) return refuse(ctx, "inexpressible", "ip6tables -m ipv6header --header auth: nft 1.0.6 cannot see an IPv6 AH header (no AH extension header expression)", "match IPsec with -m policy instead");
	const present = !m.neg;
	const conds: nft.Cond[] = [];
	for (const [bit, hdr] of EXTHDRS) if (m.headers & bit) conds.push({ kind: "exists", left: { kind: "exthdr", hdr }, present });
	const l4 = nft.meta("l4proto");
	const op = present ? "==" : "!=";
	if (m.headers & M.esp) conds.push(nft.rel(l4, op, nft.num(ESP)));
	if (m.headers & M.none) conds.push(nft.rel(l4, op, nft.num(NONE)));
	// An upper-layer protocol ends the chain unless ESP or "no next header" did.
	if (m.headers & M.proto) {
		if (present) conds.push(nft.rel(l4, "!=", nft.num(ESP)), nft.rel(l4, "!=", nft.num(NONE)));
		else conds.push(nft.rel(l4, "==", { kind: "set", elems: [nft.num(ESP), nft.num(NONE)] }));
	}
	return one(...conds);
}

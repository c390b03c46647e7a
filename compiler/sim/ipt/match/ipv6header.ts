/**
 * ip6t_ipv6header: the header kinds of the packet's chain (the model's options headers, routing
 * and fragment header, then what ends it: ESP, "no next header", or an upper-layer protocol; an
 * AH is taken to be followed by one). Soft mode: every listed kind present (negated: absent);
 * otherwise the exact set (negated: any other).
 */
import { IPV6HEADER_MASK as M, type Ipv6HeaderMatch } from "../../../ir/ipt.js";
import type { Packet } from "../../packet.js";
import type { MatchFn } from "../types.js";

function headerBits(p: Packet): number {
	let t = 0;
	if (p.hbhLen !== undefined) t |= M.hop;
	if (p.dstLen !== undefined) t |= M.dst;
	if (p.rt !== undefined) t |= M.route;
	if (p.fragOffset > 0 || p.moreFragments) t |= M.frag;
	if (p.proto === 59) t |= M.none;
	else if (p.proto === 50) t |= M.esp;
	else t |= (p.proto === 51 ? M.auth : 0) | M.proto;
	return t;
}

export function compileIpv6header(m: Ipv6HeaderMatch): MatchFn {
	const want = m.headers;
	const inv = m.neg ? 0xff : 0;
	if (m.soft) return (pkt) => pkt.fam === 6 && ((headerBits(pkt) ^ want ^ inv) & want) === 0;
	return (pkt) => pkt.fam === 6 && (headerBits(pkt) === want) !== m.neg;
}

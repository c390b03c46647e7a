/**
 * xt_cluster: first, a packet with pkt_type MULTICAST to a unicast address becomes HOST (whatever
 * follows); then no conntrack entry never matches; else bit `hash` of the node mask, where hash is
 * reciprocal_scale(jhash of the original source address of the master connection, if any, else of
 * the connection, total nodes): jhash_1word for IPv4; for IPv6 jhash2 over
 * NF_CT_TUPLE_L3SIZE / sizeof(u32) = 4 / 4 = ONE word, the address's first 32 bits (checked on
 * this kernel: fd00::2, fd00::10, fd00::abcd:1 all land on one node).
 */
import type { ClusterMatch } from "../../../ir/ipt.js";
import { addrBytes, jhash1word, jhash2, reciprocalScale } from "../../jhash.js";
import type { Packet } from "../../packet.js";
import type { MatchFn } from "../types.js";
import { hasEntry } from "./conntrack.js";

function isMulticast(pkt: Packet): boolean {
	return pkt.fam === 4 ? pkt.daddr >> 28n === 0xen : pkt.daddr >> 120n === 0xffn;
}

/** The address as the kernel's u32 words read it from memory (little-endian CPU). */
function words(fam: 4 | 6, addr: bigint): number[] {
	const b = addrBytes(fam, addr);
	const out: number[] = [];
	for (let i = 0; i < b.length; i += 4) out.push((b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0);
	return out;
}

export function clusterHash(fam: 4 | 6, saddr: bigint, seed: number, total: number): number {
	const w = words(fam, saddr);
	const h = fam === 4 ? jhash1word(w[0]!, seed) : jhash2(w.slice(0, 1), seed);
	return reciprocalScale(h, total);
}

export function compileCluster(m: ClusterMatch): MatchFn {
	const { totalNodes, nodeMask, seed, neg } = m;
	return (pkt) => {
		if (pkt.pkttype === "multicast" && !isMulticast(pkt)) pkt.pkttype = "unicast";
		const ct = pkt.ct;
		if (!hasEntry(ct) || ct.orig === undefined) return false;
		const saddr = ct.masterSaddr ?? ct.orig.saddr;
		const hash = clusterHash(pkt.fam, saddr, seed, totalNodes);
		return (Math.floor(nodeMask / 2 ** hash) % 2 === 1) !== neg;
	};
}

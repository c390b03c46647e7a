/**
 * Corpus values for raw 32-bit reads (-m u32 on the iptables side, `@nh`/`@th` compares on the nft
 * side): the words on both sides of each compared interval (placed in the payload by the corpus
 * when the read lands there), the packet lengths around the read's end (a read past the end fails),
 * and, for reads over header bytes, the field values those bytes come from.
 */
import type * as ipt from "../ir/ipt.js";
import { maskedIntervals, type U32Fold } from "../ir/u32.js";
import type { BoundaryValues } from "./boundary.js";
import { emptyExt, type U32Word } from "./ext-values.js";

/** IPv4 header length in the simulator's wire image (IHL 5); th offsets are relative to it. */
const V4_HDR = 20;

/** Edge words of one folded test (masked values lo-1, lo, hi, hi+1 of every interval, plus 0 and all ones). */
export function foldEdgeWords(f: U32Fold, ranges: readonly ipt.PortRange[]): number[] {
	const out = new Set<number>([0, 0xffffffff]);
	for (const iv of maskedIntervals(f, ranges)) {
		for (const v of [iv.lo - 1n, iv.lo, iv.hi, iv.hi + 1n]) if (v >= 0n && v <= 0xffffffffn) out.add(Number(v));
	}
	// Words with the masked bits but nothing else, and with every other bit set too.
	for (const v of [...out]) out.add((v | Number(~f.mask & 0xffffffffn)) >>> 0);
	return [...out];
}

/**
 * Adds the values for a read of the word at `off` from `base` ("pl": the payload start, for reads
 * behind a pointer chain the corpus cannot follow exactly) compared as `f` with `ranges`.
 */
export function addU32Values(b: BoundaryValues, base: "nh" | "th" | "pl", off: number, f: U32Fold, ranges: readonly ipt.PortRange[]): void {
	const words = foldEdgeWords(f, ranges);
	const x = (b.ext ??= emptyExt());
	const list: U32Word[] = (x.u32Words ??= []);
	const nhOff = base === "nh" ? off : base === "th" ? V4_HDR + off : undefined;
	for (const value of words) list.push({ base, off, value });
	if (nhOff !== undefined) b.lengths!.push(nhOff + 3, nhOff + 4, nhOff + 5);
	for (const w of words) {
		const byteAt = (i: number): number | undefined => (nhOff !== undefined && i >= nhOff && i < nhOff + 4 ? (w >>> (8 * (3 - (i - nhOff)))) & 0xff : undefined);
		// IPv4 protocol (byte 9) and IPv6 next header (byte 6); TTL / hop limit (8 / 7).
		for (const i of [9, 6]) {
			const v = byteAt(i);
			if (v !== undefined) b.protos.push(v);
		}
		for (const i of [8, 7]) {
			const v = byteAt(i);
			if (v !== undefined) b.ttls!.push(v);
		}
		// IPv4 total length (bytes 2-3), IPv6 payload length (4-5).
		for (const [i, plus] of [[2, 0], [4, 40]] as const) {
			const hi = byteAt(i);
			const lo = byteAt(i + 1);
			if (hi !== undefined && lo !== undefined) b.lengths!.push(((hi << 8) | lo) + plus);
		}
		// Ports of a transport header behind an IPv4 header.
		for (const i of [V4_HDR, V4_HDR + 2]) {
			const hi = byteAt(i);
			const lo = byteAt(i + 1);
			if (hi !== undefined && lo !== undefined) b.ports.push((hi << 8) | lo);
		}
	}
}

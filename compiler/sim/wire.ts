/**
 * The bytes of a simulated packet from the network header on (what skb->data holds at the
 * netfilter hooks), built from the field-based Packet. Both evaluators read raw bytes only through
 * here (xt_u32 on the iptables side, `@nh`/`@th` payload on the nft side), so they see the same
 * wire image. skb->len is pkt.length: headers that do not fit are cut (a truncated packet).
 *
 * Fixed choices (fields the model does not have): IPv4 IHL 5, id 0; TCP seq/ack 0, window 0,
 * checksum 0; flow label 0. Bytes after the transport header: pkt.payload, then zeros.
 */
import type { Packet } from "./packet.js";
import { MSS_DEFAULT } from "./packet.js";

const IPV4_HDR = 20;
const IPV6_HDR = 40;

class Writer {
	readonly bytes: number[] = [];
	u8(v: number): void {
		this.bytes.push(v & 0xff);
	}
	u16(v: number): void {
		this.u8(v >>> 8);
		this.u8(v);
	}
	u32(v: number): void {
		this.u16(v >>> 16);
		this.u16(v & 0xffff);
	}
	big(v: bigint, n: number): void {
		for (let i = n - 1; i >= 0; i--) this.u8(Number((v >> BigInt(8 * i)) & 0xffn));
	}
	zeros(n: number): void {
		for (let i = 0; i < n; i++) this.u8(0);
	}
}

/** TCP options in the order given, each with a plausible length; padded with EOL to 4 bytes. */
function tcpOptionBytes(p: Packet): number[] {
	const w = new Writer();
	for (const kind of p.tcpOptions) {
		switch (kind) {
			case 0:
			case 1:
				w.u8(kind);
				break;
			case 2:
				w.u8(2), w.u8(4), w.u16(p.mss ?? MSS_DEFAULT);
				break;
			case 3:
				w.u8(3), w.u8(3), w.u8(7);
				break;
			case 4:
				w.u8(4), w.u8(2);
				break;
			case 5:
				w.u8(5), w.u8(10), w.zeros(8);
				break;
			case 8:
				w.u8(8), w.u8(10), w.zeros(8);
				break;
			default:
				w.u8(kind), w.u8(2);
		}
	}
	while (w.bytes.length % 4 !== 0) w.u8(0);
	return w.bytes.slice(0, 40);
}

/** The transport header (absent on later fragments and for protocols the model has no header for). */
function l4Header(p: Packet, l4len: number): number[] {
	const w = new Writer();
	switch (p.proto) {
		case 6: {
			const opts = tcpOptionBytes(p);
			w.u16(p.sport), w.u16(p.dport), w.u32(0), w.u32(0);
			w.u8(((5 + opts.length / 4) << 4) & 0xf0), w.u8(p.tcpFlags);
			w.u16(0), w.u16(0), w.u16(0);
			w.bytes.push(...opts);
			break;
		}
		case 17:
		case 136:
			w.u16(p.sport), w.u16(p.dport), w.u16(p.proto === 17 ? l4len : 0), w.u16(0);
			break;
		case 132:
			w.u16(p.sport), w.u16(p.dport), w.u32(0), w.u32(0);
			break;
		case 33:
			// Extended sequence numbers (X=1): 16 bytes, data offset 4 words.
			w.u16(p.sport), w.u16(p.dport), w.u8(4), w.u8(0), w.u16(0);
			w.u8((((p.dccpType ?? 0) & 0xf) << 1) | 1), w.zeros(7);
			break;
		case 1:
		case 58:
			w.u8(p.icmpType), w.u8(p.icmpCode), w.u16(0), w.u32(0);
			break;
		case 50:
			w.u32(p.spi ?? 0), w.u32(0);
			break;
		case 51:
			w.u8(59), w.u8(4), w.u16(0), w.u32(p.spi ?? 0), w.u32(0), w.zeros(12);
			break;
		case 108:
			w.u8(59), w.u8(0), w.u16(p.cpi ?? 0);
			break;
		case 135:
			if (p.fam === 6) w.u8(p.mhProto ?? 59), w.u8(0), w.u8(p.mhType ?? 0), w.u8(0), w.u16(0), w.u16(0);
			break;
		default:
			break;
	}
	return w.bytes;
}

function checksum(b: readonly number[], from: number, to: number): number {
	let s = 0;
	for (let i = from; i < to; i += 2) s += ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
	while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
	return ~s & 0xffff;
}

/** IPv6 extension headers the model has (hop-by-hop, destination options, routing, fragment), in RFC 8200 order. */
function ipv6Chain(p: Packet, w: Writer): void {
	const hdrs: { type: number; body: (next: number) => void }[] = [];
	if (p.hbhLen !== undefined) hdrs.push({ type: 0, body: (n) => (w.u8(n), w.u8(p.hbhLen ?? 0), w.zeros(6 + 8 * (p.hbhLen ?? 0))) });
	if (p.dstLen !== undefined) hdrs.push({ type: 60, body: (n) => (w.u8(n), w.u8(p.dstLen ?? 0), w.zeros(6 + 8 * (p.dstLen ?? 0))) });
	if (p.rt !== undefined) {
		const rt = p.rt;
		hdrs.push({ type: 43, body: (n) => (w.u8(n), w.u8(rt.hdrlen), w.u8(rt.type), w.u8(rt.segsleft), w.zeros(4 + 8 * rt.hdrlen)) });
	}
	if (p.fragOffset > 0 || p.moreFragments)
		hdrs.push({
			type: 44,
			body: (n) => (w.u8(n), w.u8(p.fragRes ?? 0), w.u16(((p.fragOffset & 0x1fff) << 3) | ((p.fragRes2 ?? 0) & 3) << 1 | (p.moreFragments ? 1 : 0)), w.u32(p.fragId ?? 0)),
		});
	// The fixed header's next header: the first extension header or the transport protocol.
	w.bytes[6] = hdrs[0]?.type ?? p.proto & 0xff;
	for (const [i, h] of hdrs.entries()) h.body(hdrs[i + 1]?.type ?? p.proto & 0xff);
}

export interface Wire {
	readonly bytes: Uint8Array;
	/** Offset of the transport header in nft's view; undefined on later fragments (nft @th breaks). */
	readonly thoff: number | undefined;
	/** Where pkt.payload starts: after the headers as built (which may be longer than the packet). */
	readonly payloadOff: number;
	/** Length of the IP header with the IPv6 extension headers: where u32's IHL skip lands also on later fragments. */
	readonly l3len: number;
}

/** The packet's bytes and where its transport header starts. */
export function packetWire(p: Packet): Wire {
	const w = new Writer();
	const len = Math.max(0, p.length);
	const tos = ((p.dscp & 0x3f) << 2) | (p.ecn & 3);
	if (p.fam === 4) {
		w.u8(0x45), w.u8(tos), w.u16(len), w.u16(0);
		w.u16((p.moreFragments ? 0x2000 : 0) | (p.fragOffset & 0x1fff));
		w.u8(p.ttl), w.u8(p.proto), w.u16(0);
		w.big(p.saddr, 4), w.big(p.daddr, 4);
		const c = checksum(w.bytes, 0, IPV4_HDR);
		w.bytes[10] = c >>> 8;
		w.bytes[11] = c & 0xff;
	} else {
		w.u32((6 << 28) | (tos << 20)), w.u16(Math.max(0, len - IPV6_HDR)), w.u8(p.proto), w.u8(p.ttl);
		w.big(p.saddr, 16), w.big(p.daddr, 16);
		ipv6Chain(p, w);
	}
	const later = p.fragOffset > 0;
	const l3len = w.bytes.length;
	const thoff = later ? undefined : w.bytes.length;
	if (!later) w.bytes.push(...l4Header(p, Math.max(0, len - w.bytes.length)));
	const payloadOff = w.bytes.length;
	if (p.payload !== undefined) w.bytes.push(...p.payload);
	const out = new Uint8Array(len);
	out.set(w.bytes.slice(0, len));
	return { bytes: out, thoff, payloadOff, l3len };
}

export function packetBytes(p: Packet): Uint8Array {
	return packetWire(p).bytes;
}

/** The 4-byte big-endian word at off, or undefined when it is not wholly inside the packet. */
export function readU32(b: Uint8Array, off: number): number | undefined {
	if (off < 0 || off + 4 > b.length) return undefined;
	return ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
}

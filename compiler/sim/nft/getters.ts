/**
 * Expression → getter closures. A getter reads one value from the packet the way the kernel's
 * expression loads it into a register, or returns undefined where the kernel would BREAK the rule
 * (header absent, non-first fragment, no conntrack entry, no socket).
 * Values up to 48 bits are JS numbers; wider ones (IPv6 addresses, interface names) are bigints.
 */
import type * as A from "../../../grammar/nft/ast.js";
import { encodeName } from "../../../grammar/nft/symbols.js";
import { diagnostic, type Diagnostic } from "../../ir/diagnostics.js";
import type { EvalContext } from "../model.js";
import { hasPorts, MSS_DEFAULT, TIME_DEFAULT_NS, ZERO_ACCT, type Packet } from "../packet.js";
import { addrBytes, jhash, reciprocalScale } from "../jhash.js";
import { fibLookup, isLinkLocal6, linkScope6 } from "../fib.js";
import { packetSocket } from "../sockets.js";
import { packetWire, type Wire } from "../wire.js";

const NS = 1_000_000_000n;

export type Val = number | bigint;
export type Getter = (p: Packet, c: EvalContext) => Val | undefined;

/** Converts a decoded constant to the getter's representation for that width. */
export function toVal(v: bigint, width: number): Val {
	return width <= 48 ? Number(v) : v;
}

const nameCache = new Map<string, bigint>();
/** Interned 16-byte encoding of an interface name (the hot path compares names as numbers). */
export function nameKey(name: string): bigint {
	let k = nameCache.get(name);
	if (k === undefined) {
		k = encodeName(name);
		nameCache.set(name, k);
	}
	return k;
}

const ZERO_NAME = 0n;
const PKTTYPE: Readonly<Record<Packet["pkttype"], number>> = { unicast: 0, broadcast: 1, multicast: 2 };
const CT_STATE_BIT: Readonly<Record<Packet["ct"]["state"], number>> = {
	invalid: 1,
	established: 2,
	related: 4,
	new: 8,
	untracked: 64,
};
const FIB_TYPE: Readonly<Record<string, number>> = { unspec: 0, unicast: 1, local: 2, broadcast: 3, multicast: 5 };

/** Whether the packet has a conntrack entry (the kernel's nf_ct_get() != NULL). */
export function tracked(p: Packet): boolean {
	return p.ct.state !== "invalid" && p.ct.state !== "untracked";
}

export class GetterCompiler {
	readonly diagnostics: Diagnostic[] = [];

	/** Records an unmodelled expression; its getter never yields a value (the rule never matches). */
	unsupported(what: string, span: A.NftExpr["span"]): Getter {
		this.diagnostics.push(diagnostic("nft_unsupported", `${what} is not modelled by the simulator; the rule never matches here`, span));
		return () => undefined;
	}

	compile(e: A.NftExpr): Getter {
		switch (e.kind) {
			case "payload":
				return this.payload(e);
			case "meta":
				return this.meta(e);
			case "ct":
				return this.ct(e);
			case "fib":
				return this.fib(e);
			case "numgen":
				if (e.mode === "jhash" && e.key !== undefined) return this.jhash(e, e.key);
				return this.unsupported(`${e.mode} outside a comparison, set lookup or map`, e.span);
			case "tcpopt": {
				// nft_exthdr_tcp_eval: without a TCP header (another protocol, a later fragment) a field
				// load BREAKs but `exists`/`missing` read 0: nft adds no protocol dependency to them.
				const opt = e.option;
				if (e.field !== undefined) {
					if (opt === 2 && e.field === "size") return (p) => (p.proto === 6 && p.fragOffset === 0 && p.tcpOptions.includes(2) ? (p.mss ?? MSS_DEFAULT) & 0xffff : undefined);
					return this.unsupported(`tcp option ${e.name} ${e.field}`, e.span);
				}
				return (p) => (p.proto === 6 && p.fragOffset === 0 && p.tcpOptions.includes(opt) ? 1 : 0);
			}
			case "exthdr":
				return this.exthdr(e);
			case "socket":
				// nft_socket: no socket BREAKs; `wildcard` and `mark` need a full socket.
				if (e.key === "transparent") return (p) => {
					const sk = packetSocket(p);
					return sk === undefined ? undefined : sk.transparent ? 1 : 0;
				};
				if (e.key === "wildcard") return (p) => {
					const sk = packetSocket(p);
					return sk === undefined || !sk.full ? undefined : sk.wildcard ? 1 : 0;
				};
				return (p) => {
					const sk = packetSocket(p);
					return sk === undefined || !sk.full ? undefined : (sk.mark ?? 0) >>> 0;
				};
			case "rt":
				// The route (dst) exists from the routing decision on: BREAK in prerouting.
				if (e.key === "ipsec") return (p, c) => (c.hook === "prerouting" ? undefined : p.xfrmOut === true ? 1 : 0);
				return (p, c) => (c.hook === "prerouting" ? undefined : (p.realm ?? 0) >>> 0);
			case "raw":
				return this.raw(e);
			case "const": {
				const v = toVal(e.value, e.width);
				return () => v;
			}
			case "binop":
				return this.binop(e);
			case "concat":
				return this.unsupported("a concatenation outside a set lookup", e.span);
			default: {
				const never: never = e;
				throw new Error(`internal error: expression ${JSON.stringify(never)}`);
			}
		}
	}

	/**
	 * nft_jhash: reciprocal_scale(jhash(the key's register bytes, seed), mod) + offset; the key's
	 * load BREAKs as usual. Keys are addresses (network-order bytes, 4 or 16 of them).
	 */
	private jhash(e: A.NumgenExpr, key: A.NftExpr): Getter {
		if (key.dtype !== "ipv4_addr" && key.dtype !== "ipv6_addr") return this.unsupported("jhash of a non-address key", e.span);
		const fam = key.dtype === "ipv4_addr" ? 4 : 6;
		const g = this.compile(key);
		const { mod, offset } = e;
		const seed = (e.seed ?? 0) >>> 0;
		return (p, c) => {
			const v = g(p, c);
			if (v === undefined) return undefined;
			return reciprocalScale(jhash(addrBytes(fam, BigInt(v)), seed), mod) + offset;
		};
	}

	private binop(e: A.BinopExpr): Getter {
		const l = this.compile(e.left);
		const r = this.compile(e.right);
		const wide = e.width > 48;
		if (wide) {
			const mask = (1n << BigInt(e.width)) - 1n;
			switch (e.op) {
				case "&":
					return (p, c) => bi(l(p, c), r(p, c), (a, b) => a & b);
				case "|":
					return (p, c) => bi(l(p, c), r(p, c), (a, b) => a | b);
				case "^":
					return (p, c) => bi(l(p, c), r(p, c), (a, b) => a ^ b);
				case "<<":
					return (p, c) => bi(l(p, c), r(p, c), (a, b) => (a << b) & mask);
				case ">>":
					return (p, c) => bi(l(p, c), r(p, c), (a, b) => a >> b);
			}
		}
		const m = e.width >= 32 ? 0xffffffff : (1 << e.width) - 1;
		switch (e.op) {
			case "&":
				return (p, c) => nu(l(p, c), r(p, c), (a, b) => (a & b) >>> 0);
			case "|":
				return (p, c) => nu(l(p, c), r(p, c), (a, b) => ((a | b) >>> 0) & m);
			case "^":
				return (p, c) => nu(l(p, c), r(p, c), (a, b) => ((a ^ b) >>> 0) & m);
			case "<<":
				return (p, c) => nu(l(p, c), r(p, c), (a, b) => ((a << b) >>> 0) & m);
			case ">>":
				return (p, c) => nu(l(p, c), r(p, c), (a, b) => a >>> b);
		}
	}

	private payload(e: A.PayloadExpr): Getter {
		const f = e.field;
		switch (e.proto) {
			case "ip":
				switch (f) {
					case "saddr":
						return (p) => (p.fam === 4 ? Number(p.saddr) : undefined);
					case "daddr":
						return (p) => (p.fam === 4 ? Number(p.daddr) : undefined);
					case "protocol":
						return (p) => (p.fam === 4 ? p.proto : undefined);
					case "ttl":
						return (p) => (p.fam === 4 ? p.ttl : undefined);
					case "length":
						return (p) => (p.fam === 4 ? p.length : undefined);
					case "dscp":
						return (p) => (p.fam === 4 ? p.dscp : undefined);
					case "ecn":
						return (p) => (p.fam === 4 ? p.ecn : undefined);
					case "version":
						return (p) => (p.fam === 4 ? 4 : undefined);
					case "hdrlength":
						return (p) => (p.fam === 4 ? 5 : undefined);
					case "frag-off":
						// flags (reserved, DF, MF) and the 13-bit offset; DF is not modelled (0).
						return (p) => (p.fam === 4 ? (p.moreFragments ? 0x2000 : 0) | (p.fragOffset & 0x1fff) : undefined);
					default:
						return this.unsupported(`ip ${f}`, e.span);
				}
			case "ip6":
				switch (f) {
					case "saddr":
						return (p) => (p.fam === 6 ? p.saddr : undefined);
					case "daddr":
						return (p) => (p.fam === 6 ? p.daddr : undefined);
					case "nexthdr":
						return (p) => (p.fam === 6 ? p.proto : undefined);
					case "hoplimit":
						return (p) => (p.fam === 6 ? p.ttl : undefined);
					case "length":
						return (p) => (p.fam === 6 ? p.length - 40 : undefined);
					case "dscp":
						return (p) => (p.fam === 6 ? p.dscp : undefined);
					case "ecn":
						return (p) => (p.fam === 6 ? p.ecn : undefined);
					case "version":
						return (p) => (p.fam === 6 ? 6 : undefined);
					default:
						return this.unsupported(`ip6 ${f}`, e.span);
				}
			case "tcp":
			case "udp":
			case "udplite":
			case "sctp":
			case "dccp": {
				const proto = { tcp: 6, udp: 17, udplite: 136, sctp: 132, dccp: 33 }[e.proto];
				// Transport loads BREAK on non-first fragments (kernel: pkt->fragoff != 0).
				if (f === "sport") return (p) => (p.proto === proto && p.fragOffset === 0 ? p.sport : undefined);
				if (f === "dport") return (p) => (p.proto === proto && p.fragOffset === 0 ? p.dport : undefined);
				if (f === "flags" && proto === 6) return (p) => (p.proto === 6 && p.fragOffset === 0 ? p.tcpFlags : undefined);
				if (f === "type" && proto === 33) return (p) => (p.proto === 33 && p.fragOffset === 0 ? (p.dccpType ?? 0) & 0xf : undefined);
				return this.unsupported(`${e.proto} ${f}`, e.span);
			}
			case "esp":
			case "ah": {
				const proto = e.proto === "esp" ? 50 : 51;
				if (f === "spi") return (p) => (p.proto === proto && p.fragOffset === 0 ? (p.spi ?? 0) >>> 0 : undefined);
				return this.unsupported(`${e.proto} ${f}`, e.span);
			}
			case "comp":
				// IPComp: a transport payload load (implicit `meta l4proto comp`), BREAKs on later fragments.
				if (f === "cpi") return (p) => (p.proto === 108 && p.fragOffset === 0 ? (p.cpi ?? 0) & 0xffff : undefined);
				return this.unsupported(`comp ${f}`, e.span);
			case "th":
				if (f === "sport") return (p) => (hasPorts(p.proto) && p.fragOffset === 0 ? p.sport : undefined);
				return (p) => (hasPorts(p.proto) && p.fragOffset === 0 ? p.dport : undefined);
			case "icmp":
				if (f === "type") return (p) => (p.fam === 4 && p.proto === 1 && p.fragOffset === 0 ? p.icmpType : undefined);
				if (f === "code") return (p) => (p.fam === 4 && p.proto === 1 && p.fragOffset === 0 ? p.icmpCode : undefined);
				return this.unsupported(`icmp ${f}`, e.span);
			case "icmpv6":
				if (f === "type") return (p) => (p.fam === 6 && p.proto === 58 && p.fragOffset === 0 ? p.icmpType : undefined);
				if (f === "code") return (p) => (p.fam === 6 && p.proto === 58 && p.fragOffset === 0 ? p.icmpCode : undefined);
				return this.unsupported(`icmpv6 ${f}`, e.span);
			case "ether":
				if (f === "saddr") return (p) => (p.srcMac !== undefined ? Number(p.srcMac) : undefined);
				if (f === "type") return (p) => (p.srcMac !== undefined ? (p.fam === 4 ? 0x0800 : 0x86dd) : undefined);
				return this.unsupported(`ether ${f}`, e.span);
			default:
				return this.unsupported(`${e.proto} ${f}`, e.span);
		}
	}

	private meta(e: A.MetaExpr): Getter {
		switch (e.key) {
			case "length":
				return (p) => p.length;
			case "protocol":
				return (p) => (p.fam === 4 ? 0x0800 : 0x86dd);
			case "nfproto":
				return (p) => (p.fam === 4 ? 2 : 10);
			case "l4proto":
				return (p) => p.proto;
			case "mark":
				return (p) => p.mark >>> 0;
			// No device is the empty name / index 0 in the kernel, not a BREAK.
			case "iifname":
			case "iif":
				return (p) => (p.iif !== undefined ? nameKey(p.iif) : ZERO_NAME);
			case "oifname":
			case "oif":
				return (p) => (p.oif !== undefined ? nameKey(p.oif) : ZERO_NAME);
			case "iiftype":
				return (p) => (p.iif === undefined ? undefined : p.iif === "lo" ? 772 : 1);
			case "oiftype":
				return (p) => (p.oif === undefined ? undefined : p.oif === "lo" ? 772 : 1);
			case "skuid":
				return (p) => p.uid;
			case "skgid":
				return (p) => p.gid;
			case "pkttype":
				return (p) => PKTTYPE[p.pkttype];
			case "nftrace":
				return () => 0;
			case "secpath":
				return (p) => (p.secpath === true ? 1 : 0);
			case "secmark":
				return (p) => (p.secmark ?? 0) >>> 0;
			case "cpu":
				return (p) => p.cpu ?? 0;
			// The clock (kernel: ktime_get_real_ns; hour in UTC; day with sys_tz, taken as 0).
			case "time":
				return (p) => p.timeNs ?? TIME_DEFAULT_NS;
			case "hour":
				return (p) => Number(((p.timeNs ?? TIME_DEFAULT_NS) / NS) % 86400n);
			case "day":
				return (p) => Number((4n + (p.timeNs ?? TIME_DEFAULT_NS) / NS / 86400n) % 7n);
			// A device that is not there (no input device on output) BREAKs.
			case "iifgroup":
				return (p, c) => groupOf(c, p.iif);
			case "oifgroup":
				return (p, c) => groupOf(c, p.oif);
			// The route realm: no route yet in prerouting.
			case "rtclassid":
				return (p, c) => (c.hook === "prerouting" ? undefined : (p.realm ?? 0) >>> 0);
			// The net_cls classid of a full local socket; none: BREAK.
			case "cgroup":
				return (p) => (p.uid !== undefined ? (p.cgroup ?? 0) >>> 0 : undefined);
			default:
				return this.unsupported(`meta ${e.key}`, e.span);
		}
	}

	private ct(e: A.CtExpr): Getter {
		const tuple = (p: Packet): Packet["ct"]["orig"] => (tracked(p) ? (e.dir === "reply" ? p.ct.reply : p.ct.orig) : undefined);
		switch (e.key) {
			case "state":
				return (p) => CT_STATE_BIT[p.ct.state];
			case "status":
				return (p) => (tracked(p) ? p.ct.status : undefined);
			case "mark":
				return (p) => (tracked(p) ? p.ct.mark >>> 0 : undefined);
			case "secmark":
				return (p) => (tracked(p) ? (p.ct.secmark ?? 0) >>> 0 : undefined);
			case "direction":
				return (p) => (tracked(p) ? (p.ct.dir === "original" ? 0 : 1) : undefined);
			case "zone":
				return (p) => (tracked(p) ? p.ct.zone : undefined);
			case "expiration":
				return (p) => (tracked(p) ? p.ct.expire * 1000 : undefined);
			case "helper":
				return (p) => (tracked(p) && p.ct.helper !== undefined ? nameKey(p.ct.helper) : undefined);
			// nft_ct: the accounting counters (no extension: 0); no direction sums both; avgpkt
			// is bytes / packets (0 without packets). 64-bit values.
			case "packets":
			case "bytes":
			case "avgpkt": {
				const key = e.key;
				const dir = e.dir;
				return (p) => {
					if (!tracked(p)) return undefined;
					const a = p.ct.acct ?? ZERO_ACCT;
					const pk = dir === "original" ? a.origPackets : dir === "reply" ? a.replyPackets : a.origPackets + a.replyPackets;
					if (key === "packets") return pk;
					const by = dir === "original" ? a.origBytes : dir === "reply" ? a.replyBytes : a.origBytes + a.replyBytes;
					if (key === "bytes") return by;
					return pk === 0n ? 0n : by / pk;
				};
			}
			case "label":
				return (p) => (tracked(p) ? (p.ct.labels ?? 0n) : undefined);
			case "l3proto":
				return (p) => (tracked(p) ? (p.fam === 4 ? 2 : 10) : undefined);
			case "protocol":
				return (p) => tuple(p)?.proto;
			case "proto-src":
				return (p) => tuple(p)?.sport;
			case "proto-dst":
				return (p) => tuple(p)?.dport;
			case "saddr":
			case "daddr": {
				const src = e.key === "saddr";
				if (e.width === 32)
					return (p) => {
						const t = p.fam === 4 ? tuple(p) : undefined;
						return t === undefined ? undefined : Number(src ? t.saddr : t.daddr);
					};
				return (p) => {
					const t = p.fam === 6 ? tuple(p) : undefined;
					return t === undefined ? undefined : src ? t.saddr : t.daddr;
				};
			}
			default:
				return this.unsupported(`ct ${e.key}`, e.span);
		}
	}

	private fib(e: A.FibExpr): Getter {
		const useDaddr = e.flags.includes("daddr");
		const iif = e.flags.includes("iif");
		const oif = e.flags.includes("oif");
		if (e.result === "type") {
			return (p, c) => {
				const addr = useDaddr ? p.daddr : p.saddr;
				let t = c.addrType(p.fam, addr);
				// `. iif` / `. oif` (inet_dev_addr_type with a device): a local or subnet broadcast
				// address counts only on that very device (no device: no restriction).
				if ((t === "local" || t === "broadcast") && (iif || oif)) {
					const dev = iif ? p.iif : p.oif;
					if (t === "local") {
						if (dev === undefined || !onDevice(c, dev, p.fam, addr)) t = "unicast";
					} else if (dev !== undefined) t = c.addrType(p.fam, addr, dev); // 0/8, 255.255.255.255 stay broadcast
				}
				return FIB_TYPE[t] ?? 0;
			};
		}
		// nft_fib4_eval / nft_fib6_eval: the device of the route to the address (0: none). With
		// `. iif`/`. oif` the route must use that device. Special cases in prerouting: loopback input,
		// IPv4 0.0.0.0 to broadcast / 224.0.0.0/24, IPv6 ICMPv6 from :: to a link-scope address
		// (DAD) give the input device. A LOCAL route gives none; other route types (BROADCAST) count.
		return (p, c) => {
			const addr = useDaddr ? p.daddr : p.saddr;
			const want = iif ? p.iif : oif ? p.oif : undefined;
			if (c.hook === "prerouting" && p.iif !== undefined) {
				if (p.iif === "lo") return nameKey(p.iif);
				if (p.fam === 4 && p.saddr >> 24n === 0n && (p.daddr === 0xffffffffn || p.daddr >> 8n === 0xe00000n)) return nameKey(p.iif);
				if (p.fam === 6 && p.proto === 58 && p.saddr === 0n && linkScope6(p.daddr)) return nameKey(p.iif);
			}
			let dev: string | undefined;
			if (p.fam === 6 && isLinkLocal6(addr)) dev = want ?? p.iif; // fe80::/64 on every device (strict iface lookup)
			else {
				const r = fibLookup(c.host, p.fam, addr);
				dev = r === undefined || r.type === "local" ? undefined : r.dev;
			}
			if (dev === undefined || ((iif || oif) && dev !== want)) return ZERO_NAME;
			return nameKey(dev);
		};
	}

	private exthdr(e: A.ExthdrExpr): Getter {
		// The model carries the fragment header (fragOffset/MF, id, reserved bits) and the routing
		// header; no other extension header is ever present.
		const isFrag = (p: Packet): boolean => p.fam === 6 && (p.fragOffset > 0 || p.moreFragments);
		// ipv6_find_hdr() stops at the fragment header of a later fragment: the MH is not found there.
		const isMh = (p: Packet): boolean => p.fam === 6 && p.proto === 135 && p.fragOffset === 0;
		if (e.field === undefined) {
			if (e.hdr === "frag") return (p) => (p.fam === 6 ? (isFrag(p) ? 1 : 0) : undefined);
			if (e.hdr === "rt") return (p) => (p.fam === 6 ? (p.rt !== undefined ? 1 : 0) : undefined);
			if (e.hdr === "hbh") return (p) => (p.fam === 6 ? (p.hbhLen !== undefined ? 1 : 0) : undefined);
			if (e.hdr === "dst") return (p) => (p.fam === 6 ? (p.dstLen !== undefined ? 1 : 0) : undefined);
			if (e.hdr === "mh") return (p) => (p.fam === 6 ? (isMh(p) ? 1 : 0) : undefined);
			return (p) => (p.fam === 6 ? 0 : undefined);
		}
		if (e.hdr === "frag") {
			switch (e.field) {
				case "frag-off":
					return (p) => (isFrag(p) ? p.fragOffset : undefined);
				case "more-fragments":
					return (p) => (isFrag(p) ? (p.moreFragments ? 1 : 0) : undefined);
				case "id":
					return (p) => (isFrag(p) ? (p.fragId ?? 0) >>> 0 : undefined);
				case "reserved":
					return (p) => (isFrag(p) ? (p.fragRes ?? 0) & 0xff : undefined);
				case "reserved2":
					return (p) => (isFrag(p) ? (p.fragRes2 ?? 0) & 3 : undefined);
				default:
					return this.unsupported(`frag ${e.field}`, e.span);
			}
		}
		if (e.hdr === "rt") {
			const rh = (p: Packet): Packet["rt"] => (p.fam === 6 ? p.rt : undefined);
			switch (e.field) {
				case "type":
					return (p) => rh(p)?.type;
				case "seg-left":
					return (p) => rh(p)?.segsleft;
				case "hdrlength":
					return (p) => rh(p)?.hdrlen;
				default:
					return this.unsupported(`rt ${e.field}`, e.span);
			}
		}
		if (e.hdr === "hbh" || e.hdr === "dst") {
			const dst = e.hdr === "dst";
			if (e.field === "hdrlength") return (p) => (p.fam !== 6 ? undefined : dst ? p.dstLen : p.hbhLen);
			return this.unsupported(`${e.hdr} ${e.field}`, e.span);
		}
		if (e.hdr === "mh") {
			if (e.field === "type") return (p) => (isMh(p) ? (p.mhType ?? 0) & 0xff : undefined);
			if (e.field === "nexthdr") return (p) => (isMh(p) ? (p.mhProto ?? 59) & 0xff : undefined);
			return this.unsupported(`mh ${e.field}`, e.span);
		}
		return () => undefined; // header absent: BREAK
	}

	/**
	 * `@nh|@th,OFFSET,LEN` on the packet's wire image (sim/wire.ts), as nft_payload_eval: @th has no
	 * base on later fragments; a read not wholly inside skb->len BREAKs. Bits are big-endian.
	 * (Some kernels' fast path for aligned 1/2/4-byte loads skips the fragment check; the model
	 * follows nft_payload_eval, as the `tcp dport` getters do.)
	 */
	private raw(e: A.RawExpr): Getter {
		if (e.base === "ll") return this.unsupported(`raw payload @ll,${e.offset},${e.len}`, e.span);
		const th = e.base === "th";
		const { offset, len } = e;
		if (len <= 0 || len > 128) return this.unsupported(`raw payload @${e.base},${offset},${len}`, e.span);
		const first = Math.floor(offset / 8);
		const last = Math.ceil((offset + len) / 8);
		const drop = BigInt(last * 8 - (offset + len));
		const mask = (1n << BigInt(len)) - 1n;
		const ih = e.base === "ih";
		return (p) => {
			const w = packetWire(p);
			const base = ih ? innerOffset(p.proto, w) : th ? w.thoff : 0;
			if (base === undefined || base + last > w.bytes.length) return undefined;
			let v = 0n;
			for (let i = base + first; i < base + last; i++) v = (v << 8n) | BigInt(w.bytes[i]!);
			return toVal((v >> drop) & mask, len);
		};
	}
}

/**
 * nft's inner header offset (nft_payload_inner_offset): after the TCP header (its data offset, the
 * 20-byte header must be there), the UDP header, the GRE header (version 0 without routing), or
 * the transport offset for IPIP; none on later fragments or for other protocols.
 */
function innerOffset(proto: number, w: Wire): number | undefined {
	const th = w.thoff;
	if (th === undefined) return undefined;
	const b = w.bytes;
	switch (proto) {
		case 6:
			return th + 20 <= b.length ? th + ((b[th + 12]! >> 4) << 2) : undefined;
		case 17:
			return th + 8;
		case 47: {
			if (th + 4 > b.length) return undefined;
			const flags = (b[th]! << 8) | b[th + 1]!;
			if ((flags & 0x7) !== 0 || flags & 0x4000) return undefined;
			return th + 4 + (flags & 0x8000 ? 4 : 0) + (flags & 0x2000 ? 4 : 0) + (flags & 0x1000 ? 4 : 0);
		}
		case 4:
			return th;
		default:
			return undefined;
	}
}

function nu(a: Val | undefined, b: Val | undefined, f: (a: number, b: number) => number): Val | undefined {
	return typeof a === "number" && typeof b === "number" ? f(a, b) : undefined;
}

function bi(a: Val | undefined, b: Val | undefined, f: (a: bigint, b: bigint) => bigint): Val | undefined {
	return typeof a === "bigint" && typeof b === "bigint" ? f(a, b) : undefined;
}

/** A device's group (the kernel's dev->group), or undefined when there is no such device. */
function groupOf(c: EvalContext, dev: string | undefined): number | undefined {
	if (dev === undefined) return undefined;
	for (const i of c.host.interfaces) if (i.name === dev) return (i.group ?? 0) >>> 0;
	return 0;
}

function onDevice(c: EvalContext, dev: string, fam: 4 | 6, addr: bigint): boolean {
	for (const i of c.host.interfaces) {
		if (i.name !== dev) continue;
		for (const a of i.addrs) if (a.fam === fam && a.addr === addr) return true;
	}
	return false;
}

/** The device a route lookup for addr leaves through (local addresses: their device). */
export function routeDev(c: EvalContext, fam: 4 | 6, addr: bigint): string | undefined {
	for (const i of c.host.interfaces) for (const a of i.addrs) if (a.fam === fam && a.addr === addr) return i.name;
	const bits = fam === 4 ? 32 : 128;
	let best: string | undefined;
	let bestLen = -1;
	for (const r of c.host.routes) {
		if (r.fam !== fam || r.len <= bestLen) continue;
		const shift = BigInt(bits - r.len);
		if (addr >> shift === r.dst >> shift) {
			best = r.dev;
			bestLen = r.len;
		}
	}
	return best;
}

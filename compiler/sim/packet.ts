/**
 * The simulator's packet. One shape for both evaluators (iptables IR and parsed nft text), so a
 * difference in outcome can only come from the rulesets, never from two packet models.
 * Mutable on purpose: evaluators run on a private copy (`clonePacket`) and statements (mark,
 * NAT, ct mark) change it in place, as the kernel does to the skb.
 */
import type { Fam, PktType } from "../ir/ipt.js";

export type CtState = "new" | "established" | "related" | "invalid" | "untracked";

/** Conntrack status bits as the kernel numbers them (IPS_*). */
export const CT_STATUS = {
	expected: 1 << 0,
	seenReply: 1 << 1,
	assured: 1 << 2,
	confirmed: 1 << 3,
	srcNat: 1 << 4,
	dstNat: 1 << 5,
} as const;

export interface Tuple {
	saddr: bigint;
	daddr: bigint;
	proto: number;
	sport: number;
	dport: number;
}

export interface CtInfo {
	state: CtState;
	/** CT_STATUS bits. */
	status: number;
	mark: number;
	dir: "original" | "reply";
	/** Absent for untracked/invalid packets. */
	orig?: Tuple;
	reply?: Tuple;
	/** Seconds left; only for `--ctexpire` / `ct expiration`. */
	expire: number;
	zone: number;
	/** The connection's security mark (CONNSECMARK, `ct secmark`); absent: 0. */
	secmark?: number;
	/**
	 * Accounting counters (nf_conn_acct) per direction, the current packet included (conntrack
	 * counts it at -200). Absent: all 0. Both xt_connbytes and nft's `ct bytes` turn accounting
	 * on when their rule loads, so the model gives every connection counters.
	 */
	acct?: CtAcct;
	/** The 128 connection label bits (nf_conn_labels); absent: none set. */
	labels?: bigint;
	/** Original source address of the master connection (an expected connection's parent); absent: no master. */
	masterSaddr?: bigint;
	/**
	 * The conntrack helper of the connection's MASTER (an expected/related connection's parent,
	 * e.g. "ftp" for an FTP data connection): what xt_helper and nft `ct helper` both read.
	 * Absent: no master or the master has no helper.
	 */
	helper?: string;
	/**
	 * A conntrack template is attached (raw table: CT, CT --zone/--helper, nft `ct zone set`,
	 * before conntrack). The first template or NOTRACK wins: later ones do nothing. Absent: false.
	 */
	tmpl?: boolean;
	/** The helper of the attached template (CT --helper); absent: none. */
	tmplHelper?: string;
	/**
	 * The helper attached to this connection ITSELF (IPS_HELPER: from a CT --helper template when
	 * conntrack creates the entry, or nft `ct helper set`). Not what `-m helper` / `ct helper`
	 * read (those read `helper`, the master's); compared in the outcome. Absent: none.
	 */
	ownHelper?: string;
}

/** Packets and bytes (skb->len: the whole IP packet) per direction; u64 in the kernel. */
export interface CtAcct {
	readonly origPackets: bigint;
	readonly origBytes: bigint;
	readonly replyPackets: bigint;
	readonly replyBytes: bigint;
}

export const ZERO_ACCT: CtAcct = { origPackets: 0n, origBytes: 0n, replyPackets: 0n, replyBytes: 0n };

/** IPv6 routing header (the first one, as xt_rt and nft's `rt` find it). */
export interface RoutingHeader {
	readonly type: number;
	readonly segsleft: number;
	/** The raw Hdr Ext Len field (8-octet units, not counting the first 8). */
	readonly hdrlen: number;
}

export interface Packet {
	fam: Fam;
	saddr: bigint;
	daddr: bigint;
	/** Layer-4 protocol number (for IPv6 after extension headers). */
	proto: number;
	/** 0 when the protocol has no ports or the packet is a non-first fragment. */
	sport: number;
	dport: number;
	/** TCP flag byte (FIN=0x01 … CWR=0x80). */
	tcpFlags: number;
	/** TCP option kinds present in the header. */
	tcpOptions: number[];
	icmpType: number;
	icmpCode: number;
	/** IP total length (IPv6: payload length + 40). */
	length: number;
	/** Fragment offset in 8-byte units; > 0 means a non-first fragment without an L4 header. */
	fragOffset: number;
	moreFragments: boolean;
	/** TTL (v4) or hop limit (v6). */
	ttl: number;
	dscp: number;
	ecn: number;
	/** Input interface; undefined for locally generated packets. */
	iif: string | undefined;
	/** Output interface; set by routing (undefined before routing and for local delivery). */
	oif: string | undefined;
	/** Ethernet source address (48 bits); undefined when there is none (locally generated). */
	srcMac: bigint | undefined;
	pkttype: PktType;
	mark: number;
	/** Socket owner; only for locally generated packets. */
	uid: number | undefined;
	gid: number | undefined;
	ct: CtInfo;
	/** When true, every rate/quota-limited match (limit, hashlimit, quota) is over its limit. */
	overLimit: boolean;
	/** MSS clamp applied by TCPMSS / `tcp option maxseg size set` (last one wins); absent if none. */
	mssClamp?: number | "pmtu";
	/** TCPOPTSTRIP / `reset tcp option` ran on the packet: the outcome then records tcpOptions. */
	optionsStripped?: boolean;
	/** skb->secmark (SECMARK, CONNSECMARK --restore, `meta secmark set`); absent: 0. */
	secmark?: number;

	// Optional details (absent means the default noted; the corpus sets them where a ruleset
	// compares against them, see sim/ext-values.ts).
	/** ESP/AH Security Parameters Index (proto 50/51 only); absent: 0. */
	spi?: number;
	/** IPv6 routing header; absent: none. */
	rt?: RoutingHeader;
	/** IPv6 fragment header identification and reserved bits (8-bit field, 2-bit field); absent: 0. */
	fragId?: number;
	fragRes?: number;
	fragRes2?: number;
	/** DCCP packet type (0..15); absent: 0 (REQUEST). */
	dccpType?: number;
	/** CPU that processes the packet; absent: 0. */
	cpu?: number;
	/** Route realm (dst->tclassid); absent: 0. */
	realm?: number;
	/** net_cls classid of the local socket (only meaningful with uid set); absent: 0. */
	cgroup?: number;
	/** Arrived through IPsec (a secpath is attached); absent: false. */
	secpath?: boolean;
	/** The route out is an IPsec (xfrm) route; absent: false. */
	xfrmOut?: boolean;
	/** Sockets the kernel's socket lookups find for this packet (TPROXY); absent: none. */
	sockets?: PacketSockets;
	/**
	 * Connections the kernel's conncount list holds for this packet's key (connlimit / nft
	 * `ct count`), this packet's own connection included; absent: 1.
	 */
	connCount?: number;
	/** Wall-clock time of the packet in ns since the epoch (UTC); absent: TIME_DEFAULT_NS. */
	timeNs?: bigint;
	/**
	 * IPv6 Hop-by-Hop / Destination Options header (before any fragment header, so the kernel's
	 * ipv6_find_hdr() finds it also in later fragments): its raw Hdr Ext Len field (8-octet units
	 * after the first 8); absent: no such header. Well-formed (never truncated).
	 */
	hbhLen?: number;
	dstLen?: number;
	/** Mobility Header (proto 135) type; absent: 0. */
	mhType?: number;
	/** Mobility Header Payload Proto field; absent: 59 (IPPROTO_NONE, what RFC 6275 requires). */
	mhProto?: number;
	/** IPComp (proto 108) Compression Parameter Index, 16 bits; absent: 0. */
	cpi?: number;
	/** Value of the TCP MSS option (only meaningful when tcpOptions holds kind 2); absent: MSS_DEFAULT. */
	mss?: number;
	/**
	 * The first bytes after the transport header (after the IP header on later fragments), 0..255
	 * each; the rest of the packet up to `length` is zeros (sim/wire.ts). Absent: all zeros.
	 */
	payload?: readonly number[];
}

/** The MSS option value of a packet that gives none (Ethernet MTU 1500 - 40). */
export const MSS_DEFAULT = 1460;

/** A socket as the lookups see it. */
export interface SockInfo {
	/** IP_TRANSPARENT (for TIME_WAIT: tw_transparent). */
	readonly transparent: boolean;
	/** Bound to the wildcard address (0.0.0.0 / ::). */
	readonly wildcard: boolean;
	/** A full socket; false: a TIME_WAIT socket. */
	readonly full: boolean;
	/** SO_MARK of a full socket; absent: 0. */
	readonly mark?: number;
}

export interface PacketSockets {
	/** The established (or TIME_WAIT) socket of the packet's own 4-tuple, if any. */
	readonly established?: SockInfo;
	/** Listening sockets of the host: port, local address (absent: wildcard) and the socket. */
	readonly listeners?: readonly { readonly port: number; readonly addr?: bigint; readonly sk: SockInfo }[];
}

/** 2024-01-01 00:00:00 UTC, a Monday: the clock when a packet gives none. */
export const TIME_DEFAULT_NS = 1704067200n * 1_000_000_000n;

export function clonePacket(p: Packet): Packet {
	return {
		...p,
		tcpOptions: [...p.tcpOptions],
		...(p.rt ? { rt: { ...p.rt } } : {}),
		ct: {
			...p.ct,
			...(p.ct.orig ? { orig: { ...p.ct.orig } } : {}),
			...(p.ct.reply ? { reply: { ...p.ct.reply } } : {}),
		},
	};
}

export const PROTO = { icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, icmpv6: 58, sctp: 132, udplite: 136, dccp: 33, comp: 108, mh: 135 } as const;

/** Protocols whose header starts with 16-bit source and destination ports. */
export function hasPorts(proto: number): boolean {
	return proto === 6 || proto === 17 || proto === 132 || proto === 136 || proto === 33;
}

/**
 * The iptables IR: close to the source (what iptables-save prints), with every value normalised
 * once into numbers and intervals so that lowering, passes and the simulator share one meaning.
 *
 * Conventions:
 * - Addresses are bigint (IPv4 in the low 32 bits). `fam` is 4 or 6.
 * - Marks and masks are unsigned 32-bit numbers (0..0xffffffff).
 * - Every option that iptables lets you negate carries `neg`.
 * - Comma lists in -s/-d are expanded by the parser into one Rule per address pair, exactly as
 *   iptables does in the kernel; all of them carry the same span.
 */
import type { Span } from "./span.js";

export type Family = "ip" | "ip6";
export type Fam = 4 | 6;
export type TableName = "filter" | "nat" | "mangle" | "raw" | "security";
export type BuiltinChain = "PREROUTING" | "INPUT" | "FORWARD" | "OUTPUT" | "POSTROUTING";

export interface Neg<T> {
	readonly value: T;
	readonly neg: boolean;
}

/** `addr/mask` (iptables allows non-contiguous masks); `prefixLen` is set when the mask is contiguous. */
export interface AddrMask {
	readonly fam: Fam;
	readonly addr: bigint; // already masked
	readonly mask: bigint;
	readonly prefixLen: number | undefined;
}

export interface AddrRange {
	readonly fam: Fam;
	readonly lo: bigint;
	readonly hi: bigint;
}

/** Inclusive; a single port has lo === hi. */
export interface PortRange {
	readonly lo: number;
	readonly hi: number;
}

/** `eth+` is { name: "eth", wildcard: true }. */
export interface Iface {
	readonly name: string;
	readonly wildcard: boolean;
}

/** Matches when (x & mask) === value. */
export interface ValueMask {
	readonly value: number;
	readonly mask: number;
}

export interface Counters {
	readonly packets: bigint;
	readonly bytes: bigint;
}

// ---------------------------------------------------------------------------------------------
// Matches (one kind per extension; generic -s/-d/-i/-o/-p/-f live on Rule)

export type CtStateName = "INVALID" | "NEW" | "ESTABLISHED" | "RELATED" | "UNTRACKED" | "SNAT" | "DNAT";
export type CtStatusName = "NONE" | "EXPECTED" | "SEEN_REPLY" | "ASSURED" | "CONFIRMED";
export type AddrTypeName =
	| "UNSPEC"
	| "UNICAST"
	| "LOCAL"
	| "BROADCAST"
	| "ANYCAST"
	| "MULTICAST"
	| "BLACKHOLE"
	| "UNREACHABLE"
	| "PROHIBIT"
	| "THROW"
	| "NAT"
	| "XRESOLVE";
export type TcpFlag = "FIN" | "SYN" | "RST" | "PSH" | "ACK" | "URG" | "ECE" | "CWR";
/** Bit values as on the wire (FIN=0x01 … CWR=0x80). */
export const TCP_FLAG_BITS: Readonly<Record<TcpFlag, number>> = {
	FIN: 0x01,
	SYN: 0x02,
	RST: 0x04,
	PSH: 0x08,
	ACK: 0x10,
	URG: 0x20,
	ECE: 0x40,
	CWR: 0x80,
};

export interface TcpMatch {
	readonly kind: "tcp";
	readonly sport?: Neg<PortRange>;
	readonly dport?: Neg<PortRange>;
	/** (flags & mask) === comp; `--syn` is mask FIN|SYN|RST|ACK comp SYN. */
	readonly flags?: Neg<{ readonly mask: number; readonly comp: number }>;
	readonly option?: Neg<number>;
}

export interface UdpMatch {
	readonly kind: "udp";
	readonly sport?: Neg<PortRange>;
	readonly dport?: Neg<PortRange>;
}

/** icmp (v4) and icmpv6 share a shape. `type` undefined means `any`. codeLo/codeHi bound the code. */
export interface IcmpMatch {
	readonly kind: "icmp" | "icmpv6";
	readonly spec: Neg<{ readonly type: number; readonly codeLo: number; readonly codeHi: number } | "any">;
}

export interface MultiportMatch {
	readonly kind: "multiport";
	readonly dir: "src" | "dst" | "any";
	readonly ports: Neg<readonly PortRange[]>;
}

export interface ConntrackMatch {
	readonly kind: "conntrack";
	readonly state?: Neg<readonly CtStateName[]>;
	readonly status?: Neg<readonly CtStatusName[]>;
	readonly proto?: Neg<number>;
	readonly origSrc?: Neg<AddrMask>;
	readonly origDst?: Neg<AddrMask>;
	readonly replSrc?: Neg<AddrMask>;
	readonly replDst?: Neg<AddrMask>;
	readonly origSrcPort?: Neg<PortRange>;
	readonly origDstPort?: Neg<PortRange>;
	readonly replSrcPort?: Neg<PortRange>;
	readonly replDstPort?: Neg<PortRange>;
	readonly dir?: "ORIGINAL" | "REPLY";
	readonly expire?: Neg<PortRange>; // seconds remaining, same interval shape
}

/** `-m state --state` (the older spelling; same kernel semantics as conntrack --ctstate). */
export interface StateMatch {
	readonly kind: "state";
	readonly state: Neg<readonly CtStateName[]>;
}

export interface AddrTypeMatch {
	readonly kind: "addrtype";
	readonly src?: Neg<readonly AddrTypeName[]>;
	readonly dst?: Neg<readonly AddrTypeName[]>;
	readonly limitIface?: "in" | "out";
}

export interface CommentMatch {
	readonly kind: "comment";
	readonly text: string;
}

export interface MarkMatch {
	readonly kind: "mark";
	readonly mark: Neg<ValueMask>;
}

export interface ConnmarkMatch {
	readonly kind: "connmark";
	readonly mark: Neg<ValueMask>;
}

export type RateUnit = "second" | "minute" | "hour" | "day";

export interface LimitMatch {
	readonly kind: "limit";
	readonly rate: number;
	readonly unit: RateUnit;
	readonly burst: number;
}

export interface MacMatch {
	readonly kind: "mac";
	readonly src: Neg<bigint>; // 48-bit
}

export interface IpRangeMatch {
	readonly kind: "iprange";
	readonly src?: Neg<AddrRange>;
	readonly dst?: Neg<AddrRange>;
}

export interface LengthMatch {
	readonly kind: "length";
	readonly length: Neg<PortRange>; // same interval shape, 0..65535
}

export type PktType = "unicast" | "broadcast" | "multicast";

export interface PktTypeMatch {
	readonly kind: "pkttype";
	readonly type: Neg<PktType>;
}

export interface OwnerMatch {
	readonly kind: "owner";
	readonly uid?: Neg<PortRange>; // id ranges, same interval shape
	readonly gid?: Neg<PortRange>;
	readonly socketExists?: Neg<true>;
	readonly suppGroups?: boolean;
}

export type StatisticMatch =
	| { readonly kind: "statistic"; readonly mode: "random"; readonly probability: number; readonly neg: boolean }
	| {
			readonly kind: "statistic";
			readonly mode: "nth";
			readonly every: number;
			readonly packet: number;
			readonly neg: boolean;
	  };

// --- matches without state beyond the packet (hl … socket); see grammar/iptables/ext/<name>.ts

/** -m ttl (IPv4) / -m hl (IPv6): TTL / hop limit compare; `! --ttl-eq` is op "ne". */
export interface HlMatch {
	readonly kind: "hl";
	readonly op: "eq" | "ne" | "lt" | "gt";
	readonly value: number;
}

/** -m rt (IPv6 routing header). No match when the packet has no routing header (even negated). */
export interface RtMatch {
	readonly kind: "rt";
	readonly type?: Neg<number>;
	readonly segsleft?: Neg<PortRange>; // 32-bit interval
	/** Header length in bytes as xt_rt compares it ((hdrlen + 1) * 8). */
	readonly len?: Neg<number>;
	readonly reserved?: boolean;
	readonly addrs?: readonly bigint[];
	readonly notStrict?: boolean;
}

/** -m frag (IPv6 fragment header); no match without one. */
export interface FragMatch {
	readonly kind: "frag";
	readonly id?: Neg<PortRange>; // 32-bit interval
	readonly len?: Neg<number>;
	readonly reserved?: boolean;
	readonly first?: boolean;
	readonly more?: boolean;
	readonly last?: boolean;
}

/** -m ah / -m esp: SPI interval (32-bit); ip6 ah also --ahlen/--ahres. */
export interface SpiMatch {
	readonly kind: "ah" | "esp";
	readonly spi?: Neg<PortRange>;
	readonly len?: Neg<number>;
	readonly reserved?: boolean;
}

/** One `--hbh-opts`/`--dst-opts` entry: option type and, when given, its length byte. */
export interface OptSpec {
	readonly type: number;
	/** Absent: any length (iptables stores 0xff for "not given"). */
	readonly len?: number;
}

/**
 * -m hbh / -m dst (IPv6 Hop-by-Hop / Destination Options header, ip6t_hbh). No match without the
 * header, also when negated.
 */
export interface OptsHdrMatch {
	readonly kind: "hbh" | "dst";
	/** Header length in BYTES as ip6t_hbh compares it ((Hdr Ext Len + 1) * 8). */
	readonly len?: Neg<number>;
	/** The header's first options, in order (strict walk). */
	readonly opts?: readonly OptSpec[];
}

/** -m mh (IPv6 Mobility Header; needs -p mh): MH type interval 0..255. */
export interface MhMatch {
	readonly kind: "mh";
	readonly type?: Neg<PortRange>;
}

/** -m ipcomp (needs -p ipcomp): the CPI compared as a 32-bit interval; --compres is ignored by the kernel. */
export interface IpcompMatch {
	readonly kind: "ipcomp";
	readonly spi?: Neg<PortRange>;
	readonly reserved?: boolean;
}

/** ip6t_ipv6header's header bits (MASK_*), as the kernel numbers them. */
export const IPV6HEADER_MASK = { hop: 0x80, dst: 0x40, route: 0x20, frag: 0x10, auth: 0x08, esp: 0x04, none: 0x02, proto: 0x01 } as const;

/**
 * -m ipv6header --header LIST [--soft]: which headers the packet's chain has (IPV6HEADER_MASK bits).
 * Soft: every listed one present (negated: every one absent); otherwise exactly the listed set
 * (negated: any other set).
 */
export interface Ipv6HeaderMatch {
	readonly kind: "ipv6header";
	readonly headers: number;
	readonly neg: boolean;
	readonly soft: boolean;
}

/** -m tcpmss (needs -p tcp): the MSS option value interval 0..65535. */
export interface TcpmssMatch {
	readonly kind: "tcpmss";
	readonly mss: Neg<PortRange>;
}

export interface SctpChunk {
	readonly type: number;
	/** Chunk flags the rule tests: (flags & mask) === value. */
	readonly flags?: ValueMask;
}

export interface SctpMatch {
	readonly kind: "sctp";
	readonly sport?: Neg<PortRange>;
	readonly dport?: Neg<PortRange>;
	readonly chunks?: Neg<{ readonly mode: "all" | "any" | "only"; readonly list: readonly SctpChunk[] }>;
}

export interface DccpMatch {
	readonly kind: "dccp";
	readonly sport?: Neg<PortRange>;
	readonly dport?: Neg<PortRange>;
	/** Packet type numbers (0..15; INVALID is 10..15). */
	readonly types?: Neg<readonly number[]>;
	readonly option?: Neg<number>;
}

/** -m dscp --dscp N (6-bit) / --dscp-class. */
export interface DscpMatch {
	readonly kind: "dscp";
	readonly dscp: Neg<number>;
}

/** -m tos --tos v[/m]: (tos & mask) === value on the whole TOS / traffic-class byte. */
export interface TosMatch {
	readonly kind: "tos";
	readonly tos: Neg<ValueMask>;
}

/** -m ecn: IP ECN field (0..3) and the TCP ECE/CWR flags. */
export interface EcnMatch {
	readonly kind: "ecn";
	readonly ipEct?: Neg<number>;
	readonly ece?: Neg<true>;
	readonly cwr?: Neg<true>;
}

export interface RpfilterMatch {
	readonly kind: "rpfilter";
	readonly loose: boolean;
	readonly validmark: boolean;
	readonly acceptLocal: boolean;
	readonly invert: boolean;
}

export interface PhysdevMatch {
	readonly kind: "physdev";
	readonly in?: Neg<Iface>;
	readonly out?: Neg<Iface>;
	readonly isIn?: Neg<true>;
	readonly isOut?: Neg<true>;
	readonly isBridged?: Neg<true>;
}

export interface PolicyElem {
	readonly reqid?: Neg<number>;
	readonly spi?: Neg<number>;
	readonly proto?: Neg<number>; // 50 esp, 51 ah, 108 ipcomp
	readonly mode?: Neg<"transport" | "tunnel">;
	readonly tunnelSrc?: Neg<AddrMask>;
	readonly tunnelDst?: Neg<AddrMask>;
}

export interface PolicyMatch {
	readonly kind: "policy";
	readonly dir: "in" | "out";
	readonly pol: "ipsec" | "none";
	readonly strict: boolean;
	readonly elems: readonly PolicyElem[];
}

/** -m time: seconds since the epoch (dates), seconds of the day (times); bit 1 = Monday … bit 7 = Sunday. */
export interface TimeMatch {
	readonly kind: "time";
	readonly dateStart?: number;
	readonly dateStop?: number;
	readonly timeStart: number;
	readonly timeStop: number;
	/** Bit set of days (bit 1 Monday … bit 7 Sunday), already inverted for `! --weekdays`. */
	readonly weekdays: number;
	/** Bit set of days of the month (bit 1 … bit 31), already inverted for `! --monthdays`. */
	readonly monthdays: number;
	/** false: --kerneltz (the kernel's time zone); true: UTC (the default). */
	readonly utc: boolean;
	readonly contiguous: boolean;
}

export interface StringMatch {
	readonly kind: "string";
	readonly algo: "bm" | "kmp";
	readonly pattern: Neg<string>; // bytes as latin1 characters
	readonly from: number;
	readonly to: number;
	readonly icase: boolean;
}

/** -m helper --helper NAME: the conntrack helper of the connection (or of its master). */
export interface HelperMatch {
	readonly kind: "helper";
	readonly name: Neg<string>;
}

export interface DevgroupMatch {
	readonly kind: "devgroup";
	readonly src?: Neg<ValueMask>;
	readonly dst?: Neg<ValueMask>;
}

export interface RealmMatch {
	readonly kind: "realm";
	readonly realm: Neg<ValueMask>;
}

export interface CpuMatch {
	readonly kind: "cpu";
	readonly cpu: Neg<number>;
}

/** The operator before a location number in a u32 test (xt_u32 XT_U32_AND/LEFTSH/RIGHTSH/AT). */
export type U32Op = "&" | "<<" | ">>" | "@";

/**
 * One u32 test `LOCATION=RANGES`: read the 4-byte big-endian word at `start`, apply `ops` in order
 * (`@ N`: at += value so far, then read the word at at + N), then match any of `ranges` (inclusive).
 */
export interface U32Test {
	readonly start: number;
	readonly ops: readonly { readonly op: U32Op; readonly n: number }[];
	readonly ranges: readonly PortRange[];
}

/** -m u32 [!] --u32 "TESTS": all tests must hold (a read past the packet fails the whole match); `neg` inverts the result. */
export interface U32Match {
	readonly kind: "u32";
	readonly tests: readonly U32Test[];
	readonly neg: boolean;
}

export interface CgroupMatch {
	readonly kind: "cgroup";
	readonly classid?: Neg<number>;
	readonly path?: Neg<string>;
}

/** -m nfacct: always true; counts the packet in the named accounting object. */
export interface NfacctMatch {
	readonly kind: "nfacct";
	readonly name: string;
}

export interface SocketMatch {
	readonly kind: "socket";
	readonly transparent: boolean;
	readonly nowildcard: boolean;
	readonly restoreSkmark: boolean;
}

/**
 * -m connbytes: the connection's accounting counters (nf_conn_acct), in the kernel's encoding of
 * xt_connbytes_info.count: `!` swaps the ends, so from <= to means from <= x <= to and from > to
 * means x < to or x > from (`! --connbytes 5:5` is therefore the same as `--connbytes 5:5`).
 * A bare `--connbytes N` is N:2^64-1.
 */
export interface ConnbytesMatch {
	readonly kind: "connbytes";
	readonly from: bigint;
	readonly to: bigint;
	readonly dir: "original" | "reply" | "both";
	readonly mode: "packets" | "bytes" | "avgpkt";
}

/** -m connlabel [!] --label BIT [--set]: bit BIT (0..127) of the connection's labels. */
export interface ConnlabelMatch {
	readonly kind: "connlabel";
	readonly bit: number;
	readonly neg: boolean;
	/** --set: set the bit (then the match is true, or false when inverted). */
	readonly set: boolean;
}

/**
 * -m cluster: jhash of the connection's (or its master's) original source address, scaled to
 * 0..totalNodes-1; matches when that bit of nodeMask is set (xor neg). --cluster-local-node K is
 * nodeMask 1 << (K-1).
 */
export interface ClusterMatch {
	readonly kind: "cluster";
	readonly totalNodes: number;
	readonly nodeMask: number;
	readonly seed: number;
	readonly neg: boolean;
}

// ----- stateful matches (recent, connlimit, hashlimit, quota, set): state lives across packets

/**
 * -m recent: one list of addresses per `name`, shared by every rule (of any table) that names it.
 * `op` is the one of --set/--rcheck/--update/--remove given; `neg` is `!` before it.
 */
export interface RecentMatch {
	readonly kind: "recent";
	readonly name: string;
	readonly op: "set" | "rcheck" | "update" | "remove";
	readonly neg: boolean;
	readonly side: "src" | "dst";
	/** --mask (already family-wide); absent: all ones. */
	readonly mask?: bigint;
	/** --seconds: only timestamps this recent count (rcheck/update). */
	readonly seconds?: number;
	readonly reap: boolean;
	/** --hitcount: at least this many timestamps (within --seconds). */
	readonly hitcount?: number;
	readonly rttl: boolean;
}

/** -m connlimit: number of conntrack entries whose masked address equals this packet's. */
export interface ConnlimitMatch {
	readonly kind: "connlimit";
	readonly limit: number;
	/** true: --connlimit-above (count > limit); false: --connlimit-upto (count <= limit). */
	readonly above: boolean;
	readonly prefixLen: number;
	readonly side: "src" | "dst";
}

export type HashlimitKey = "srcip" | "dstip" | "srcport" | "dstport";

/** -m hashlimit: one token bucket per key; buckets of one --hashlimit-name are shared. */
export interface HashlimitMatch {
	readonly kind: "hashlimit";
	readonly name: string;
	/** true: --hashlimit-above (match when over the rate); false: --hashlimit-upto. */
	readonly above: boolean;
	/** "bytes": rate and burst count bytes (`--hashlimit-upto 20kb/s`). */
	readonly mode: "packets" | "bytes";
	/** packets per `unit`, or bytes per second in bytes mode. */
	readonly rate: number;
	readonly unit: RateUnit;
	/** packets (default 5), or bytes in bytes mode (absent: none given). */
	readonly burst?: number;
	/** --hashlimit-mode, in the order given; empty: one bucket for all packets. */
	readonly keys: readonly HashlimitKey[];
	readonly srcPrefix: number;
	readonly dstPrefix: number;
	/** --hashlimit-htable-expire in milliseconds (default 10000). */
	readonly expireMs: number;
	readonly htableSize?: number;
	readonly htableMax?: number;
	readonly gcIntervalMs?: number;
	/** --hashlimit-rate-match / --hashlimit-rate-interval (revision 3 rate estimation). */
	readonly rateMatch: boolean;
	readonly rateInterval?: number;
}

/** -m quota --quota N: matches while the rule has consumed at most N bytes. */
export interface QuotaMatch {
	readonly kind: "quota";
	readonly bytes: bigint;
	readonly neg: boolean;
}

export type IpsetDir = "src" | "dst";

export interface IpsetRef {
	readonly name: string;
	readonly dirs: readonly IpsetDir[];
}

/** -m set --match-set NAME src,dst (ipset lookup). */
export interface SetMatch {
	readonly kind: "set";
	readonly name: string;
	readonly dirs: readonly IpsetDir[];
	readonly neg: boolean;
	readonly returnNomatch: boolean;
	/** --update-counters is the default; ! --update-counters turns it off. */
	readonly updateCounters: boolean;
	readonly updateSubcounters: boolean;
	/** --packets-eq/lt/gt, --bytes-eq/lt/gt: the element's own counters (kept to refuse them). */
	readonly counterChecks: readonly string[];
}

/** A match ipt2nft does not understand yet: kept so nothing is lost; the parser reported it. */
export interface UnknownMatch {
	readonly kind: "unknown";
	readonly name: string;
	readonly args: readonly string[];
}

export type Match =
	| TcpMatch
	| UdpMatch
	| IcmpMatch
	| MultiportMatch
	| ConntrackMatch
	| StateMatch
	| AddrTypeMatch
	| CommentMatch
	| MarkMatch
	| ConnmarkMatch
	| LimitMatch
	| MacMatch
	| IpRangeMatch
	| LengthMatch
	| PktTypeMatch
	| OwnerMatch
	| StatisticMatch
	| HlMatch
	| RtMatch
	| FragMatch
	| SpiMatch
	| OptsHdrMatch
	| MhMatch
	| IpcompMatch
	| TcpmssMatch
	| Ipv6HeaderMatch
	| SctpMatch
	| DccpMatch
	| DscpMatch
	| TosMatch
	| EcnMatch
	| RpfilterMatch
	| PhysdevMatch
	| PolicyMatch
	| TimeMatch
	| StringMatch
	| HelperMatch
	| DevgroupMatch
	| RealmMatch
	| CpuMatch
	| U32Match
	| CgroupMatch
	| NfacctMatch
	| SocketMatch
	| ConnbytesMatch
	| ConnlabelMatch
	| ClusterMatch
	| RecentMatch
	| ConnlimitMatch
	| HashlimitMatch
	| QuotaMatch
	| SetMatch
	| UnknownMatch;

export type MatchKind = Match["kind"];

// ---------------------------------------------------------------------------------------------
// Targets

/** What REJECT sends; names as iptables spells them (icmp-port-unreachable, tcp-reset, …). */
export type RejectWith =
	| "icmp-net-unreachable"
	| "icmp-host-unreachable"
	| "icmp-port-unreachable"
	| "icmp-proto-unreachable"
	| "icmp-net-prohibited"
	| "icmp-host-prohibited"
	| "icmp-admin-prohibited"
	| "tcp-reset"
	| "icmp6-no-route"
	| "icmp6-adm-prohibited"
	| "icmp6-addr-unreachable"
	| "icmp6-port-unreachable"
	| "icmp6-policy-fail"
	| "icmp6-reject-route";

/** NAT range: addresses optional (REDIRECT/MASQUERADE have only ports). */
export interface NatRange {
	readonly addrLo?: bigint;
	readonly addrHi?: bigint;
	readonly portLo?: number;
	readonly portHi?: number;
	/** `--to-destination addr:lo-hi/base` (iptables 1.8.9+): ports are shifted from `base` into lo..hi. */
	readonly portBase?: number;
}

export interface NatFlags {
	readonly random: boolean;
	readonly randomFully: boolean;
	readonly persistent: boolean;
}

/** CONNMARK revision 2's shift of the computed mark: 1..31 bits (0 is no shift). */
export interface MarkShift {
	readonly dir: "left" | "right";
	readonly bits: number;
}

export type LogLevel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type Target =
	| { readonly kind: "accept" }
	| { readonly kind: "drop" }
	| { readonly kind: "return" }
	| { readonly kind: "jump"; readonly chain: string }
	| { readonly kind: "goto"; readonly chain: string }
	| { readonly kind: "reject"; readonly with: RejectWith }
	| {
			readonly kind: "log";
			readonly level: LogLevel;
			readonly prefix?: string;
			readonly tcpSequence: boolean;
			readonly tcpOptions: boolean;
			readonly ipOptions: boolean;
			readonly uid: boolean;
			readonly macDecode: boolean;
	  }
	| {
			readonly kind: "nflog";
			readonly group: number;
			readonly prefix?: string;
			readonly size?: number; // --nflog-size (or legacy --nflog-range)
			readonly threshold?: number;
	  }
	| { readonly kind: "dnat"; readonly range: NatRange; readonly flags: NatFlags; readonly fam: Fam }
	| { readonly kind: "snat"; readonly range: NatRange; readonly flags: NatFlags; readonly fam: Fam }
	| { readonly kind: "masquerade"; readonly ports?: PortRange; readonly flags: NatFlags }
	| { readonly kind: "redirect"; readonly ports?: PortRange; readonly flags: NatFlags }
	/** MARK normalised to xmark: mark' = (mark & ~mask) ^ value. --set-mark v/m is xmark v/(m|v). */
	| { readonly kind: "mark"; readonly value: number; readonly mask: number }
	/**
	 * CONNMARK --set-xmark: ctmark' = (ctmark & ~mask) ^ value; with `shift` (revision 2,
	 * --left-shift-mark / --right-shift-mark) the whole result is shifted.
	 */
	| { readonly kind: "connmark-set"; readonly value: number; readonly mask: number; readonly shift?: MarkShift }
	/** CONNMARK --save-mark: ctmark' = (ctmark & ~ctmask) ^ ((mark & nfmask) shifted). */
	| { readonly kind: "connmark-save"; readonly nfmask: number; readonly ctmask: number; readonly shift?: MarkShift }
	/** CONNMARK --restore-mark: mark' = (mark & ~nfmask) ^ ((ctmark & ctmask) shifted). */
	| { readonly kind: "connmark-restore"; readonly nfmask: number; readonly ctmask: number; readonly shift?: MarkShift }
	/**
	 * -j TEE --gateway ADDR [--oif DEV]: a copy of the packet is routed to ADDR (through DEV); the
	 * packet itself goes on (non-terminal).
	 */
	| { readonly kind: "tee"; readonly fam: Fam; readonly gateway: bigint; readonly oif?: string }
	/** -j TRACE (raw table): sets skb->nf_trace; non-terminal, changes nothing a rule matches on. */
	| { readonly kind: "trace" }
	| { readonly kind: "notrack" } // CT --notrack and NOTRACK
	| { readonly kind: "tcpmss"; readonly mss: number | "pmtu" }
	| {
			readonly kind: "nfqueue";
			readonly num: number;
			readonly balanceTo?: number; // --queue-balance num:balanceTo
			readonly bypass: boolean;
			readonly cpuFanout: boolean;
	  }
	/** TTL (IPv4) / HL (IPv6) target; mangle only. inc/dec saturate at 255/0 like xt_HL. */
	| { readonly kind: "hl-set"; readonly op: "set" | "inc" | "dec"; readonly value: number }
	/** CT target without --notrack. `zone` "mark" takes the zone from the packet mark. */
	| {
			readonly kind: "ct";
			readonly zone?: { readonly id: number | "mark"; readonly dir?: "orig" | "reply" };
			readonly helper?: string;
			readonly ctevents?: readonly string[];
			readonly expevents?: readonly string[];
			readonly timeout?: string;
	  }
	/** CHECKSUM --checksum-fill. */
	| { readonly kind: "checksum-fill" }
	/** DSCP --set-dscp / --set-dscp-class (6 bits). */
	| { readonly kind: "dscp-set"; readonly dscp: number }
	/** TOS: tos' = (tos & ~mask) ^ value on the whole byte (ECN bits included). */
	| { readonly kind: "tos-set"; readonly value: number; readonly mask: number }
	/** TPROXY; `port` 0 keeps the destination port, `addr` absent keeps the address of the arriving interface. */
	| { readonly kind: "tproxy"; readonly fam: Fam; readonly port: number; readonly addr?: bigint; readonly mark?: ValueMask }
	/** CLASSIFY --set-class major:minor (skb->priority). */
	| { readonly kind: "classify"; readonly major: number; readonly minor: number }
	| { readonly kind: "audit"; readonly type: "accept" | "drop" | "reject" }
	/** -j SET: add/delete the packet's key to/from an ipset (non-terminal). */
	| {
			readonly kind: "ipset";
			/** --add-set runs before --del-set when both are given. */
			readonly add?: IpsetRef;
			readonly del?: IpsetRef;
			readonly exist: boolean;
			/** --timeout seconds for added elements. */
			readonly timeout?: number;
	  }
	/** -j SYNPROXY (terminal: the kernel answers the SYN itself or drops). */
	| {
			readonly kind: "synproxy";
			readonly mss?: number;
			readonly wscale?: number;
			readonly sackPerm: boolean;
			readonly timestamp: boolean;
			readonly ecn: boolean;
	  }
	/**
	 * -j NETMAP --to addr/len (nat table): 1:1 prefix mapping. `addr` is already masked; the host
	 * bits of the packet's address are kept. Destination in PREROUTING/OUTPUT, source in
	 * POSTROUTING/INPUT (the hook decides, not the rule).
	 */
	| { readonly kind: "netmap"; readonly fam: Fam; readonly addr: bigint; readonly len: number }
	/** -j TCPOPTSTRIP [--strip-options k,…] (mangle, -p tcp): option kinds 2..255, ascending, unique. */
	| { readonly kind: "tcpoptstrip"; readonly options: readonly number[] }
	/**
	 * -j HMARK: mark = hash(masked addresses, ports or SPI, protocol) % mod + offset. Masks and
	 * OR-values are as given (absent: the option was not given).
	 */
	| {
			readonly kind: "hmark";
			/** --hmark-tuple ct: hash the conntrack original/reply tuple instead of the header. */
			readonly ct: boolean;
			readonly srcPrefix?: number;
			readonly dstPrefix?: number;
			readonly sportMask?: number;
			readonly dportMask?: number;
			readonly spiMask?: number;
			readonly sport?: number;
			readonly dport?: number;
			readonly spi?: number;
			readonly protoMask?: number;
			readonly rnd: number;
			readonly mod: number;
			readonly offset: number;
	  }
	/** -j SECMARK --selctx CONTEXT (security or mangle table). */
	| { readonly kind: "secmark"; readonly selctx: string }
	/** -j CONNSECMARK --save | --restore (security or mangle table). */
	| { readonly kind: "connsecmark"; readonly mode: "save" | "restore" }
	/** A target ipt2nft does not understand yet: kept so nothing is lost; the parser reported it. */
	| { readonly kind: "unknown"; readonly name: string; readonly args: readonly string[] };

export type TargetKind = Target["kind"];

// ---------------------------------------------------------------------------------------------
// Structure

export interface Rule {
	readonly span: Span;
	/** The input line as written (for traces and `--explain`). */
	readonly text: string;
	readonly counters?: Counters;
	readonly iif?: Neg<Iface>;
	readonly oif?: Neg<Iface>;
	/** Protocol number; absent for `-p all` / no -p. */
	readonly proto?: Neg<number>;
	readonly src?: Neg<AddrMask>;
	readonly dst?: Neg<AddrMask>;
	/** `-f` / `! -f` (IPv4 only): second and later fragments. */
	readonly fragment?: Neg<true>;
	/** In the order the input wrote them. */
	readonly matches: readonly Match[];
	/** Absent: no -j/-g (the rule only counts). */
	readonly target?: Target;
}

export interface Chain {
	readonly name: string;
	readonly builtin: boolean;
	/** Built-in chains only. */
	readonly policy?: "ACCEPT" | "DROP";
	readonly counters?: Counters;
	readonly span: Span;
	readonly rules: readonly Rule[];
}

export interface Table {
	readonly family: Family;
	readonly name: TableName;
	readonly span: Span;
	/** Built-in chains first in kernel order, then user chains in declaration order. */
	readonly chains: readonly Chain[];
}

/** One parsed input: possibly both families (a script may use iptables and ip6tables). */
export interface Ruleset {
	readonly tables: readonly Table[];
}

/** Which built-in chains each table has (kernel order). */
export const TABLE_CHAINS: Readonly<Record<TableName, readonly BuiltinChain[]>> = {
	filter: ["INPUT", "FORWARD", "OUTPUT"],
	nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
	mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
	raw: ["PREROUTING", "OUTPUT"],
	security: ["INPUT", "FORWARD", "OUTPUT"],
};

/** iptables' fixed priorities (NF_IP_PRI_*); nat's depends on the hook. */
export function tablePriority(table: TableName, chain: BuiltinChain): number {
	switch (table) {
		case "raw":
			return -300;
		case "mangle":
			return -150;
		case "nat":
			return chain === "PREROUTING" || chain === "OUTPUT" ? -100 : 100;
		case "filter":
			return 0;
		case "security":
			return 50;
	}
}

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
	/** CONNMARK --set-xmark: ctmark' = (ctmark & ~mask) ^ value. */
	| { readonly kind: "connmark-set"; readonly value: number; readonly mask: number }
	/** CONNMARK --save-mark: ctmark' = (ctmark & ~ctmask) ^ (mark & nfmask). */
	| { readonly kind: "connmark-save"; readonly nfmask: number; readonly ctmask: number }
	/** CONNMARK --restore-mark: mark' = (mark & ~nfmask) ^ (ctmark & ctmask). */
	| { readonly kind: "connmark-restore"; readonly nfmask: number; readonly ctmask: number }
	| { readonly kind: "notrack" } // CT --notrack and NOTRACK
	| { readonly kind: "tcpmss"; readonly mss: number | "pmtu" }
	| {
			readonly kind: "nfqueue";
			readonly num: number;
			readonly balanceTo?: number; // --queue-balance num:balanceTo
			readonly bypass: boolean;
			readonly cpuFanout: boolean;
	  }
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

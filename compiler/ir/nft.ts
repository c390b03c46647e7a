/**
 * The nft IR: shaped like nftables itself (tables with a family, chains with hook/priority/policy,
 * rules as a list of conditions followed by statements, named sets and maps).
 *
 * Conventions:
 * - Every integer value is a bigint, whatever its width (ports, addresses, marks, flag bits,
 *   protocol numbers). IPv4 addresses sit in the low 32 bits. How a value is *printed* (dotted
 *   quad, hex mark, `established`, `tcp`) is decided in emit/ from the datatype of the expression
 *   it is compared with (`datatypeOf`), never stored here.
 * - Conditions keep the order of the input: nft evaluates a rule left to right and stops at the
 *   first condition that fails, which matters for stateful ones (limit, numgen inc).
 * - Semantics of `==` with a `flags` value: (x & bits) != 0 ("any of these bits"), the way nft
 *   reads `ct state established,related`. There is deliberately no `!=` with `flags` (nft 1.0.6
 *   compiles `ct state != a,b` to `state != (a|b)`, which is almost always true); negations are
 *   written as `x & bits == 0`.
 * - `origins`: the spans of every input rule a node came from (lowering gives exactly one; passes
 *   that merge rules give several).
 */
import type { Span } from "./span.js";

export type Family = "ip" | "ip6" | "inet" | "arp" | "bridge" | "netdev";

// ---------------------------------------------------------------------------------------------
// Selectors: expressions that load a value from the packet or its context

export type PayloadProto = "ip" | "ip6" | "tcp" | "udp" | "udplite" | "sctp" | "dccp" | "th" | "icmp" | "icmpv6" | "ether";

/** The payload fields lowering and passes use, keyed `proto field` as nft spells them. */
export const PAYLOAD_FIELDS = {
	"ip saddr": "ipv4_addr",
	"ip daddr": "ipv4_addr",
	"ip protocol": "inet_proto",
	"ip frag-off": "integer16",
	"ip length": "integer16",
	"ip6 saddr": "ipv6_addr",
	"ip6 daddr": "ipv6_addr",
	"ip6 nexthdr": "inet_proto",
	"tcp sport": "inet_service",
	"tcp dport": "inet_service",
	"tcp flags": "tcp_flag",
	"udp sport": "inet_service",
	"udp dport": "inet_service",
	"udplite sport": "inet_service",
	"udplite dport": "inet_service",
	"sctp sport": "inet_service",
	"sctp dport": "inet_service",
	"dccp sport": "inet_service",
	"dccp dport": "inet_service",
	"th sport": "inet_service",
	"th dport": "inet_service",
	"icmp type": "icmp_type",
	"icmp code": "icmp_code",
	"icmpv6 type": "icmpv6_type",
	"icmpv6 code": "icmpv6_code",
	"ether saddr": "ether_addr",
	"ether daddr": "ether_addr",
	"ip ttl": "integer",
	"ip6 hoplimit": "integer",
	"ip dscp": "dscp",
	"ip6 dscp": "dscp",
	"ip ecn": "ecn",
	"ip6 ecn": "ecn",
	"ah spi": "integer",
	"esp spi": "integer",
	"comp cpi": "integer",
	"dccp type": "dccp_pkttype",
} as const satisfies Record<string, Datatype>;
export type PayloadKey = keyof typeof PAYLOAD_FIELDS;

export type MetaKey =
	| "iifname"
	| "oifname"
	| "l4proto"
	| "nfproto"
	| "mark"
	| "length"
	| "pkttype"
	| "skuid"
	| "skgid"
	| "random"
	| "cpu"
	| "secpath"
	| "iifgroup"
	| "oifgroup"
	| "rtclassid"
	| "cgroup"
	| "hour"
	| "day"
	| "time";

/** ct keys; `dir` is required for the tuple keys (saddr … proto-dst, protocol). */
export type CtKey =
	| "state"
	| "status"
	| "mark"
	| "direction"
	| "expiration"
	| "protocol"
	| "saddr"
	| "daddr"
	| "proto-src"
	| "proto-dst"
	| "helper"
	/** Accounting counters (64-bit); `dir` absent: both directions summed. */
	| "bytes"
	| "packets"
	| "avgpkt"
	/** The 128 label bits; compared as a bitmask (values are masks, printed as bit numbers). */
	| "label";

export type FibFlag = "saddr" | "daddr" | "mark" | "iif" | "oif";

export type Selector =
	| { readonly kind: "payload"; readonly key: PayloadKey }
	| { readonly kind: "meta"; readonly key: MetaKey }
	/** `ct original ip saddr`: `fam` is needed for the address keys (saddr/daddr). */
	| {
			readonly kind: "ct";
			readonly key: CtKey;
			readonly dir?: "original" | "reply";
			readonly fam?: "ip" | "ip6";
	  }
	| { readonly kind: "fib"; readonly flags: readonly FibFlag[]; readonly result: "type" | "oif" | "oifname" }
	| { readonly kind: "numgen"; readonly mode: "inc" | "random"; readonly mod: bigint; readonly offset?: bigint }
	/** `tcp option maxseg size`; `option` is the option kind (2 = maxseg); `field` absent for exists/missing. */
	| { readonly kind: "tcpopt"; readonly option: number; readonly field?: "size" }
	/** IPv6 extension header field (`rt seg-left`); no field: presence only (`exthdr rt exists`). */
	| { readonly kind: "exthdr"; readonly hdr: ExthdrName; readonly field?: ExthdrField }
	| { readonly kind: "socket"; readonly key: "transparent" | "wildcard" }
	| { readonly kind: "ipsec"; readonly dir: "in" | "out"; readonly key: "reqid" | "spi" }
	/** `sctp chunk NAME` (exists/missing only). */
	| { readonly kind: "sctpchunk"; readonly chunk: string }
	/** `rt ipsec`: the route of an outgoing packet has an IPsec transform (exists/missing). */
	| { readonly kind: "rtipsec" }
	/** `@nh,OFFSET,LEN` raw payload (bits) at the network, transport or inner header base; -m u32. */
	| { readonly kind: "raw"; readonly base: RawBase; readonly offset: number; readonly len: number }
	/** `jhash KEY mod N seed S [offset O]`: reciprocal_scale(jhash(key bytes, seed), N) + O. */
	| { readonly kind: "jhash"; readonly key: Selector; readonly mod: bigint; readonly seed: bigint; readonly offset?: bigint };

/** nft payload bases: nh = network header, th = transport header (none on later fragments), ih = after the TCP/UDP header. */
export type RawBase = "nh" | "th" | "ih";

export type ExthdrField = "type" | "seg-left" | "hdrlength" | "reserved" | "reserved2" | "frag-off" | "more-fragments" | "id" | "nexthdr";

/** IPv6 extension headers nft finds with ipv6_find_hdr (hbh/dst options, routing, fragment, mobility). */
export type ExthdrName = "rt" | "frag" | "hbh" | "dst" | "mh";

export type TcpOptionName = "eol" | "nop" | "maxseg" | "window" | "sack-perm" | "sack" | "timestamp";

/** Left-hand sides: a selector, a selector masked with `&`, or a concatenation. */
export type Expr =
	| Selector
	| { readonly kind: "and"; readonly expr: Selector; readonly mask: bigint }
	| { readonly kind: "concat"; readonly parts: readonly Selector[] };

// ---------------------------------------------------------------------------------------------
// Values (right-hand sides, set elements)

export type Value =
	| { readonly kind: "num"; readonly value: bigint }
	/** Inclusive. */
	| { readonly kind: "range"; readonly lo: bigint; readonly hi: bigint }
	| { readonly kind: "prefix"; readonly value: bigint; readonly len: number }
	/** Interface names; `wildcard` is a trailing `*` (prefix match). */
	| { readonly kind: "string"; readonly value: string; readonly wildcard: boolean }
	/** Bit set; only with `==`: matches when (x & bits) != 0. */
	| { readonly kind: "flags"; readonly bits: bigint }
	| { readonly kind: "concat"; readonly parts: readonly Value[] }
	/** `comments` (optional, parallel to `elems`): per-element `comment "…"`, kept when rules merge. */
	| { readonly kind: "set"; readonly elems: readonly Value[]; readonly comments?: readonly (string | undefined)[] }
	| { readonly kind: "setref"; readonly name: string };

export type RelOp = "==" | "!=" | "<" | ">" | "<=" | ">=";

export type Cond =
	| { readonly kind: "rel"; readonly left: Expr; readonly op: RelOp; readonly right: Value }
	/** `tcp option maxseg exists` / `missing`. */
	| { readonly kind: "exists"; readonly left: Selector; readonly present: boolean }
	/** A limit is a statement in nft but acts as a condition (it stops the rule when over). */
	| { readonly kind: "limit"; readonly rate: bigint; readonly unit: RateUnit; readonly burst: bigint; readonly over: boolean }
	/**
	 * A set statement on the packet path (`add|update|delete @set { key [timeout T] [stateful] }`).
	 * It acts as a condition: nft stops the rule when a new element does not fit (set full) or the
	 * element's stateful part says no (`ct count over N`, `limit rate …`). `update` also re-arms
	 * the element's timeout; `add` leaves an existing element alone. `key` parts are concatenated.
	 */
	| {
			readonly kind: "dynset";
			readonly op: "add" | "update" | "delete";
			readonly set: string;
			readonly key: readonly Expr[];
			readonly timeoutMs?: bigint;
			readonly stateful?: DynsetStateful;
	  }
	/** `quota [over] N bytes` (per rule), a statement that acts as a condition. */
	| { readonly kind: "quota"; readonly bytes: bigint; readonly over: boolean }
	/**
	 * `counter name "x"` / `quota name "x"`: updates the table's named object at this point of the
	 * rule (so only packets that passed the conditions before it count). A counter never stops the
	 * rule; a quota does as its object says. Stateful: passes must neither merge nor drop it.
	 */
	| { readonly kind: "objref"; readonly type: Exclude<NamedObject["kind"], "ct-helper">; readonly name: string }
	/**
	 * A write in the middle of a rule (`ct label set 40`, `meta pkttype set host`): never stops the
	 * rule; the conditions after it read the new value. `value` is the label mask / PACKET_* number.
	 * Side effect: passes must neither merge, drop nor duplicate it.
	 */
	| { readonly kind: "side-set"; readonly key: "ct label" | "meta pkttype"; readonly value: bigint };

/** The stateful expression attached to each element a dynset creates. */
export type DynsetStateful =
	| { readonly kind: "ct-count"; readonly count: bigint; readonly over: boolean }
	| { readonly kind: "limit"; readonly rate: bigint; readonly unit: RateUnit; readonly burst: bigint; readonly over: boolean };

export type RateUnit = "second" | "minute" | "hour" | "day" | "week";

// ---------------------------------------------------------------------------------------------
// Statements

export type Verdict =
	| { readonly kind: "accept" }
	| { readonly kind: "drop" }
	| { readonly kind: "return" }
	| { readonly kind: "continue" }
	| { readonly kind: "jump"; readonly chain: string }
	| { readonly kind: "goto"; readonly chain: string };

/**
 * A mark value computed from a register: ((src & and) ^ xor) | or, constants only (nft 1.0.6),
 * then shifted by `shift` bits when given (`(ct mark & 0xff) << 8`; CONNMARK revision 2).
 * `socket mark` is the SO_MARK of the packet's full socket (none: the rule stops).
 */
export type MarkSource =
	| { readonly kind: "const"; readonly value: bigint }
	| {
			readonly kind: "bitwise";
			readonly src: "meta mark" | "ct mark" | "socket mark";
			readonly and?: bigint;
			readonly xor?: bigint;
			readonly or?: bigint;
			readonly shift?: { readonly op: "<<" | ">>"; readonly bits: number };
	  };

export type LogLevelName = "emerg" | "alert" | "crit" | "err" | "warn" | "notice" | "info" | "debug" | "audit";

export interface LogFlags {
	readonly tcpSequence: boolean;
	readonly tcpOptions: boolean;
	readonly ipOptions: boolean;
	readonly skuid: boolean;
	readonly ether: boolean;
}

export type NatFlag = "random" | "fully-random" | "persistent";

/** Where NAT maps to: a fixed address range and/or port range, or a map lookup (passes). */
export type NatTarget =
	| {
			readonly kind: "range";
			readonly addrLo?: bigint;
			readonly addrHi?: bigint;
			readonly portLo?: bigint;
			readonly portHi?: bigint;
	  }
	| { readonly kind: "map"; readonly key: Expr; readonly map: MapRef };

/** An anonymous map (inline elements) or a named one. */
export type MapRef =
	| { readonly kind: "inline"; readonly elems: readonly MapElem[] }
	| { readonly kind: "named"; readonly name: string };

export interface MapElem {
	readonly key: Value;
	readonly value: Value | Verdict;
	/** `comment "…"` on the element (merged rules keep their comments here). */
	readonly comment?: string;
}

export type Stmt =
	| { readonly kind: "verdict"; readonly verdict: Verdict }
	| { readonly kind: "counter"; readonly packets?: bigint; readonly bytes?: bigint }
	| {
			readonly kind: "log";
			readonly prefix?: string;
			/** Absent for group (NFLOG) logging. */
			readonly level?: LogLevelName;
			readonly flags?: LogFlags;
			readonly group?: number;
			readonly snaplen?: number;
			readonly queueThreshold?: number;
	  }
	/** `with` absent never happens from lowering (the default is spelled out). */
	| { readonly kind: "reject"; readonly with: RejectWith }
	| {
			readonly kind: "nat";
			readonly type: "snat" | "dnat" | "masquerade" | "redirect";
			/** The address family of `to` for snat/dnat (`dnat ip to …`); needed only in inet tables. */
			readonly fam?: "ip" | "ip6";
			readonly to?: NatTarget;
			readonly flags: readonly NatFlag[];
	  }
	| { readonly kind: "mark-set"; readonly target: "meta mark" | "ct mark"; readonly value: MarkSource }
	| { readonly kind: "notrack" }
	| { readonly kind: "tcpmss"; readonly size: bigint | "rt-mtu" }
	| {
			readonly kind: "queue";
			readonly numLo: number;
			readonly numHi: number;
			readonly bypass: boolean;
			readonly fanout: boolean;
	  }
	/** `ip ttl set 64`, `ip dscp set cs1`: a constant into a header field (checksums follow). */
	| { readonly kind: "payload-set"; readonly key: PayloadKey; readonly value: bigint }
	| { readonly kind: "ct-zone-set"; readonly dir?: "original" | "reply"; readonly zone: bigint }
	/** `ct helper set "NAME"`: the table's ct helper object NAME (a chain after conntrack). */
	| { readonly kind: "ct-helper-set"; readonly name: string }
	/** `tproxy [ip|ip6] to [addr][:port]`. */
	| { readonly kind: "tproxy"; readonly fam: "ip" | "ip6"; readonly addr?: bigint; readonly port?: bigint }
	/** `meta priority set major:minor` (skb->priority, a tc class id). */
	| { readonly kind: "priority-set"; readonly major: number; readonly minor: number }
	/** Verdict map: `key vmap { elem : verdict, … }` or `vmap @name`. */
	| { readonly kind: "vmap"; readonly key: Expr; readonly map: MapRef }
	/**
	 * `dnat|snat [ip|ip6] prefix to ADDR/LEN` (NF_NAT_RANGE_NETMAP): the network part of the
	 * destination (dnat) or source (snat) address becomes ADDR's, the host bits stay. `fam` is
	 * printed only in inet tables.
	 */
	| { readonly kind: "netmap"; readonly type: "dnat" | "snat"; readonly fam: "ip" | "ip6"; readonly addr: bigint; readonly len: number }
	/** `reset tcp option KIND`: the first TCP option of that kind is overwritten with NOPs. */
	| { readonly kind: "tcpopt-reset"; readonly option: number }
	/**
	 * CONNSECMARK: copy the security mark to the connection (`to` ct: only when the packet has one
	 * and the connection none) or back (`to` meta: only when the packet has none and the
	 * connection one). Printed with its two guards after the rule's counter.
	 */
	| { readonly kind: "secmark-copy"; readonly to: "ct" | "meta" }
	/**
	 * `dup to ADDR [device "DEV"]` (TEE): a copy of the packet is routed to ADDR; the packet goes
	 * on. nft 1.0.6 has no dup in inet tables (inet-fold keeps such tables apart).
	 */
	| { readonly kind: "dup"; readonly fam: "ip" | "ip6"; readonly addr: bigint; readonly device?: string }
	/** `meta nftrace set 1` (TRACE). */
	| { readonly kind: "nftrace" }
	/** `synproxy [mss N] [wscale N] [timestamp] [sack-perm]`. */
	| {
			readonly kind: "synproxy";
			readonly mss?: number;
			readonly wscale?: number;
			readonly timestamp: boolean;
			readonly sackPerm: boolean;
	  };

export type RejectWith =
	| { readonly kind: "icmp"; readonly code: number }
	| { readonly kind: "icmpv6"; readonly code: number }
	| { readonly kind: "icmpx"; readonly code: number }
	| { readonly kind: "tcp-reset" };

// ---------------------------------------------------------------------------------------------
// Structure

export interface Rule {
	readonly conds: readonly Cond[];
	readonly stmts: readonly Stmt[];
	readonly comment?: string;
	readonly origins: readonly Span[];
}

export type ChainType = "filter" | "nat" | "route";
export type Hook = "prerouting" | "input" | "forward" | "output" | "postrouting" | "ingress";

export interface BaseChain {
	readonly type: ChainType;
	readonly hook: Hook;
	readonly priority: number;
	readonly policy?: "accept" | "drop";
}

export interface Chain {
	readonly name: string;
	readonly base?: BaseChain;
	readonly rules: readonly Rule[];
	readonly origins: readonly Span[];
}

/** Named set or map. `keyType` has several parts for concatenations. */
export interface NamedSet {
	readonly name: string;
	readonly keyType: readonly Datatype[];
	/** Present for maps: the data type, or `verdict` for verdict maps. */
	readonly dataType?: Datatype | "verdict";
	readonly interval: boolean;
	/** `flags dynamic`: rules add/update/delete elements from the packet path. */
	readonly dynamic?: boolean;
	/** Default element timeout (`flags timeout` + `timeout Nms`); 0n: timeouts per element only. */
	readonly timeoutMs?: bigint;
	/** `size N`: most elements the set holds. */
	readonly size?: number;
	/** `counter`: every element counts packets and bytes. */
	readonly counter?: boolean;
	readonly elems: readonly MapElem[] | readonly Value[];
	/** Per-element comments of a set (parallel to `elems`; maps keep theirs in MapElem). */
	readonly elemComments?: readonly (string | undefined)[];
	readonly origins: readonly Span[];
}

/** Named stateful objects of a table (`counter NAME { }`, `quota NAME { over N bytes used M bytes }`). */
export type NamedObject =
	| { readonly kind: "counter"; readonly name: string; readonly packets?: bigint; readonly bytes?: bigint; readonly origins: readonly Span[] }
	| { readonly kind: "quota"; readonly name: string; readonly bytes: bigint; readonly used: bigint; readonly over: boolean; readonly origins: readonly Span[] }
	/** `ct helper NAME { type "HELPER" protocol tcp|udp; l3proto ip|ip6; }`. */
	| {
			readonly kind: "ct-helper";
			readonly name: string;
			readonly helper: string;
			readonly proto: "tcp" | "udp";
			readonly l3proto: "ip" | "ip6";
			readonly origins: readonly Span[];
	  };

export interface Table {
	readonly family: Family;
	readonly name: string;
	readonly chains: readonly Chain[];
	readonly sets: readonly NamedSet[];
	/** Absent or empty: the table declares no named objects. */
	readonly objects?: readonly NamedObject[];
	readonly origins: readonly Span[];
}

export interface Ruleset {
	readonly tables: readonly Table[];
}

// ---------------------------------------------------------------------------------------------
// Datatypes: how a value compared with an expression is interpreted (and printed by emit/)

export type Datatype =
	| "ipv4_addr"
	| "ipv6_addr"
	| "inet_service"
	| "inet_proto"
	/** `meta nfproto`: NFPROTO_IPV4 = 2, NFPROTO_IPV6 = 10 (inet tables). */
	| "nf_proto"
	| "ifname"
	| "mark"
	| "ether_addr"
	| "integer"
	| "integer16"
	| "ct_state"
	| "ct_status"
	| "ct_dir"
	| "time_ms"
	| "tcp_flag"
	| "icmp_type"
	| "icmp_code"
	| "icmpv6_type"
	| "icmpv6_code"
	| "fib_addrtype"
	| "pkt_type"
	| "uid"
	| "gid"
	| "iface_index"
	| "dscp"
	| "ecn"
	| "dccp_pkttype"
	| "hour"
	| "day"
	| "time"
	| "ct_helper"
	| "realm"
	| "devgroup"
	/** `ct label`: values are masks of label bits, written as bit numbers. */
	| "ct_label";

export function datatypeOf(e: Expr): Datatype {
	switch (e.kind) {
		case "payload":
			return PAYLOAD_FIELDS[e.key];
		case "meta":
			switch (e.key) {
				case "iifname":
				case "oifname":
					return "ifname";
				case "l4proto":
					return "inet_proto";
				case "nfproto":
					return "nf_proto";
				case "mark":
					return "mark";
				case "length":
				case "random":
				case "cpu":
				case "cgroup":
					return "integer";
				case "secpath":
					return "integer";
				case "iifgroup":
				case "oifgroup":
					return "devgroup";
				case "rtclassid":
					return "realm";
				case "hour":
					return "hour";
				case "day":
					return "day";
				case "time":
					return "time";
				case "pkttype":
					return "pkt_type";
				case "skuid":
					return "uid";
				case "skgid":
					return "gid";
			}
			break;
		case "ct":
			switch (e.key) {
				case "state":
					return "ct_state";
				case "status":
					return "ct_status";
				case "mark":
					return "mark";
				case "direction":
					return "ct_dir";
				case "expiration":
					return "time_ms";
				case "protocol":
					return "inet_proto";
				case "saddr":
				case "daddr":
					return e.fam === "ip6" ? "ipv6_addr" : "ipv4_addr";
				case "proto-src":
				case "proto-dst":
					return "inet_service";
				case "helper":
					return "ct_helper";
				case "bytes":
				case "packets":
				case "avgpkt":
					return "integer";
				case "label":
					return "ct_label";
			}
			break;
		case "fib":
			return e.result === "type" ? "fib_addrtype" : e.result === "oif" ? "iface_index" : "ifname";
		case "numgen":
		case "jhash":
			return "integer";
		case "tcpopt":
			return "integer16";
		case "exthdr":
		case "socket":
		case "ipsec":
		case "sctpchunk":
		case "rtipsec":
		case "raw":
			return "integer";
		case "and":
			return datatypeOf(e.expr);
		case "concat":
			// A concatenation has no single type; callers use the parts.
			return "integer";
	}
	throw new Error(`internal error: no datatype for ${JSON.stringify(e, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`);
}

/** ct state bits as the kernel defines them (NF_CT_STATE_*). */
export const CT_STATE_BITS = {
	invalid: 1n,
	established: 2n,
	related: 4n,
	new: 8n,
	untracked: 64n,
} as const;

/** ct status bits (IPS_*) that lowering uses. */
export const CT_STATUS_BITS = {
	expected: 1n,
	"seen-reply": 2n,
	assured: 4n,
	confirmed: 8n,
	snat: 16n,
	dnat: 32n,
	dying: 512n,
} as const;

/** fib address types (RTN_*). */
export const FIB_ADDRTYPES = {
	unspec: 0n,
	unicast: 1n,
	local: 2n,
	broadcast: 3n,
	anycast: 4n,
	multicast: 5n,
	blackhole: 6n,
	unreachable: 7n,
	prohibit: 8n,
	throw: 9n,
	nat: 10n,
	xresolve: 11n,
} as const;

/** meta pkttype (PACKET_*). */
export const PKT_TYPES = { host: 0n, broadcast: 1n, multicast: 2n, other: 3n } as const;

/** TCP flag bits as on the wire. */
export const TCP_FLAGS = {
	fin: 0x01n,
	syn: 0x02n,
	rst: 0x04n,
	psh: 0x08n,
	ack: 0x10n,
	urg: 0x20n,
	ecn: 0x40n,
	cwr: 0x80n,
} as const;

export const TCP_OPTION_KINDS: Readonly<Record<TcpOptionName, number>> = {
	eol: 0,
	nop: 1,
	maxseg: 2,
	window: 3,
	"sack-perm": 4,
	sack: 5,
	timestamp: 8,
};

/** Map data is a verdict (verdict maps) or a value (NAT maps and data maps). */
export function isVerdict(v: Value | Verdict): v is Verdict {
	switch (v.kind) {
		case "accept":
		case "drop":
		case "return":
		case "continue":
		case "jump":
		case "goto":
			return true;
		default:
			return false;
	}
}

// Small constructors: keep lowering and passes terse and uniform.
export const num = (v: bigint | number): Value => ({ kind: "num", value: BigInt(v) });
export const range = (lo: bigint | number, hi: bigint | number): Value =>
	BigInt(lo) === BigInt(hi) ? num(lo) : { kind: "range", lo: BigInt(lo), hi: BigInt(hi) };
export const rel = (left: Expr, op: RelOp, right: Value): Cond => ({ kind: "rel", left, op, right });
export const payload = (key: PayloadKey): Selector => ({ kind: "payload", key });
export const meta = (key: MetaKey): Selector => ({ kind: "meta", key });
export const verdict = (v: Verdict): Stmt => ({ kind: "verdict", verdict: v });

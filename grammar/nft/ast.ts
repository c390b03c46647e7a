/**
 * AST of nft text as the simulator reads it. Syntax-shaped (tables, chains, sets, rules as the
 * ordered list of their expressions and statements) but with values already decoded to numbers
 * from the datatype of the expression they meet, so the evaluator never re-parses text.
 * The AST is the state after loading the file in order (`flush ruleset`, `delete table`,
 * `add rule`, `insert rule` applied), like `nft -f` into an empty namespace.
 */
import type { Span } from "../../compiler/ir/span.js";

export type NftFamily = "ip" | "ip6" | "inet" | "arp" | "bridge" | "netdev";
export type NftHook = "prerouting" | "input" | "forward" | "output" | "postrouting" | "ingress" | "egress";

/**
 * Datatypes decide how a value is spelled and how wide it is. Strings (interface names, helper
 * names) are big-endian byte strings padded with NULs to 16 bytes, the way the kernel compares them,
 * so a wildcard "eth*" is simply the interval ["eth\0…", "eth\xff…"].
 */
export type Datatype =
	| "ipv4_addr"
	| "ipv6_addr"
	| "ether_addr"
	| "ether_type"
	| "inet_proto"
	| "inet_service"
	| "nf_proto"
	| "mark"
	| "ifname"
	| "iface_index"
	| "iface_type"
	| "string"
	| "ct_state"
	| "ct_status"
	| "ct_dir"
	/** `ct label`: 128 bits; a written number N is bit N (a mask 1 << N). */
	| "ct_label"
	| "tcp_flag"
	| "icmp_type"
	| "icmp_code"
	| "icmpv6_type"
	| "icmpv6_code"
	| "icmpx_code"
	| "pkt_type"
	| "fib_addrtype"
	| "dscp"
	| "ecn"
	| "boolean"
	| "time"
	| "uid"
	| "gid"
	| "integer"
	| "classid"
	| "dccp_pkttype"
	| "mh_type"
	/** `meta time`: a date ("2020-01-29 00:00:00", read as UTC) or epoch seconds; the value is ns. */
	| "date"
	/** `meta hour`: "HH:MM[:SS]" (read as UTC), seconds since midnight. */
	| "hour"
	/** `meta day`: Sunday = 0 … Saturday = 6, by name or number. */
	| "day"
	| "verdict";

interface Node {
	readonly span: Span;
}

interface Typed extends Node {
	readonly dtype: Datatype;
	/** Width in bits (the kernel register width the value occupies). */
	readonly width: number;
}

/** Header field loads: `ip saddr`, `tcp dport`, `th sport`, `ether saddr`, `icmp type`… */
export interface PayloadExpr extends Typed {
	readonly kind: "payload";
	readonly proto: string;
	readonly field: string;
}

export interface MetaExpr extends Typed {
	readonly kind: "meta";
	readonly key: string;
}

export interface CtExpr extends Typed {
	readonly kind: "ct";
	readonly key: string;
	readonly dir?: "original" | "reply";
	readonly fam?: "ip" | "ip6";
}

export interface FibExpr extends Typed {
	readonly kind: "fib";
	readonly flags: readonly ("saddr" | "daddr" | "mark" | "iif" | "oif")[];
	readonly result: "oif" | "oifname" | "type";
}

/** numgen, jhash and symhash: a number in [offset, offset + mod). */
export interface NumgenExpr extends Typed {
	readonly kind: "numgen";
	readonly mode: "random" | "inc" | "jhash" | "symhash";
	readonly mod: number;
	readonly offset: number;
	/** jhash: the hashed expression and the seed (absent: 0). */
	readonly key?: NftExpr;
	readonly seed?: number;
}

/** `tcp option NAME` (presence, width 1) or `tcp option NAME FIELD`. */
export interface TcpOptExpr extends Typed {
	readonly kind: "tcpopt";
	readonly option: number;
	readonly name: string;
	readonly field?: string;
}

/** `exthdr NAME exists` and IPv6 extension header fields (`frag id`, `rt type`…). */
export interface ExthdrExpr extends Typed {
	readonly kind: "exthdr";
	readonly hdr: string;
	readonly field?: string;
}

/** Routing expressions: `rt ipsec` (the route is an IPsec route), `rt classid` (the route realm). */
export interface RtExpr extends Typed {
	readonly kind: "rt";
	readonly key: "ipsec" | "classid";
}

/** `socket transparent|wildcard|mark`: the packet's socket (none: BREAK). */
export interface SocketExpr extends Typed {
	readonly kind: "socket";
	readonly key: "transparent" | "wildcard" | "mark";
}

/** `@nh,96,32`: raw bits at a header base (ih: after the TCP/UDP header). */
export interface RawExpr extends Typed {
	readonly kind: "raw";
	readonly base: "ll" | "nh" | "th" | "ih";
	readonly offset: number;
	readonly len: number;
}

/** A constant inside an expression (`meta mark set 0x1`, `mark and 0xff`). */
export interface ConstExpr extends Typed {
	readonly kind: "const";
	readonly value: bigint;
}

export type BinOp = "&" | "|" | "^" | "<<" | ">>";

export interface BinopExpr extends Typed {
	readonly kind: "binop";
	readonly op: BinOp;
	readonly left: NftExpr;
	readonly right: NftExpr;
}

export interface ConcatExpr extends Typed {
	readonly kind: "concat";
	readonly parts: readonly NftExpr[];
}

export type NftExpr =
	| PayloadExpr
	| MetaExpr
	| CtExpr
	| FibExpr
	| NumgenExpr
	| TcpOptExpr
	| ExthdrExpr
	| RtExpr
	| SocketExpr
	| RawExpr
	| ConstExpr
	| BinopExpr
	| ConcatExpr;

// ---------------------------------------------------------------------------------------------
// Values (right-hand sides and set elements)

/** A single value, or an interval; prefixes and wildcards are stored as their interval. */
export interface ScalarValue extends Node {
	readonly kind: "value";
	readonly lo: bigint;
	readonly hi: bigint;
	/** How it was written, for boundary extraction and messages: `80`, `80-90`, `10.0.0.0/8`, `"eth*"`. */
	readonly form: "single" | "range" | "prefix" | "wildcard";
	/** Everything outside [lo, hi]: nft's reading of a `meta hour` range over midnight (parser flips the relation). */
	readonly inverted?: true;
}

/** `established,related` on a bitmask type: the OR of the bits. */
export interface FlagListValue extends Node {
	readonly kind: "flags";
	readonly bits: bigint;
}

export interface ConcatValue extends Node {
	readonly kind: "concat";
	readonly parts: readonly ScalarValue[];
}

export type ElemKey = ScalarValue | ConcatValue;

export type NftVerdict =
	| { readonly kind: "accept" | "drop" | "continue" | "return" }
	| { readonly kind: "jump" | "goto"; readonly chain: string };

/** Data of a map element: a verdict, or values (`10.0.0.1 . 8080`). */
export type MapData = { readonly kind: "verdict"; readonly verdict: NftVerdict } | ElemKey;

export interface SetElem extends Node {
	readonly key: ElemKey;
	readonly data?: MapData;
	/** Element timeout/expires/comment are kept out of the model: they do not change a lookup. */
}

export interface AnonSetValue extends Node {
	readonly kind: "set";
	readonly elems: readonly SetElem[];
}

export interface SetRefValue extends Node {
	readonly kind: "setref";
	readonly name: string;
}

export type NftValue = ScalarValue | FlagListValue | ConcatValue | AnonSetValue | SetRefValue;

// ---------------------------------------------------------------------------------------------
// Statements

/**
 * `implicit` is the bare form (`tcp dport 22`): equality, except on bitmask types where it is
 * a "some bit set" test (`ct state established`); `neg` is `!` before a flag list.
 */
export type RelOp = "==" | "!=" | "<" | ">" | "<=" | ">=" | "implicit" | "neg";

export interface MatchStmt extends Node {
	readonly kind: "match";
	readonly left: NftExpr;
	readonly op: RelOp;
	readonly right: NftValue;
}

export interface CounterStmt extends Node {
	readonly kind: "counter";
	readonly packets?: bigint;
	readonly bytes?: bigint;
	/** `counter name X`: the table's named counter. */
	readonly name?: string;
}

export interface LogStmt extends Node {
	readonly kind: "log";
	readonly prefix?: string;
	/** syslog level number (emerg 0 … debug 7); `audit` is 8. */
	readonly level?: number;
	readonly group?: number;
	readonly snaplen?: number;
	readonly queueThreshold?: number;
	readonly flags: readonly string[];
}

/** `limit rate [over] N/unit [burst B packets|bytes]` and `quota [over] N bytes`. */
export interface LimitStmt extends Node {
	readonly kind: "limit";
	readonly type: "limit" | "quota";
	readonly over: boolean;
	readonly rate: bigint;
	readonly unit: string;
	readonly burst?: bigint;
	/** `quota name X`: the table's named quota (over/rate/unit are its declaration's). */
	readonly name?: string;
}

/** `ct helper NAME { type "ftp" protocol tcp; l3proto ip; }`: a conntrack helper to assign. */
export interface NftCtHelper extends Node {
	readonly name: string;
	/** The kernel helper's name (`type "ftp"`). */
	readonly type: string;
	/** Layer-4 protocol number (nft allows tcp and udp). */
	readonly protocol: number;
	/** Absent: the table's family. */
	readonly l3proto?: "ip" | "ip6" | "inet";
}

/** `ct helper set "NAME"`: assign the table's ct helper object NAME to a new connection. */
export interface CtHelperSetStmt extends Node {
	readonly kind: "ct-helper-set";
	readonly name: string;
}

/** A table's named stateful object (`counter NAME { … }`, `quota NAME { … }`). */
export type NftObject =
	| { readonly kind: "counter"; readonly name: string; readonly span: Span }
	| { readonly kind: "quota"; readonly name: string; readonly over: boolean; readonly bytes: bigint; readonly span: Span };

export interface RejectStmt extends Node {
	readonly kind: "reject";
	/** Absent: the family's default (icmp/icmpv6/icmpx port-unreachable). */
	readonly with?: { readonly type: "icmp" | "icmpv6" | "icmpx" | "tcp-reset"; readonly code: number };
}

export interface VerdictStmt extends Node {
	readonly kind: "verdict";
	readonly verdict: NftVerdict;
}

export interface QueueStmt extends Node {
	readonly kind: "queue";
	readonly numLo: number;
	readonly numHi: number;
	readonly bypass: boolean;
	readonly fanout: boolean;
}

export interface NatStmt extends Node {
	readonly kind: "nat";
	readonly type: "dnat" | "snat" | "masquerade" | "redirect";
	/** `dnat ip to …` in inet tables, or the family of the address literal. */
	readonly fam?: "ip" | "ip6";
	readonly addr?: { readonly lo: bigint; readonly hi: bigint };
	readonly port?: { readonly lo: number; readonly hi: number };
	/** `dnat to KEY map { … }`: data is an address or `address . port`. */
	readonly map?: { readonly key: NftExpr; readonly map: AnonSetValue | SetRefValue };
	readonly flags: readonly string[];
	/** `dnat|snat [ip|ip6] prefix to ADDR/LEN` (NETMAP): `addr` is the prefix's first..last address. */
	readonly prefix?: boolean;
}

/** `reset tcp option KIND`: the first option of that kind becomes NOPs (BREAK without a TCP header). */
export interface TcpoptResetStmt extends Node {
	readonly kind: "tcpopt-reset";
	readonly option: number;
}

/** `synproxy [mss N] [wscale N] [timestamp] [sack-perm]` (inline, not a named synproxy object). */
export interface SynproxyStmt extends Node {
	readonly kind: "synproxy";
	readonly mss?: number;
	readonly wscale?: number;
	readonly timestamp: boolean;
	readonly sackPerm: boolean;
}

/** `meta mark set …`, `ct mark set …`, `meta nftrace set 1`, `ip dscp set …`, `ct zone set …`. */
export interface SetStmt extends Node {
	readonly kind: "set";
	readonly target: MetaExpr | CtExpr | PayloadExpr;
	readonly value: NftExpr;
}

export interface NotrackStmt extends Node {
	readonly kind: "notrack";
}

export interface VmapStmt extends Node {
	readonly kind: "vmap";
	readonly key: NftExpr;
	readonly map: AnonSetValue | SetRefValue;
}

export interface TcpmssStmt extends Node {
	readonly kind: "tcpmss";
	readonly size: "rt-mtu" | number;
}

/**
 * `add|update|delete @set { KEY [timeout T] [STATEFUL] }`: writes the packet's key into a dynamic
 * set; the stateful expression (a per-element `limit` or `ct count`) decides whether the rule goes on.
 */
export interface DynsetStmt extends Node {
	readonly kind: "dynset";
	readonly op: "add" | "update" | "delete";
	readonly set: string;
	readonly key: NftExpr;
	readonly timeoutMs?: bigint;
	readonly stateful?: LimitStmt | { readonly kind: "ctcount"; readonly over: boolean; readonly count: number };
}

/** `tproxy [ip|ip6] to [addr][:port]`: assign a transparent socket or BREAK. */
export interface TproxyStmt extends Node {
	readonly kind: "tproxy";
	readonly fam?: "ip" | "ip6";
	readonly addr?: bigint;
	readonly port?: number;
}

/** `dup to ADDR [device DEV]` (ip and ip6 tables): a copy of the packet goes to ADDR. */
export interface DupStmt extends Node {
	readonly kind: "dup";
	readonly addr: bigint;
	readonly device?: string;
}

export type NftStmt =
	| CtHelperSetStmt
	| DupStmt
	| TproxyStmt
	| DynsetStmt
	| MatchStmt
	| CounterStmt
	| LogStmt
	| LimitStmt
	| RejectStmt
	| VerdictStmt
	| QueueStmt
	| NatStmt
	| SetStmt
	| NotrackStmt
	| VmapStmt
	| TcpmssStmt
	| TcpoptResetStmt
	| SynproxyStmt;

// ---------------------------------------------------------------------------------------------
// Containers

export interface NftRule extends Node {
	/** The rule as written (one line, without the trailing comment of the line). */
	readonly text: string;
	readonly stmts: readonly NftStmt[];
	readonly comment?: string;
}

export interface NftBaseChain {
	readonly type: "filter" | "nat" | "route";
	readonly hook: NftHook;
	readonly priority: number;
	readonly policy: "accept" | "drop";
	readonly devices: readonly string[];
}

export interface NftChain extends Node {
	readonly name: string;
	readonly base?: NftBaseChain;
	readonly rules: readonly NftRule[];
}

export interface NftSet extends Node {
	readonly name: string;
	readonly isMap: boolean;
	/** One datatype per concatenated key part. */
	readonly keyTypes: readonly Datatype[];
	readonly keyWidths: readonly number[];
	/** Map data: `verdict`, or one type per concatenated data part. */
	readonly dataTypes?: readonly Datatype[];
	readonly flags: readonly string[];
	/** Default timeout of elements added from the packet path (`timeout 60s`). */
	readonly timeoutMs?: bigint;
	readonly elems: readonly SetElem[];
}

export interface NftTable extends Node {
	readonly family: NftFamily;
	readonly name: string;
	readonly chains: readonly NftChain[];
	readonly sets: readonly NftSet[];
	readonly objects?: readonly NftObject[];
	/** `ct helper` objects; absent: none. */
	readonly ctHelpers?: readonly NftCtHelper[];
}

export interface NftRuleset {
	readonly tables: readonly NftTable[];
}

/**
 * nft spelling of expressions, values and statements (one line each). Values are printed from
 * the datatype of the expression they are compared with, so the IR stays purely numeric.
 * Every spelling here was checked with nft 1.0.6 (`nft -c`); see test/compiler/emit.
 */
import * as nft from "../ir/nft.js";
import { assertNever } from "../ir/span.js";

// ---------------------------------------------------------------------------------------------
// Names of enumerated values

const PROTO_NAMES: ReadonlyMap<bigint, string> = new Map([
	[1n, "icmp"],
	[6n, "tcp"],
	[17n, "udp"],
	[33n, "dccp"],
	[47n, "gre"],
	[50n, "esp"],
	[51n, "ah"],
	[58n, "ipv6-icmp"],
	[132n, "sctp"],
	[136n, "udplite"],
]);

const ICMP_TYPES: ReadonlyMap<bigint, string> = new Map([
	[0n, "echo-reply"],
	[3n, "destination-unreachable"],
	[4n, "source-quench"],
	[5n, "redirect"],
	[8n, "echo-request"],
	[9n, "router-advertisement"],
	[10n, "router-solicitation"],
	[11n, "time-exceeded"],
	[12n, "parameter-problem"],
	[13n, "timestamp-request"],
	[14n, "timestamp-reply"],
	[15n, "info-request"],
	[16n, "info-reply"],
	[17n, "address-mask-request"],
	[18n, "address-mask-reply"],
]);

const ICMPV6_TYPES: ReadonlyMap<bigint, string> = new Map([
	[1n, "destination-unreachable"],
	[2n, "packet-too-big"],
	[3n, "time-exceeded"],
	[4n, "parameter-problem"],
	[128n, "echo-request"],
	[129n, "echo-reply"],
	[130n, "mld-listener-query"],
	[131n, "mld-listener-report"],
	[133n, "nd-router-solicit"],
	[134n, "nd-router-advert"],
	[135n, "nd-neighbor-solicit"],
	[136n, "nd-neighbor-advert"],
	[137n, "nd-redirect"],
	[138n, "router-renumbering"],
	[143n, "mld2-listener-report"],
]);

const REJECT_ICMP: ReadonlyMap<number, string> = new Map([
	[0, "net-unreachable"],
	[1, "host-unreachable"],
	[2, "prot-unreachable"],
	[3, "port-unreachable"],
	[9, "net-prohibited"],
	[10, "host-prohibited"],
	[13, "admin-prohibited"],
]);

const REJECT_ICMPV6: ReadonlyMap<number, string> = new Map([
	[0, "no-route"],
	[1, "admin-prohibited"],
	[3, "addr-unreachable"],
	[4, "port-unreachable"],
	[5, "policy-fail"],
	[6, "reject-route"],
]);

const REJECT_ICMPX: ReadonlyMap<number, string> = new Map([
	[0, "no-route"],
	[1, "port-unreachable"],
	[2, "host-unreachable"],
	[3, "admin-prohibited"],
]);

const TCP_OPTIONS: ReadonlyMap<number, string> = new Map(
	Object.entries(nft.TCP_OPTION_KINDS).map(([name, kind]) => [kind, name] as const),
);

function invert<K extends string>(o: Readonly<Record<K, bigint>>): ReadonlyMap<bigint, string> {
	return new Map(Object.entries<bigint>(o).map(([k, v]) => [v, k] as const));
}
const FIB_NAMES = invert(nft.FIB_ADDRTYPES);
const ECN_NAMES: readonly string[] = ["not-ect", "ect1", "ect0", "ce"];
const DCCP_TYPES: readonly string[] = ["request", "response", "data", "ack", "dataack", "closereq", "close", "reset", "sync", "syncack"];
const PKT_NAMES = invert(nft.PKT_TYPES);

/** Bit-flag datatypes: names per bit, in nft's own printing order. */
const FLAG_BITS: Partial<Record<nft.Datatype, readonly (readonly [string, bigint])[]>> = {
	ct_state: Object.entries(nft.CT_STATE_BITS),
	ct_status: Object.entries(nft.CT_STATUS_BITS),
	tcp_flag: Object.entries(nft.TCP_FLAGS),
};

/** Datatypes whose bare `x value` means "some bit of value is set" in nft (so `==` must be explicit). */
export function isBitmask(t: nft.Datatype): boolean {
	return FLAG_BITS[t] !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Values

export function hex(v: bigint, digits = 0): string {
	return `0x${v.toString(16).padStart(digits, "0")}`;
}

export function ipv4(v: bigint): string {
	const n = Number(v);
	return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** RFC 5952: lowercase, leading zeros dropped, the longest run (>= 2) of zero groups as `::`. */
export function ipv6(v: bigint): string {
	const g: number[] = [];
	for (let i = 7; i >= 0; i--) g.push(Number((v >> BigInt(i * 16)) & 0xffffn));
	let bestAt = -1;
	let bestLen = 1;
	for (let i = 0; i < 8; ) {
		if (g[i] !== 0) {
			i++;
			continue;
		}
		let j = i;
		while (j < 8 && g[j] === 0) j++;
		if (j - i > bestLen) {
			bestAt = i;
			bestLen = j - i;
		}
		i = j;
	}
	const hexes = g.map((x) => x.toString(16));
	if (bestAt < 0) return hexes.join(":");
	return `${hexes.slice(0, bestAt).join(":")}::${hexes.slice(bestAt + bestLen).join(":")}`;
}

function mac(v: bigint): string {
	const parts: string[] = [];
	for (let i = 5; i >= 0; i--) parts.push(Number((v >> BigInt(i * 8)) & 0xffn).toString(16).padStart(2, "0"));
	return parts.join(":");
}

/**
 * Quoted interface name. nft 1.0.6 treats only the LAST character specially: a bare trailing `*`
 * is the prefix wildcard and a trailing `\*` a literal `*`; an inner `*` is always literal and
 * an inner `\*` would keep its backslash (checked with `nft -c --debug=netlink`).
 */
export function ifname(name: string, wildcard: boolean): string {
	if (wildcard) return `"${name}*"`;
	return `"${name.endsWith("*") ? `${name.slice(0, -1)}\\*` : name}"`;
}

export function quoted(s: string): string {
	// Callers guarantee (lower/strings.ts) that s holds no `"`, `$` or control characters.
	return `"${s}"`;
}

function flagNames(t: nft.Datatype, bits: bigint): string | undefined {
	const names = FLAG_BITS[t];
	if (names === undefined || bits === 0n) return undefined;
	const out: string[] = [];
	let rest = bits;
	for (const [name, bit] of names) {
		if ((bits & bit) !== 0n) {
			out.push(name);
			rest &= ~bit;
		}
	}
	return rest === 0n ? out.join(",") : undefined;
}

/** ct label values: nft reads each number as a bit, so a mask is written as its bit numbers. */
function labelBits(v: bigint): string {
	const bits: string[] = [];
	for (let i = 0n; i < 128n; i++) if ((v >> i) & 1n) bits.push(i.toString());
	return bits.join(",");
}

/** A single scalar of datatype t. */
export function scalar(t: nft.Datatype, v: bigint): string {
	switch (t) {
		case "ipv4_addr":
			return ipv4(v);
		case "ipv6_addr":
			return ipv6(v);
		case "inet_service":
		case "integer":
		case "integer16":
		case "uid":
		case "gid":
		case "iface_index":
		case "icmp_code":
		case "icmpv6_code":
			return v.toString();
		case "inet_proto":
			return PROTO_NAMES.get(v) ?? v.toString();
		case "nf_proto":
			return v === 2n ? "ipv4" : v === 10n ? "ipv6" : v.toString();
		case "mark":
			return hex(v, 8);
		case "ether_addr":
			return mac(v);
		case "ct_state":
		case "ct_status":
		case "tcp_flag":
			return flagNames(t, v)?.replace(/,/g, "|") ?? hex(v);
		case "ct_dir":
			return v === 0n ? "original" : v === 1n ? "reply" : v.toString();
		case "time_ms":
			return `${v}ms`;
		case "icmp_type":
			return ICMP_TYPES.get(v) ?? v.toString();
		case "icmpv6_type":
			return ICMPV6_TYPES.get(v) ?? v.toString();
		case "fib_addrtype":
			return FIB_NAMES.get(v) ?? v.toString();
		case "pkt_type":
			return PKT_NAMES.get(v) ?? v.toString();
		case "ifname":
			return `"${v}"`;
		case "dscp":
		case "realm":
		case "devgroup":
			return hex(v, 2);
		case "ecn":
			return ECN_NAMES[Number(v)] ?? v.toString();
		case "dccp_pkttype":
			return DCCP_TYPES[Number(v)] ?? v.toString();
		case "day":
			return v.toString();
		case "hour": {
			const n = Number(v);
			const two = (x: number): string => String(x).padStart(2, "0");
			return `"${two(Math.floor(n / 3600))}:${two(Math.floor(n / 60) % 60)}:${two(n % 60)}"`;
		}
		case "time":
			// Seconds since the epoch, written as a UTC date (nft reads it in the loader's TZ: lower/time.ts).
			return `"${new Date(Number(v) * 1000).toISOString().slice(0, 19).replace("T", " ")}"`;
		case "ct_helper":
			return `"${v}"`; // never a number: helper names are string values (lower/helper.ts)
		case "ct_label":
			return labelBits(v);
		default:
			return assertNever(t, "datatype");
	}
}

/** Mask operand after `&`: addresses as addresses, flags as `(a|b)`, the rest in hex. */
function maskText(t: nft.Datatype, m: bigint): string {
	if (t === "ipv4_addr" || t === "ipv6_addr" || t === "ct_label") return scalar(t, m);
	const names = flagNames(t, m);
	if (names !== undefined) return `(${names.replace(/,/g, "|")})`;
	return hex(m);
}

/** A set or map element followed by its `comment "…"`, if any. */
function withComment(text: string, comment: string | undefined): string {
	return comment !== undefined ? `${text} comment ${quoted(comment)}` : text;
}

/** A value compared with an expression of the given datatypes (several for concatenations). */
export function value(types: readonly nft.Datatype[], v: nft.Value): string {
	const t = types[0] ?? "integer";
	switch (v.kind) {
		case "num":
			if (v.value === 0n && isBitmask(t)) return "0";
			return scalar(t, v.value);
		case "range":
			return `${scalar(t, v.lo)}-${scalar(t, v.hi)}`;
		case "prefix":
			return `${scalar(t, v.value)}/${v.len}`;
		case "string":
			return ifname(v.value, v.wildcard);
		case "flags":
			if (t === "ct_label") return labelBits(v.bits);
			return flagNames(t, v.bits) ?? hex(v.bits);
		case "concat":
			return v.parts.map((p, i) => value([types[i] ?? "integer"], p)).join(" . ");
		case "set":
			return `{ ${v.elems.map((e, i) => withComment(value(types, e), v.comments?.[i])).join(", ")} }`;
		case "setref":
			return `@${v.name}`;
		default:
			return assertNever(v, "value");
	}
}

// ---------------------------------------------------------------------------------------------
// Expressions

export function selector(s: nft.Selector): string {
	switch (s.kind) {
		case "payload":
			return s.key;
		case "meta":
			return s.key === "iifname" || s.key === "oifname" ? s.key : `meta ${s.key}`;
		case "ct": {
			const dir = s.dir !== undefined ? `${s.dir} ` : "";
			const fam = s.fam !== undefined && (s.key === "saddr" || s.key === "daddr") ? `${s.fam} ` : "";
			return `ct ${dir}${fam}${s.key}`;
		}
		case "fib":
			return `fib ${s.flags.join(" . ")} ${s.result}`;
		case "numgen":
			return `numgen ${s.mode} mod ${s.mod}${s.offset !== undefined ? ` offset ${s.offset}` : ""}`;
		case "tcpopt": {
			const name = TCP_OPTIONS.get(s.option) ?? String(s.option);
			return `tcp option ${name}${s.field !== undefined ? ` ${s.field}` : ""}`;
		}
		case "exthdr":
			return s.field === undefined ? `exthdr ${s.hdr}` : `${s.hdr} ${s.field}`;
		case "socket":
			return `socket ${s.key}`;
		case "ipsec":
			return `ipsec ${s.dir} ${s.key}`;
		case "sctpchunk":
			return `sctp chunk ${s.chunk}`;
		case "rtipsec":
			return "rt ipsec";
		case "raw":
			return `@${s.base},${s.offset},${s.len}`;
		case "jhash":
			return `jhash ${selector(s.key)} mod ${s.mod} seed ${hex(s.seed, 8)}${s.offset !== undefined ? ` offset ${s.offset}` : ""}`;
		default:
			return assertNever(s, "selector");
	}
}

export function typesOf(e: nft.Expr): nft.Datatype[] {
	return e.kind === "concat" ? e.parts.map((p) => nft.datatypeOf(p)) : [nft.datatypeOf(e)];
}

export function expr(e: nft.Expr): string {
	switch (e.kind) {
		case "and":
			return `${selector(e.expr)} & ${maskText(nft.datatypeOf(e.expr), e.mask)}`;
		case "concat":
			return e.parts.map(selector).join(" . ");
		default:
			return selector(e);
	}
}

/** nft time: whole seconds as `60s`, otherwise milliseconds (`1500ms`). */
export function durationText(ms: bigint): string {
	return ms % 1000n === 0n ? `${ms / 1000n}s` : `${ms}ms`;
}

function dynsetStateful(s: nft.DynsetStateful): string {
	switch (s.kind) {
		case "ct-count":
			return `ct count ${s.over ? "over " : ""}${s.count}`;
		case "limit":
			return `limit rate ${s.over ? "over " : ""}${s.rate}/${s.unit} burst ${s.burst} packets`;
		default:
			return assertNever(s, "dynset stateful");
	}
}

export function cond(c: nft.Cond): string {
	switch (c.kind) {
		case "rel": {
			const types = typesOf(c.left);
			const right = value(types, c.right);
			// `==` is implicit except where nft would read a bare value as a bit test, or after `&`.
			const explicit =
				c.op !== "==" ||
				c.left.kind === "and" ||
				(c.right.kind !== "flags" && c.left.kind !== "concat" && isBitmask(types[0] ?? "integer"));
			return explicit ? `${expr(c.left)} ${c.op} ${right}` : `${expr(c.left)} ${right}`;
		}
		case "exists":
			return `${selector(c.left)} ${c.present ? "exists" : "missing"}`;
		case "limit":
			return `limit rate ${c.over ? "over " : ""}${c.rate}/${c.unit} burst ${c.burst} packets`;
		case "dynset": {
			const timeout = c.timeoutMs !== undefined ? ` timeout ${durationText(c.timeoutMs)}` : "";
			const st = c.stateful !== undefined ? ` ${dynsetStateful(c.stateful)}` : "";
			return `${c.op} @${c.set} { ${c.key.map(expr).join(" . ")}${timeout}${st} }`;
		}
		case "quota":
			return `quota ${c.over ? "over " : ""}${c.bytes} bytes`;
		case "objref":
			return `${c.type} name ${quoted(c.name)}`;
		case "side-set":
			return `${c.key} set ${scalar(c.key === "ct label" ? "ct_label" : "pkt_type", c.value)}`;
		default:
			return assertNever(c, "condition");
	}
}

// ---------------------------------------------------------------------------------------------
// Statements

export function verdictText(v: nft.Verdict): string {
	switch (v.kind) {
		case "accept":
		case "drop":
		case "return":
		case "continue":
			return v.kind;
		case "jump":
		case "goto":
			return `${v.kind} ${v.chain}`;
		default:
			return assertNever(v, "verdict");
	}
}

function logFlags(f: nft.LogFlags): string {
	if (f.tcpSequence && f.tcpOptions && f.ipOptions && f.skuid && f.ether) return " flags all";
	let s = "";
	if (f.tcpSequence && f.tcpOptions) s += " flags tcp sequence,options";
	else if (f.tcpSequence) s += " flags tcp sequence";
	else if (f.tcpOptions) s += " flags tcp options";
	if (f.ipOptions) s += " flags ip options";
	if (f.skuid) s += " flags skuid";
	if (f.ether) s += " flags ether";
	return s;
}

function mapText(keyTypes: readonly nft.Datatype[], dataType: nft.Datatype | undefined, m: nft.MapRef): string {
	if (m.kind === "named") return `@${m.name}`;
	const elems = m.elems.map((e) => `${withComment(value(keyTypes, e.key), e.comment)} : ${mapData(dataType, e.value)}`);
	return `{ ${elems.join(", ")} }`;
}

function mapData(dataType: nft.Datatype | undefined, v: nft.Value | nft.Verdict): string {
	return nft.isVerdict(v) ? verdictText(v) : value([dataType ?? "integer"], v);
}

/** TCP option kinds nft 1.0.6 names in `reset tcp option NAME`; others are written as numbers. */
export const TCPOPT_RESET_NAMES: ReadonlyMap<number, string> = new Map([
	[2, "maxseg"],
	[3, "window"],
	[4, "sack-perm"],
	[5, "sack"],
	[8, "timestamp"],
	[19, "md5sig"],
	[30, "mptcp"],
	[34, "fastopen"],
]);

function natAddr(fam: "ip" | "ip6", v: bigint): string {
	return fam === "ip" ? ipv4(v) : ipv6(v);
}

function natTo(s: Extract<nft.Stmt, { kind: "nat" }>, family: nft.Family): string {
	const to = s.to;
	if (to === undefined) return "";
	const famWord = family === "inet" && s.fam !== undefined ? ` ${s.fam}` : "";
	if (to.kind === "map") {
		const addrType: nft.Datatype = s.fam === "ip6" ? "ipv6_addr" : "ipv4_addr";
		return `${famWord} to ${expr(to.key)} map ${mapText(typesOf(to.key), addrType, to.map)}`;
	}
	const fam = s.fam ?? (family === "ip6" ? "ip6" : "ip");
	const ports =
		to.portLo === undefined ? "" : `:${to.portLo}${to.portHi !== undefined ? `-${to.portHi}` : ""}`;
	if (to.addrLo === undefined) return ` to ${ports}`;
	const lo = natAddr(fam, to.addrLo);
	const hi = to.addrHi !== undefined ? natAddr(fam, to.addrHi) : undefined;
	if (fam === "ip6" && ports !== "") {
		// IPv6 with ports: brackets around each address ([a]-[b]:p, nft 1.0.6).
		return `${famWord} to [${lo}]${hi !== undefined ? `-[${hi}]` : ""}${ports}`;
	}
	return `${famWord} to ${lo}${hi !== undefined ? `-${hi}` : ""}${ports}`;
}

function markSource(v: nft.MarkSource): string {
	if (v.kind === "const") return hex(v.value, 8);
	let s: string = v.src;
	if (v.and !== undefined) s += ` & ${hex(v.and, 8)}`;
	if (v.xor !== undefined) s += ` ^ ${hex(v.xor, 8)}`;
	if (v.or !== undefined) s += ` | ${hex(v.or, 8)}`;
	// `<<`/`>>` bind tighter than `&`, `^`, `|` in nft: a combination needs parentheses.
	if (v.shift !== undefined) s = `${s === v.src ? s : `(${s})`} ${v.shift.op} ${v.shift.bits}`;
	return s;
}

export function stmt(s: nft.Stmt, family: nft.Family): string {
	switch (s.kind) {
		case "verdict":
			return verdictText(s.verdict);
		case "counter":
			return s.packets !== undefined ? `counter packets ${s.packets} bytes ${s.bytes ?? 0n}` : "counter";
		case "log": {
			let out = "log";
			if (s.prefix !== undefined) out += ` prefix ${quoted(s.prefix)}`;
			if (s.group !== undefined) {
				out += ` group ${s.group}`;
				if (s.snaplen !== undefined) out += ` snaplen ${s.snaplen}`;
				if (s.queueThreshold !== undefined) out += ` queue-threshold ${s.queueThreshold}`;
				return out;
			}
			if (s.level !== undefined) out += ` level ${s.level}`;
			if (s.flags !== undefined) out += logFlags(s.flags);
			return out;
		}
		case "reject": {
			const w = s.with;
			switch (w.kind) {
				case "tcp-reset":
					return "reject with tcp reset";
				case "icmp":
					return `reject with icmp type ${REJECT_ICMP.get(w.code) ?? w.code}`;
				case "icmpv6":
					return `reject with icmpv6 type ${REJECT_ICMPV6.get(w.code) ?? w.code}`;
				case "icmpx":
					return `reject with icmpx type ${REJECT_ICMPX.get(w.code) ?? w.code}`;
				default:
					return assertNever(w, "reject");
			}
		}
		case "nat": {
			const flags = s.flags.length > 0 ? ` ${s.flags.join(",")}` : "";
			return `${s.type}${natTo(s, family)}${flags}`;
		}
		case "mark-set":
			return `${s.target} set ${markSource(s.value)}`;
		case "notrack":
			return "notrack";
		case "tcpmss":
			return `tcp option maxseg size set ${s.size === "rt-mtu" ? "rt mtu" : s.size.toString()}`;
		case "queue": {
			const num = s.numLo === s.numHi ? `${s.numLo}` : `${s.numLo}-${s.numHi}`;
			const flags = [s.bypass ? "bypass" : "", s.fanout ? "fanout" : ""].filter((f) => f !== "").join(",");
			return `queue num ${num}${flags !== "" ? ` ${flags}` : ""}`;
		}
		case "vmap":
			return `${expr(s.key)} vmap ${mapText(typesOf(s.key), undefined, s.map)}`;
		case "payload-set":
			return `${s.key} set ${scalar(nft.PAYLOAD_FIELDS[s.key], s.value)}`;
		case "ct-zone-set":
			return `ct ${s.dir !== undefined ? `${s.dir} ` : ""}zone set ${s.zone}`;
		case "ct-helper-set":
			return `ct helper set ${quoted(s.name)}`;
		case "tproxy": {
			const famWord = family === "inet" ? ` ${s.fam}` : "";
			const addr = s.addr === undefined ? "" : s.fam === "ip" ? ipv4(s.addr) : s.port !== undefined ? `[${ipv6(s.addr)}]` : ipv6(s.addr);
			return `tproxy${famWord} to ${addr}${s.port !== undefined ? `:${s.port}` : ""}`;
		}
		case "priority-set":
			return `meta priority set ${s.major.toString(16)}:${s.minor.toString(16)}`;
		case "netmap": {
			const famWord = family === "inet" ? ` ${s.fam}` : "";
			return `${s.type}${famWord} prefix to ${natAddr(s.fam, s.addr)}/${s.len}`;
		}
		case "tcpopt-reset":
			return `reset tcp option ${TCPOPT_RESET_NAMES.get(s.option) ?? s.option.toString()}`;
		case "secmark-copy":
			// nft 1.0.6 refuses `meta secmark != 0` (a secmark object name is expected): mask it.
			// Source test first, then destination, as json.ts writes it (same kernel expressions).
			return s.to === "ct"
				? "meta secmark & 0xffffffff != 0 ct secmark & 0xffffffff == 0 ct secmark set meta secmark"
				: "ct secmark & 0xffffffff != 0 meta secmark & 0xffffffff == 0 meta secmark set ct secmark";
		case "dup":
			return `dup to ${s.fam === "ip" ? ipv4(s.addr) : ipv6(s.addr)}${s.device !== undefined ? ` device ${quoted(s.device)}` : ""}`;
		case "nftrace":
			return "meta nftrace set 1";
		case "synproxy": {
			let out = "synproxy";
			if (s.mss !== undefined) out += ` mss ${s.mss}`;
			if (s.wscale !== undefined) out += ` wscale ${s.wscale}`;
			if (s.timestamp) out += " timestamp";
			if (s.sackPerm) out += " sack-perm";
			return out;
		}
		default:
			return assertNever(s, "statement");
	}
}

export function rule(r: nft.Rule, family: nft.Family): string {
	const parts: string[] = [];
	for (const c of r.conds) parts.push(cond(c));
	for (const s of r.stmts) parts.push(stmt(s, family));
	if (r.comment !== undefined) parts.push(`comment ${quoted(r.comment)}`);
	return parts.join(" ");
}

// ---------------------------------------------------------------------------------------------
// Chains and sets

const STD_PRIORITIES: readonly (readonly [string, number, nft.Hook | undefined])[] = [
	["raw", -300, undefined],
	["mangle", -150, undefined],
	["dstnat", -100, "prerouting"],
	["filter", 0, undefined],
	["security", 50, undefined],
	["srcnat", 100, "postrouting"],
];

/** Standard priority names where nft accepts them (dstnat/srcnat only on their own hook). */
export function priorityText(family: nft.Family, hook: nft.Hook, p: number): string {
	if (family === "ip" || family === "ip6" || family === "inet") {
		for (const [name, value, only] of STD_PRIORITIES) {
			if (value === p && (only === undefined || only === hook)) return name;
		}
	}
	return String(p);
}

export function baseChainLine(family: nft.Family, b: nft.BaseChain): string {
	const policy = b.policy !== undefined ? ` policy ${b.policy};` : "";
	return `type ${b.type} hook ${b.hook} priority ${priorityText(family, b.hook, b.priority)};${policy}`;
}

export function setLines(s: nft.NamedSet): string[] {
	const keyType = s.keyType.join(" . ");
	const lines = [s.dataType !== undefined ? `type ${keyType} : ${s.dataType}` : `type ${keyType}`];
	if (s.size !== undefined) lines.push(`size ${s.size}`);
	const flags = [s.interval ? "interval" : "", s.dynamic === true ? "dynamic" : "", s.timeoutMs !== undefined ? "timeout" : ""].filter((f) => f !== "");
	if (flags.length > 0) lines.push(`flags ${flags.join(",")}`);
	if (s.timeoutMs !== undefined && s.timeoutMs > 0n) lines.push(`timeout ${durationText(s.timeoutMs)}`);
	if (s.counter === true) lines.push("counter");
	if (s.elems.length > 0) {
		const keyTypes = s.keyType;
		const elems = (s.elems as readonly (nft.MapElem | nft.Value)[]).map((e, i) =>
			"key" in e
				? `${withComment(value(keyTypes, e.key), e.comment)} : ${mapData(s.dataType === "verdict" ? undefined : s.dataType, e.value)}`
				: withComment(value(keyTypes, e), s.elemComments?.[i]),
		);
		lines.push(`elements = { ${elems.join(", ")} }`);
	}
	return lines;
}

/** The keyword that declares a named object (`counter`, `quota`, `ct helper`). */
export function objectKeyword(o: nft.NamedObject): string {
	return o.kind === "ct-helper" ? "ct helper" : o.kind;
}

/** The body of a named object: `packets P bytes B` / `over N bytes used M bytes` / `type "ftp" protocol tcp`. */
export function objectLines(o: nft.NamedObject): string[] {
	switch (o.kind) {
		case "counter":
			return o.packets !== undefined || o.bytes !== undefined ? [`packets ${o.packets ?? 0n} bytes ${o.bytes ?? 0n}`] : [];
		case "quota":
			return [`${o.over ? "over " : ""}${o.bytes} bytes${o.used > 0n ? ` used ${o.used} bytes` : ""}`];
		case "ct-helper":
			return [`type ${quoted(o.helper)} protocol ${o.proto}`, `l3proto ${o.l3proto}`];
		default:
			return assertNever(o, "named object");
	}
}

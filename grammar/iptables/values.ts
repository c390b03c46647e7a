/**
 * Value parsers shared by the generic options and the extensions. Each returns the value or a
 * `Bad` describing why iptables would refuse it; callers attach the span.
 */
import ipaddr from "ipaddr.js";
import type { Code } from "../../compiler/ir/diagnostics.js";
import type { AddrMask, AddrRange, Fam, Iface, PortRange, ValueMask } from "../../compiler/ir/ipt.js";
import { intern } from "./source.js";

export class Bad {
	constructor(
		readonly code: Code,
		readonly message: string,
		readonly hint?: string,
	) {}
}

export function isBad(x: unknown): x is Bad {
	return x instanceof Bad;
}

/**
 * strtoul with base 0 as iptables uses it (xtables_strtoui): 0x… hex, 0… octal, else decimal; no
 * sign, nothing after the number. A leading 0 makes it octal, so "08" is refused like strtoul
 * leaves "8" unread.
 */
export function parseUint(s: string, max: number): number | undefined {
	if (s.length === 0) return undefined;
	let v: number;
	if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = s.length > 17 ? Infinity : parseInt(s.slice(2), 16);
	else if (/^0[0-7]+$/.test(s)) v = s.length > 20 ? Infinity : parseInt(s.slice(1), 8);
	else if (/^(?:0|[1-9][0-9]*)$/.test(s)) v = s.length > 15 ? Infinity : Number(s);
	else return undefined;
	return v <= max ? v : undefined;
}

/** strtoull with base 0 (XTTYPE_UINT64: quota bytes, set counters), up to 2^64 - 1. */
export function parseUint64(s: string): bigint | undefined {
	let v: bigint;
	if (/^0[xX][0-9a-fA-F]{1,16}$/.test(s)) v = BigInt(s);
	else if (/^0[0-7]{1,22}$/.test(s)) v = BigInt(`0o${s.slice(1)}`);
	else if (/^(?:0|[1-9][0-9]{0,19})$/.test(s)) v = BigInt(s);
	else return undefined;
	return v <= 0xffffffffffffffffn ? v : undefined;
}

/** Decimal only (rates, and numbers xtables reads with base 10). */
export function parseDec(s: string, max: number): number | undefined {
	if (!/^[0-9]{1,15}$/.test(s)) return undefined;
	const v = Number(s);
	return v <= max ? v : undefined;
}

// ---------------------------------------------------------------------------------------------
// Ports and services

/** The common entries of /etc/services (tcp and udp share numbers for these). */
const SERVICES: Readonly<Record<string, number>> = {
	tcpmux: 1, echo: 7, discard: 9, systat: 11, daytime: 13, netstat: 15, qotd: 17, chargen: 19,
	"ftp-data": 20, ftp: 21, ssh: 22, telnet: 23, smtp: 25, time: 37, whois: 43, tacacs: 49,
	domain: 53, bootps: 67, bootpc: 68, tftp: 69, gopher: 70, finger: 79, http: 80, www: 80,
	kerberos: 88, pop3: 110, sunrpc: 111, auth: 113, ident: 113, nntp: 119, ntp: 123,
	"netbios-ns": 137, "netbios-dgm": 138, "netbios-ssn": 139, imap2: 143, imap: 143, snmp: 161,
	"snmp-trap": 162, xdmcp: 177, bgp: 179, irc: 194, ldap: 389, https: 443, "microsoft-ds": 445,
	kpasswd: 464, isakmp: 500, exec: 512, biff: 512, login: 513, who: 513, shell: 514, syslog: 514,
	printer: 515, talk: 517, ntalk: 518, route: 520, uucp: 540, klogin: 543, kshell: 544,
	submission: 587, ipp: 631, ldaps: 636, rsync: 873, "ftps-data": 989, ftps: 990, telnets: 992,
	imaps: 993, pop3s: 995, socks: 1080, openvpn: 1194, "ms-sql-s": 1433, "ms-sql-m": 1434,
	"ingreslock": 1524, l2tp: 1701, pptp: 1723, radius: 1812, "radius-acct": 1813, nfs: 2049,
	mysql: 3306, "ms-wbt-server": 3389, svn: 3690, sip: 5060, "sip-tls": 5061, postgresql: 5432,
	x11: 6000, "http-alt": 8080, webcache: 8080, "ipsec-nat-t": 4500, domain_s: 853, mdns: 5353,
};

export function servicePort(name: string): number | undefined {
	return Object.prototype.hasOwnProperty.call(SERVICES, name) ? SERVICES[name] : undefined;
}

/** A port: a number 0..65535 or a service name. */
export function parsePort(s: string): number | Bad {
	const n = parseUint(s, 65535);
	if (n !== undefined) return n;
	const svc = servicePort(s);
	if (svc !== undefined) return svc;
	if (/^-?[0-9]/.test(s)) return new Bad("invalid_port", `invalid port "${s}": must be 0..65535`);
	return new Bad("invalid_port", `invalid port/service "${s}"`, "use a port number (ipt2nft knows only common service names)");
}

/**
 * `a`, `a:b`, `:b`, `a:`, `:` (iptables fills 0 and 65535); lo must not exceed hi. With a `max`
 * other than 65535 the bounds are plain numbers (lengths, seconds), not ports.
 */
export function parsePortRange(s: string, sep = ":", max = 65535): PortRange | Bad {
	const r = parsePortRangeRaw(s, sep, max);
	return isBad(r) && max !== 65535 && r.code === "invalid_port" ? new Bad("invalid_value", r.message, r.hint) : r;
}

function parsePortRangeRaw(s: string, sep: string, max: number): PortRange | Bad {
	const i = s.indexOf(sep);
	if (i < 0) {
		const p = parseBounded(s, max);
		return isBad(p) ? p : { lo: p, hi: p };
	}
	const a = s.slice(0, i);
	const b = s.slice(i + 1);
	const lo = a === "" ? 0 : parseBounded(a, max);
	if (isBad(lo)) return lo;
	const hi = b === "" ? max : parseBounded(b, max);
	if (isBad(hi)) return hi;
	if (lo > hi) return new Bad("invalid_port", `invalid range "${s}": start is greater than end`);
	return { lo, hi };
}

function parseBounded(s: string, max: number): number | Bad {
	if (max === 65535) return parsePort(s);
	const n = parseUint(s, max);
	return n === undefined ? new Bad("invalid_value", `"${s}" is not a number in 0..${max}`) : n;
}

// ---------------------------------------------------------------------------------------------
// Protocols

const PROTOCOLS: Readonly<Record<string, number>> = {
	all: 0, ip: 0, icmp: 1, igmp: 2, ggp: 3, ipencap: 4, st: 5, tcp: 6, egp: 8, igp: 9, pup: 12,
	udp: 17, hmp: 20, "xns-idp": 22, rdp: 27, "iso-tp4": 29, dccp: 33, xtp: 36, ddp: 37,
	"idpr-cmtp": 38, ipv6: 41, "ipv6-route": 43, "ipv6-frag": 44, idrp: 45, rsvp: 46, gre: 47,
	esp: 50, ah: 51, skip: 57, icmpv6: 58, "ipv6-icmp": 58, "ipv6-nonxt": 59, "ipv6-opts": 60,
	rspf: 73, vmtp: 81, eigrp: 88, ospf: 89, "ax.25": 93, ipip: 94, etherip: 97, encap: 98,
	pim: 103, ipcomp: 108, vrrp: 112, l2tp: 115, isis: 124, sctp: 132, fc: 133, mh: 135,
	"ipv6-mh": 135, "mobility-header": 135, udplite: 136, "mpls-in-ip": 137, manet: 138, hip: 139,
	shim6: 140, wesp: 141, rohc: 142, ethernet: 143,
};

export const PROTO_NAMES: ReadonlyMap<number, string> = new Map([
	[1, "icmp"], [6, "tcp"], [17, "udp"], [33, "dccp"], [58, "icmpv6"], [132, "sctp"], [136, "udplite"],
]);

export function parseProtocol(s: string): number | Bad {
	const lower = s.toLowerCase();
	// xtables_parse_protocol: a number in any base strtoul knows (`-p 0x6` is tcp), then names.
	const n = parseUint(lower, 255);
	if (n !== undefined) return n;
	if (Object.prototype.hasOwnProperty.call(PROTOCOLS, lower)) return PROTOCOLS[lower]!;
	return new Bad("invalid_value", `unknown protocol "${s}"`, "use a protocol name from /etc/protocols or a number 0..255");
}

// ---------------------------------------------------------------------------------------------
// Addresses

const ONES32 = 0xffffffffn;
const ONES128 = (1n << 128n) - 1n;

export function famOnes(fam: Fam): bigint {
	return fam === 4 ? ONES32 : ONES128;
}

/** Dotted IPv4 as iptables reads it: 1 to 4 decimal parts, missing trailing parts are zero. */
export function parseIPv4(s: string): number | undefined {
	let v = 0;
	let parts = 0;
	let cur = -1;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c === 46) {
			if (cur < 0 || parts === 3) return undefined;
			v = v * 256 + cur;
			parts++;
			cur = -1;
		} else if (c >= 48 && c <= 57) {
			cur = cur < 0 ? c - 48 : cur * 10 + (c - 48);
			if (cur > 255) return undefined;
		} else return undefined;
	}
	if (cur < 0) return undefined;
	v = v * 256 + cur;
	parts++;
	for (; parts < 4; parts++) v *= 256;
	return v;
}

export function parseIPv6(s: string): bigint | undefined {
	if (!ipaddr.IPv6.isValid(s)) return undefined;
	const bytes = ipaddr.IPv6.parse(s).toByteArray();
	let v = 0n;
	for (const b of bytes) v = (v << 8n) | BigInt(b);
	return v;
}

export function parseAddr(s: string, fam: Fam): bigint | Bad {
	if (fam === 4) {
		const v = parseIPv4(s);
		if (v !== undefined) return BigInt(v);
		if (s.includes(":")) return new Bad("family_mismatch", `"${s}" is an IPv6 address in an IPv4 rule`);
	} else {
		const v = parseIPv6(s);
		if (v !== undefined) return v;
		if (/^[0-9.]+$/.test(s)) return new Bad("family_mismatch", `"${s}" is an IPv4 address in an IPv6 rule`);
	}
	if (/^[A-Za-z][A-Za-z0-9.-]*$/.test(s) && !/^[0-9a-fA-F:]+$/.test(s))
		return new Bad("invalid_address", `host name "${s}" is not supported`, "iptables resolves names once when the rule is added; write the address");
	return new Bad("invalid_address", `invalid IPv${fam} address "${s}"`);
}

function prefixOf(mask: bigint, fam: Fam): number | undefined {
	const bits = fam === 4 ? 32 : 128;
	const inv = famOnes(fam) ^ mask;
	// Contiguous when the inverted mask is 2^k - 1.
	if ((inv & (inv + 1n)) !== 0n) return undefined;
	let k = 0;
	for (let x = inv; x > 0n; x >>= 1n) k++;
	return bits - k;
}

const v4MaskCache: bigint[] = [];
for (let p = 0; p <= 32; p++) v4MaskCache.push(p === 0 ? 0n : (ONES32 << BigInt(32 - p)) & ONES32);

export function prefixMask(p: number, fam: Fam): bigint {
	if (fam === 4) return v4MaskCache[p]!;
	return p === 0 ? 0n : (ONES128 << BigInt(128 - p)) & ONES128;
}

/** `addr`, `addr/len`, `addr/mask` (dotted or IPv6 form; non-contiguous allowed). */
export function parseAddrMask(s: string, fam: Fam): AddrMask | Bad {
	const slash = s.indexOf("/");
	const a = slash < 0 ? s : s.slice(0, slash);
	// Fast path: IPv4 without mask or with a prefix length.
	const addr = parseAddr(a, fam);
	if (isBad(addr)) return addr;
	let mask: bigint;
	let prefixLen: number | undefined;
	const bits = fam === 4 ? 32 : 128;
	if (slash < 0) {
		mask = famOnes(fam);
		prefixLen = bits;
	} else {
		const m = s.slice(slash + 1);
		// A mask without dots (IPv4) or colons (IPv6) is a prefix length, base 0 like strtoul:
		// "/010" is /8 and "/0x18" /24 to iptables.
		const len = fam === 4 ? (m.includes(".") ? undefined : parseUint(m, bits)) : m.includes(":") ? undefined : parseUint(m, bits);
		if (len !== undefined) {
			prefixLen = len;
			mask = prefixMask(len, fam);
		} else {
			const mv = fam === 4 ? (parseIPv4(m) !== undefined && m.split(".").length === 4 ? BigInt(parseIPv4(m)!) : undefined) : parseIPv6(m);
			if (mv === undefined) return new Bad("invalid_address", `invalid mask "${m}" in "${s}"`, `use a prefix length 0..${bits} or a full mask`);
			mask = mv;
			prefixLen = prefixOf(mv, fam);
		}
	}
	return { fam, addr: addr & mask, mask, prefixLen };
}

/** `a-b` address range (iprange, NAT). */
export function parseAddrRange(s: string, fam: Fam): AddrRange | Bad {
	const i = s.indexOf("-");
	const lo = parseAddr(i < 0 ? s : s.slice(0, i), fam);
	if (isBad(lo)) return lo;
	const hi = i < 0 ? lo : parseAddr(s.slice(i + 1), fam);
	if (isBad(hi)) return hi;
	if (lo > hi) return new Bad("invalid_address", `invalid range "${s}": start is greater than end`);
	return { fam, lo, hi };
}

// ---------------------------------------------------------------------------------------------
// Interfaces, marks, MAC

export function parseIface(s: string): Iface | Bad {
	if (s.length === 0) return new Bad("invalid_interface", "empty interface name");
	if (s.length > 15) return new Bad("invalid_interface", `interface name "${s}" is longer than 15 characters`);
	if (/[\s/]/.test(s) || s === "." || s === "..")
		return new Bad("invalid_interface", `interface name "${s}" contains forbidden characters`);
	const wildcard = s.endsWith("+");
	return { name: intern(wildcard ? s.slice(0, -1) : s), wildcard };
}

/** `value[/mask]`, 32-bit; mask defaults to 0xffffffff. */
export function parseValueMask(s: string): ValueMask | Bad {
	const i = s.indexOf("/");
	const v = parseUint(i < 0 ? s : s.slice(0, i), 0xffffffff);
	const m = i < 0 ? 0xffffffff : parseUint(s.slice(i + 1), 0xffffffff);
	if (v === undefined || m === undefined) return new Bad("invalid_value", `invalid mark "${s}": expected value[/mask], 32-bit`);
	return { value: v, mask: m };
}

export function parseMac(s: string): bigint | Bad {
	const parts = s.split(":");
	if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p)))
		return new Bad("invalid_value", `invalid MAC address "${s}"`, "expected six hex bytes like 00:11:22:33:44:55");
	let v = 0n;
	for (const p of parts) v = (v << 8n) | BigInt(parseInt(p, 16));
	return v;
}

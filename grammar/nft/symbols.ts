/**
 * Symbolic constants of nft datatypes (the names `nft describe` lists) and the decoding of a
 * written value into numbers. Widths are the kernel register widths in bits.
 */
import ipaddr from "ipaddr.js";
import type { Datatype } from "./ast.js";

export const WIDTH: Readonly<Record<Datatype, number>> = {
	ipv4_addr: 32,
	ipv6_addr: 128,
	ether_addr: 48,
	ether_type: 16,
	inet_proto: 8,
	inet_service: 16,
	nf_proto: 8,
	mark: 32,
	ifname: 128,
	iface_index: 128,
	iface_type: 16,
	string: 128,
	ct_state: 32,
	ct_status: 32,
	ct_dir: 8,
	ct_label: 128,
	tcp_flag: 8,
	icmp_type: 8,
	icmp_code: 8,
	icmpv6_type: 8,
	icmpv6_code: 8,
	icmpx_code: 8,
	pkt_type: 8,
	fib_addrtype: 32,
	dscp: 6,
	ecn: 2,
	boolean: 1,
	time: 64,
	uid: 32,
	gid: 32,
	integer: 32,
	classid: 32,
	dccp_pkttype: 4,
	mh_type: 8,
	date: 64,
	hour: 32,
	day: 8,
	verdict: 32,
};

/** Datatypes where a bare value is a "some bit set" test and `a,b` is a bit list. */
export function isBitmask(t: Datatype): boolean {
	return t === "ct_state" || t === "ct_status" || t === "tcp_flag" || t === "ct_label";
}

type Table = ReadonlyMap<string, number>;
const t = (o: Record<string, number>): Table => new Map(Object.entries(o));

export const INET_PROTO = t({
	hopopt: 0,
	icmp: 1,
	igmp: 2,
	ggp: 3,
	ipencap: 4,
	tcp: 6,
	egp: 8,
	udp: 17,
	dccp: 33,
	ipv6: 41,
	"ipv6-route": 43,
	"ipv6-frag": 44,
	rsvp: 46,
	gre: 47,
	esp: 50,
	ah: 51,
	icmpv6: 58,
	"ipv6-icmp": 58,
	"ipv6-nonxt": 59,
	"ipv6-opts": 60,
	ospf: 89,
	eigrp: 88,
	ipip: 94,
	pim: 103,
	comp: 108,
	vrrp: 112,
	l2tp: 115,
	sctp: 132,
	mh: 135,
	udplite: 136,
	mpls: 137,
});

/** A few /etc/services names nft resolves (what rulesets in the wild use). */
export const SERVICES = t({
	ftp: 21,
	"ftp-data": 20,
	ssh: 22,
	telnet: 23,
	smtp: 25,
	domain: 53,
	bootps: 67,
	bootpc: 68,
	tftp: 69,
	http: 80,
	www: 80,
	kerberos: 88,
	pop3: 110,
	sunrpc: 111,
	ntp: 123,
	netbios_ns: 137,
	imap: 143,
	imap2: 143,
	snmp: 161,
	bgp: 179,
	ldap: 389,
	https: 443,
	microsoft_ds: 445,
	submission: 587,
	ldaps: 636,
	imaps: 993,
	pop3s: 995,
	openvpn: 1194,
	mysql: 3306,
	postgresql: 5432,
});

export const CT_STATE = t({ invalid: 1, established: 2, related: 4, new: 8, untracked: 64 });
export const CT_STATUS = t({
	expected: 1,
	"seen-reply": 2,
	assured: 4,
	confirmed: 8,
	snat: 16,
	dnat: 32,
	dying: 512,
});
export const CT_DIR = t({ original: 0, reply: 1 });
export const TCP_FLAG = t({ fin: 1, syn: 2, rst: 4, psh: 8, ack: 16, urg: 32, ecn: 64, cwr: 128 });

export const ICMP_TYPE = t({
	"echo-reply": 0,
	"destination-unreachable": 3,
	"source-quench": 4,
	redirect: 5,
	"echo-request": 8,
	"router-advertisement": 9,
	"router-solicitation": 10,
	"time-exceeded": 11,
	"parameter-problem": 12,
	"timestamp-request": 13,
	"timestamp-reply": 14,
	"info-request": 15,
	"info-reply": 16,
	"address-mask-request": 17,
	"address-mask-reply": 18,
});

export const ICMPV6_TYPE = t({
	"destination-unreachable": 1,
	"packet-too-big": 2,
	"time-exceeded": 3,
	"parameter-problem": 4,
	"echo-request": 128,
	"echo-reply": 129,
	"mld-listener-query": 130,
	"mld-listener-report": 131,
	"mld-listener-done": 132,
	"mld-listener-reduction": 132,
	"nd-router-solicit": 133,
	"nd-router-advert": 134,
	"nd-neighbor-solicit": 135,
	"nd-neighbor-advert": 136,
	"nd-redirect": 137,
	"router-renumbering": 138,
	"ind-neighbor-solicit": 141,
	"ind-neighbor-advert": 142,
	"mld2-listener-report": 143,
});

export const ICMP_CODE = t({
	"net-unreachable": 0,
	"host-unreachable": 1,
	"prot-unreachable": 2,
	"port-unreachable": 3,
	"frag-needed": 4,
	"net-prohibited": 9,
	"host-prohibited": 10,
	"admin-prohibited": 13,
});
export const ICMPV6_CODE = t({
	"no-route": 0,
	"admin-prohibited": 1,
	"addr-unreachable": 3,
	"port-unreachable": 4,
	"policy-fail": 5,
	"reject-route": 6,
});
export const ICMPX_CODE = t({
	"no-route": 0,
	"port-unreachable": 1,
	"host-unreachable": 2,
	"admin-prohibited": 3,
});

export const PKT_TYPE = t({ host: 0, unicast: 0, broadcast: 1, multicast: 2, other: 3 });
export const FIB_ADDRTYPE = t({
	unspec: 0,
	unicast: 1,
	local: 2,
	broadcast: 3,
	anycast: 4,
	multicast: 5,
	blackhole: 6,
	unreachable: 7,
	prohibit: 8,
});
export const NF_PROTO = t({ inet: 1, ipv4: 2, arp: 3, netdev: 5, bridge: 7, ipv6: 10 });
export const ETHER_TYPE = t({ ip: 0x0800, arp: 0x0806, ip6: 0x86dd, vlan: 0x8100, "8021ad": 0x88a8 });
export const IFACE_TYPE = t({ ether: 1, ppp: 512, ipip: 768, ipip6: 769, loopback: 772, sit: 776, ipgre: 778 });
export const ECN = t({ "not-ect": 0, ect1: 1, ect0: 2, ce: 3 });
export const DSCP = t({
	cs0: 0,
	cs1: 8,
	cs2: 16,
	cs3: 24,
	cs4: 32,
	cs5: 40,
	cs6: 48,
	cs7: 56,
	df: 0,
	be: 0,
	lephb: 1,
	af11: 10,
	af12: 12,
	af13: 14,
	af21: 18,
	af22: 20,
	af23: 22,
	af31: 26,
	af32: 28,
	af33: 30,
	af41: 34,
	af42: 36,
	af43: 38,
	va: 44,
	ef: 46,
});
export const BOOLEAN = t({ exists: 1, missing: 0, true: 1, false: 0 });
export const LOG_LEVEL = t({ emerg: 0, alert: 1, crit: 2, err: 3, warn: 4, warning: 4, notice: 5, info: 6, debug: 7, audit: 8 });

export const DCCP_PKTTYPE = t({
	request: 0,
	response: 1,
	data: 2,
	ack: 3,
	dataack: 4,
	closereq: 5,
	close: 6,
	reset: 7,
	sync: 8,
	syncack: 9,
});

/** Mobility Header types as nft names them (`nft describe mh type`). */
export const MH_TYPE = t({
	"binding-refresh-request": 0,
	"home-test-init": 1,
	"careof-test-init": 2,
	"home-test": 3,
	"careof-test": 4,
	"binding-update": 5,
	"binding-acknowledgement": 6,
	"binding-error": 7,
	"fast-binding-update": 8,
	"fast-binding-acknowledgement": 9,
	"fast-binding-advertisement": 10,
	"experimental-mobility-header": 11,
	"home-agent-switch-message": 12,
});

const SYMBOLS: Partial<Record<Datatype, Table>> = {
	inet_proto: INET_PROTO,
	inet_service: SERVICES,
	ct_state: CT_STATE,
	ct_status: CT_STATUS,
	ct_dir: CT_DIR,
	tcp_flag: TCP_FLAG,
	icmp_type: ICMP_TYPE,
	icmpv6_type: ICMPV6_TYPE,
	icmp_code: ICMP_CODE,
	icmpv6_code: ICMPV6_CODE,
	icmpx_code: ICMPX_CODE,
	pkt_type: PKT_TYPE,
	fib_addrtype: FIB_ADDRTYPE,
	nf_proto: NF_PROTO,
	ether_type: ETHER_TYPE,
	iface_type: IFACE_TYPE,
	ecn: ECN,
	dscp: DSCP,
	boolean: BOOLEAN,
	dccp_pkttype: DCCP_PKTTYPE,
	mh_type: MH_TYPE,
};

export function symbolValue(dtype: Datatype, name: string): number | undefined {
	return SYMBOLS[dtype]?.get(name);
}

// ---------------------------------------------------------------------------------------------
// Decoding

export interface Decoded {
	readonly lo: bigint;
	readonly hi: bigint;
	readonly form: "single" | "range" | "prefix" | "wildcard";
	/** The value stands for everything outside [lo, hi] (a `meta hour` range over midnight). */
	readonly inverted?: true;
}

export type DecodeResult = Decoded | { readonly error: string };

const NUM = /^(?:0x[0-9a-fA-F]+|[0-9]+)$/;

function maxOf(width: number): bigint {
	return (1n << BigInt(width)) - 1n;
}

export function parseIpv4(s: string): bigint | undefined {
	const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
	if (m === null) return undefined;
	let v = 0n;
	for (let i = 1; i <= 4; i++) {
		const o = Number(m[i]);
		if (o > 255) return undefined;
		v = (v << 8n) | BigInt(o);
	}
	return v;
}

export function parseIpv6(s: string): bigint | undefined {
	if (!s.includes(":") || !ipaddr.IPv6.isValid(s)) return undefined;
	let v = 0n;
	for (const b of ipaddr.IPv6.parse(s).toByteArray()) v = (v << 8n) | BigInt(b);
	return v;
}

function parseMac(s: string): bigint | undefined {
	if (!/^[0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2}){5}$/.test(s)) return undefined;
	return BigInt(`0x${s.split(":").map((p) => p.padStart(2, "0")).join("")}`);
}

/** Interface or helper name as the kernel compares it: 16 bytes, NUL padded, big-endian. */
export function encodeName(name: string): bigint {
	let v = 0n;
	const n = Math.min(name.length, 16);
	for (let i = 0; i < 16; i++) v = (v << 8n) | BigInt(i < n ? name.charCodeAt(i) & 0xff : 0);
	return v;
}

/** A quoted or bare name: trailing unescaped `*` is a prefix wildcard, `\*` a literal star. */
export function decodeName(raw: string): DecodeResult {
	let wildcard = false;
	let body = raw;
	if (body.endsWith("*") && !body.endsWith("\\*")) {
		wildcard = true;
		body = body.slice(0, -1);
	}
	const name = body.replace(/\\\*/g, "*");
	if (name.length > 15 && !wildcard) return { error: `name "${name}" is longer than 15 bytes` };
	if (!wildcard) {
		const v = encodeName(name);
		return { lo: v, hi: v, form: "single" };
	}
	const lo = encodeName(name);
	const rest = 16 - Math.min(name.length, 16);
	const hi = lo | ((1n << BigInt(rest * 8)) - 1n);
	return { lo, hi, form: "wildcard" };
}

/** Seconds-based time spec (`60s`, `1h30m`, `250ms`, bare seconds) in milliseconds. */
export function parseTime(s: string): bigint | undefined {
	if (/^\d+$/.test(s)) return BigInt(s) * 1000n;
	const re = /(\d+)(ms|d|h|m|s)/gy;
	let total = 0n;
	let pos = 0;
	let m: RegExpExecArray | null;
	while ((m = re.exec(s)) !== null) {
		const n = BigInt(m[1]!);
		const mult = m[2] === "ms" ? 1n : m[2] === "s" ? 1000n : m[2] === "m" ? 60000n : m[2] === "h" ? 3600000n : 86400000n;
		total += n * mult;
		pos = re.lastIndex;
	}
	return pos === s.length && pos > 0 ? total : undefined;
}

const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/**
 * `meta time` values in ns since the epoch: "YYYY-MM-DD[ HH:MM[:SS]]" or epoch seconds. nft reads
 * dates in the loader's time zone; the simulator reads them as UTC (ipt2nft asks to load with TZ=UTC).
 */
export function parseDate(s: string): bigint | undefined {
	if (/^\d+$/.test(s)) return BigInt(s) * 1_000_000_000n;
	const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
	if (m === null) return undefined;
	const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4] ?? "0", m[5] ?? "0", m[6] ?? "0"].map(Number) as [number, number, number, number, number, number];
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return undefined;
	return BigInt(Date.UTC(y, mo - 1, d, h, mi, se) / 1000) * 1_000_000_000n;
}

/** `meta hour` values: "HH:MM[:SS]" in seconds since midnight (UTC, as for dates). */
export function parseHour(s: string): bigint | undefined {
	const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
	if (m === null) return undefined;
	const h = Number(m[1]);
	const mi = Number(m[2]);
	const se = Number(m[3] ?? "0");
	if (h > 23 || mi > 59 || se > 59) return undefined;
	return BigInt(h * 3600 + mi * 60 + se);
}

/** One scalar (no range) of the datatype. */
function scalar(dtype: Datatype, width: number, s: string): bigint | undefined {
	switch (dtype) {
		case "ipv4_addr":
			return parseIpv4(s);
		case "ipv6_addr":
			return parseIpv6(s);
		case "ether_addr":
			return parseMac(s);
		case "ifname":
		case "iface_index":
		case "string": {
			const d = decodeName(s);
			return "error" in d || d.form !== "single" ? undefined : d.lo;
		}
		case "time":
			return parseTime(s);
		case "date":
			return parseDate(s);
		case "hour":
			return parseHour(s);
		case "day": {
			const i = DAYS.indexOf(s.toLowerCase());
			if (i >= 0) return BigInt(i);
			return /^[0-6]$/.test(s) ? BigInt(s) : undefined;
		}
		case "ct_label": {
			// Bit numbers only: label names need the host's connlabel.conf.
			if (!/^\d+$/.test(s) || Number(s) > 127) return undefined;
			return 1n << BigInt(s);
		}
		case "classid": {
			// tc handles: `none`, `root`, `major:minor` in hex.
			if (s === "none") return 0n;
			if (s === "root") return 0xffffffffn;
			const m = /^([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4})$/.exec(s);
			return m === null ? undefined : (BigInt(`0x${m[1]}`) << 16n) | BigInt(`0x${m[2]}`);
		}
		default: {
			const sym = symbolValue(dtype, s);
			if (sym !== undefined) return BigInt(sym);
			if (!NUM.test(s)) return undefined;
			const v = BigInt(s);
			return v <= maxOf(width) ? v : undefined;
		}
	}
}

/**
 * Decodes a written value: a scalar, `lo-hi`, `addr/len`, or a name with a wildcard.
 * Symbol names may contain `-` (`echo-request`), so the whole word is tried first.
 */
export function decodeValue(dtype: Datatype, width: number, s: string): DecodeResult {
	if (dtype === "ifname" || dtype === "string" || dtype === "iface_index") {
		const d = decodeName(s);
		return d;
	}
	const whole = scalar(dtype, width, s);
	if (whole !== undefined) return { lo: whole, hi: whole, form: "single" };
	const slash = s.indexOf("/");
	if (slash > 0 && (dtype === "ipv4_addr" || dtype === "ipv6_addr")) {
		const addr = scalar(dtype, width, s.slice(0, slash));
		const lenText = s.slice(slash + 1);
		if (addr === undefined || !/^\d+$/.test(lenText)) return { error: `invalid prefix ${s}` };
		const len = Number(lenText);
		if (len > width) return { error: `prefix length ${len} exceeds ${width}` };
		const hostBits = maxOf(width - len);
		return { lo: addr & ~hostBits & maxOf(width), hi: (addr & ~hostBits & maxOf(width)) | hostBits, form: "prefix" };
	}
	// Ranges: try each `-` as the separator (names and addresses contain no `-` around digits).
	for (let i = s.indexOf("-"); i > 0; i = s.indexOf("-", i + 1)) {
		const lo = scalar(dtype, width, s.slice(0, i));
		const hi = scalar(dtype, width, s.slice(i + 1));
		if (lo !== undefined && hi !== undefined) {
			// nft reads a `meta hour` range over midnight as the complement of [hi, lo] (ends excluded).
			if (lo > hi && dtype === "hour") return { lo: hi, hi: lo, form: "range", inverted: true };
			if (lo > hi) return { error: `range ${s} is empty (low end above high end)` };
			return { lo, hi, form: "range" };
		}
	}
	return { error: `"${s}" is not a valid ${dtype} value` };
}

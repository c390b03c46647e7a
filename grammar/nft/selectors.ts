/**
 * Which header fields, meta keys and ct keys the grammar knows, and their datatypes.
 * `model` says whether the simulator's packet carries the field; unmodelled fields still parse
 * (so a ruleset reads), but the evaluator reports them as nft_unsupported.
 */
import type { Datatype } from "./ast.js";

export interface FieldInfo {
	readonly dtype: Datatype;
	readonly width: number;
}

const f = (dtype: Datatype, width: number): FieldInfo => ({ dtype, width });
const addr4 = f("ipv4_addr", 32);
const addr6 = f("ipv6_addr", 128);
const port = f("inet_service", 16);
const int = (w: number): FieldInfo => f("integer", w);

export const PAYLOAD: Readonly<Record<string, Readonly<Record<string, FieldInfo>>>> = {
	ip: {
		version: int(4),
		hdrlength: int(4),
		dscp: f("dscp", 6),
		ecn: f("ecn", 2),
		length: int(16),
		id: int(16),
		"frag-off": int(16),
		ttl: int(8),
		protocol: f("inet_proto", 8),
		checksum: int(16),
		saddr: addr4,
		daddr: addr4,
	},
	ip6: {
		version: int(4),
		dscp: f("dscp", 6),
		ecn: f("ecn", 2),
		flowlabel: int(20),
		length: int(16),
		nexthdr: f("inet_proto", 8),
		hoplimit: int(8),
		saddr: addr6,
		daddr: addr6,
	},
	tcp: {
		sport: port,
		dport: port,
		sequence: int(32),
		ackseq: int(32),
		doff: int(4),
		reserved: int(4),
		flags: f("tcp_flag", 8),
		window: int(16),
		checksum: int(16),
		urgptr: int(16),
	},
	udp: { sport: port, dport: port, length: int(16), checksum: int(16) },
	udplite: { sport: port, dport: port, checksum: int(16) },
	sctp: { sport: port, dport: port, vtag: int(32), checksum: int(32) },
	dccp: { sport: port, dport: port, type: f("dccp_pkttype", 4) },
	th: { sport: port, dport: port },
	icmp: {
		type: f("icmp_type", 8),
		code: f("icmp_code", 8),
		checksum: int(16),
		id: int(16),
		sequence: int(16),
		mtu: int(16),
		gateway: addr4,
	},
	icmpv6: {
		type: f("icmpv6_type", 8),
		code: f("icmpv6_code", 8),
		checksum: int(16),
		mtu: int(32),
		id: int(16),
		sequence: int(16),
		"max-delay": int(16),
	},
	ether: { saddr: f("ether_addr", 48), daddr: f("ether_addr", 48), type: f("ether_type", 16) },
	ah: { nexthdr: f("inet_proto", 8), hdrlength: int(8), reserved: int(16), spi: int(32), sequence: int(32) },
	esp: { spi: int(32), sequence: int(32) },
	comp: { nexthdr: f("inet_proto", 8), flags: int(8), cpi: int(16) },
	vlan: { id: int(12), pcp: int(3), cfi: int(1), dei: int(1), type: f("ether_type", 16) },
	arp: { htype: int(16), ptype: f("ether_type", 16), hlen: int(8), plen: int(8), operation: int(16) },
};

/** IPv6 extension headers (`frag id`, `rt seg-left`, `exthdr frag exists`). */
export const EXTHDR: Readonly<Record<string, Readonly<Record<string, FieldInfo>>>> = {
	hbh: { nexthdr: f("inet_proto", 8), hdrlength: int(8) },
	rt: { nexthdr: f("inet_proto", 8), hdrlength: int(8), type: int(8), "seg-left": int(8) },
	frag: {
		nexthdr: f("inet_proto", 8),
		reserved: int(8),
		"frag-off": int(13),
		reserved2: int(2),
		"more-fragments": int(1),
		id: int(32),
	},
	dst: { nexthdr: f("inet_proto", 8), hdrlength: int(8) },
	mh: { nexthdr: f("inet_proto", 8), hdrlength: int(8), type: f("mh_type", 8), reserved: int(8), checksum: int(16) },
};

export const META: Readonly<Record<string, FieldInfo>> = {
	length: int(32),
	protocol: f("ether_type", 16),
	nfproto: f("nf_proto", 8),
	l4proto: f("inet_proto", 8),
	priority: f("classid", 32),
	mark: f("mark", 32),
	iif: f("iface_index", 128),
	iifname: f("ifname", 128),
	iiftype: f("iface_type", 16),
	oif: f("iface_index", 128),
	oifname: f("ifname", 128),
	oiftype: f("iface_type", 16),
	skuid: f("uid", 32),
	skgid: f("gid", 32),
	nftrace: int(1),
	rtclassid: int(32),
	secmark: int(32),
	pkttype: f("pkt_type", 8),
	cpu: int(32),
	iifgroup: int(32),
	oifgroup: int(32),
	cgroup: int(32),
	random: int(32),
	secpath: f("boolean", 1),
	ibrname: f("ifname", 128),
	obrname: f("ifname", 128),
	iifkind: f("string", 128),
	oifkind: f("string", 128),
	sdif: f("iface_index", 128),
	sdifname: f("ifname", 128),
	time: f("date", 64),
	day: f("day", 8),
	hour: f("hour", 32),
};

/** Meta keys nft accepts without the `meta` keyword. */
export const BARE_META: ReadonlySet<string> = new Set([
	"mark",
	"iif",
	"iifname",
	"iiftype",
	"oif",
	"oifname",
	"oiftype",
	"skuid",
	"skgid",
	"nftrace",
	"rtclassid",
	"ibrname",
	"obrname",
	"pkttype",
	"cpu",
	"iifgroup",
	"oifgroup",
	"cgroup",
	"time",
	"day",
	"hour",
]);

/** ct keys; saddr/daddr take their type from the family. */
export const CT: Readonly<Record<string, FieldInfo>> = {
	state: f("ct_state", 32),
	direction: f("ct_dir", 8),
	status: f("ct_status", 32),
	mark: f("mark", 32),
	expiration: f("time", 64),
	helper: f("string", 128),
	l3proto: f("nf_proto", 8),
	protocol: f("inet_proto", 8),
	"proto-src": port,
	"proto-dst": port,
	zone: int(16),
	label: f("ct_label", 128),
	bytes: int(64),
	packets: int(64),
	avgpkt: int(64),
	id: int(32),
	secmark: int(32),
	saddr: addr4,
	daddr: addr4,
};

/** `tcp option NAME` kinds and the fields nft knows for them. */
export const TCP_OPTIONS: Readonly<Record<string, { readonly kind: number; readonly fields: Readonly<Record<string, FieldInfo>> }>> = {
	eol: { kind: 0, fields: {} },
	nop: { kind: 1, fields: {} },
	maxseg: { kind: 2, fields: { length: int(8), size: int(16) } },
	window: { kind: 3, fields: { length: int(8), count: int(8) } },
	"sack-perm": { kind: 4, fields: { length: int(8) } },
	sack: { kind: 5, fields: { length: int(8), left: int(32), right: int(32) } },
	sack0: { kind: 5, fields: { left: int(32), right: int(32) } },
	timestamp: { kind: 8, fields: { length: int(8), tsval: int(32), tsecr: int(32) } },
	md5sig: { kind: 19, fields: {} },
	mptcp: { kind: 30, fields: { subtype: int(4) } },
	fastopen: { kind: 34, fields: {} },
};

/** Names allowed after `type` in a set declaration. */
export const SET_TYPES: ReadonlyMap<string, FieldInfo> = new Map([
	["ipv4_addr", addr4],
	["ipv6_addr", addr6],
	["ether_addr", f("ether_addr", 48)],
	["ether_type", f("ether_type", 16)],
	["inet_proto", f("inet_proto", 8)],
	["inet_service", port],
	["nf_proto", f("nf_proto", 8)],
	["mark", f("mark", 32)],
	["ifname", f("ifname", 128)],
	["iface_index", f("iface_index", 128)],
	["iface_type", f("iface_type", 16)],
	["ct_state", f("ct_state", 32)],
	["ct_status", f("ct_status", 32)],
	["tcp_flag", f("tcp_flag", 8)],
	["icmp_type", f("icmp_type", 8)],
	["icmpv6_type", f("icmpv6_type", 8)],
	["icmp_code", f("icmp_code", 8)],
	["icmpv6_code", f("icmpv6_code", 8)],
	["pkt_type", f("pkt_type", 8)],
	["fib_addrtype", f("fib_addrtype", 32)],
	["dscp", f("dscp", 6)],
	["ecn", f("ecn", 2)],
	["uid", f("uid", 32)],
	["gid", f("gid", 32)],
	["integer", int(32)],
	["verdict", f("verdict", 32)],
]);

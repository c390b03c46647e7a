/**
 * Golden cases for the header, QoS, routing, IPsec, time and socket extensions (hl … socket) and
 * their targets. Spellings were checked with nft 1.0.6 (`nft -c`); where upstream's txlate
 * vectors are wrong the case says why.
 */
import { ip4, ip6, neg, port, v4 } from "../build.js";
import type { Case } from "./cases.js";

const tcp = 6;
const udp = 17;

export const EXT_CASES: readonly Case[] = [
	// ----- ttl / hl
	{ name: "ttl eq", rule: { matches: [{ kind: "hl", op: "eq", value: 3 }], target: { kind: "accept" } }, nft: ["ip ttl 3 accept"] },
	{ name: "ttl gt", rule: { matches: [{ kind: "hl", op: "gt", value: 5 }], target: { kind: "accept" } }, nft: ["ip ttl > 5 accept"] },
	{ name: "hl eq 255 (NDP)", family: "ip6", rule: { proto: neg(58), matches: [{ kind: "icmpv6", spec: neg({ type: 135, codeLo: 0, codeHi: 255 }) }, { kind: "hl", op: "eq", value: 255 }], target: { kind: "accept" } }, nft: ["icmpv6 type nd-neighbor-solicit ip6 hoplimit 255 accept"] },
	{ name: "hl ne / lt", family: "ip6", rule: { matches: [{ kind: "hl", op: "ne", value: 3 }, { kind: "hl", op: "lt", value: 9 }], target: { kind: "drop" } }, nft: ["ip6 hoplimit != 3 ip6 hoplimit < 9 drop"] },
	{ name: "TTL set", table: "mangle", chain: "PREROUTING", rule: { target: { kind: "hl-set", op: "set", value: 64 } }, nft: ["ip ttl set 64"] },
	{ name: "HL set", family: "ip6", table: "mangle", chain: "POSTROUTING", rule: { target: { kind: "hl-set", op: "set", value: 1 } }, nft: ["ip6 hoplimit set 1"] },
	{ name: "TTL dec refused", table: "mangle", chain: "PREROUTING", rule: { target: { kind: "hl-set", op: "dec", value: 1 } }, nft: [], codes: ["inexpressible"] },
	// ----- rt / frag / ah / esp
	{ name: "rt type 0 segsleft 0", family: "ip6", rule: { matches: [{ kind: "rt", type: neg(0), segsleft: neg(port(0)) }], target: { kind: "drop" } }, nft: ["rt type 0 rt seg-left 0 drop"] },
	{ name: "rt segsleft range negated", family: "ip6", rule: { matches: [{ kind: "rt", segsleft: neg(port(13, 42), true) }], target: { kind: "accept" } }, nft: ["rt seg-left != 13-42 accept"] },
	// xt_rt compares --rt-len with (hdrlength + 1) * 8 bytes; upstream prints the raw number.
	{ name: "rt len in bytes", family: "ip6", rule: { matches: [{ kind: "rt", len: neg(24) }], target: { kind: "drop" } }, nft: ["rt hdrlength 2 drop"] },
	{ name: "rt len not a multiple of 8 never matches", family: "ip6", rule: { matches: [{ kind: "rt", len: neg(22) }], target: { kind: "drop" } }, nft: [], codes: ["lossy_translation"] },
	{ name: "rt segsleft full range: header exists", family: "ip6", rule: { matches: [{ kind: "rt", segsleft: neg({ lo: 0, hi: 0xffffffff }) }], target: { kind: "accept" } }, nft: ["rt seg-left 0-255 accept"] },
	{ name: "rt alone: exists", family: "ip6", rule: { matches: [{ kind: "rt" }], target: { kind: "accept" } }, nft: ["exthdr rt exists accept"] },
	{ name: "rt-0-addrs refused", family: "ip6", rule: { matches: [{ kind: "rt", type: neg(0), addrs: [ip6("::1")] }], target: { kind: "drop" } }, nft: [], codes: ["unsupported_option"] },
	{ name: "frag id range", family: "ip6", rule: { matches: [{ kind: "frag", id: neg(port(100, 200)) }], target: { kind: "accept" } }, nft: ["frag id 100-200 accept"] },
	// --fragres matches when the reserved fields are zero (upstream writes `frag reserved 1`).
	{ name: "frag res/more", family: "ip6", rule: { matches: [{ kind: "frag", id: neg(port(100)), reserved: true, more: true }], target: { kind: "accept" } }, nft: ["frag id 100 frag reserved 0 frag reserved2 0 frag more-fragments 1 accept"] },
	{ name: "frag first / last", family: "ip6", rule: { matches: [{ kind: "frag", first: true, last: true }], target: { kind: "accept" } }, nft: ["frag frag-off 0 frag more-fragments 0 accept"] },
	{ name: "frag alone: exists", family: "ip6", rule: { matches: [{ kind: "frag" }], target: { kind: "accept" } }, nft: ["exthdr frag exists accept"] },
	{ name: "esp spi", rule: { proto: neg(50), matches: [{ kind: "esp", spi: neg(port(500, 600)) }], target: { kind: "drop" } }, nft: ["esp spi 500-600 drop"] },
	{ name: "esp spi full range: protocol only", rule: { proto: neg(50), matches: [{ kind: "esp", spi: neg({ lo: 0, hi: 0xffffffff }) }], target: { kind: "drop" } }, nft: ["ip protocol esp drop"] },
	{ name: "ah spi negated (ip)", rule: { proto: neg(51), matches: [{ kind: "ah", spi: neg(port(50), true) }], target: { kind: "drop" } }, nft: ["ah spi != 50 drop"] },
	{ name: "ip6 ah refused", family: "ip6", rule: { matches: [{ kind: "ah", spi: neg(port(500)) }], target: { kind: "drop" } }, nft: [], codes: ["inexpressible"] },
	// ----- sctp / dccp
	{ name: "sctp dport", rule: { proto: neg(132), matches: [{ kind: "sctp", dport: neg(port(50000)) }], target: { kind: "accept" } }, nft: ["sctp dport 50000 accept"] },
	{ name: "sctp ports negated", rule: { proto: neg(132), matches: [{ kind: "sctp", sport: neg(port(50, 55), true), dport: neg(port(80)) }], target: { kind: "accept" } }, nft: ["sctp sport != 50-55 sctp dport 80 accept"] },
	{ name: "sctp chunk all", rule: { proto: neg(132), matches: [{ kind: "sctp", chunks: neg({ mode: "all" as const, list: [{ type: 1 }, { type: 3 }] }) }], target: { kind: "accept" } }, nft: ["sctp chunk init exists sctp chunk sack exists accept"] },
	{ name: "sctp chunk any: exclusive alternatives", rule: { proto: neg(132), matches: [{ kind: "sctp", chunks: neg({ mode: "any" as const, list: [{ type: 1 }, { type: 6 }] }) }], target: { kind: "drop" } }, nft: ["sctp chunk init exists drop", "sctp chunk init missing sctp chunk abort exists drop"] },
	{ name: "sctp chunk flags refused", rule: { proto: neg(132), matches: [{ kind: "sctp", chunks: neg({ mode: "all" as const, list: [{ type: 6, flags: { value: 1, mask: 1 } }] }) }], target: { kind: "drop" } }, nft: [], codes: ["unsupported_option"] },
	{ name: "dccp ports and types", rule: { proto: neg(33), matches: [{ kind: "dccp", dport: neg(port(100)), types: neg([0, 1, 10, 11, 12, 13, 14, 15]) }], target: { kind: "accept" } }, nft: ["dccp dport 100 dccp type { request, response, 10-15 } accept"] },
	// ----- dscp / tos / ecn
	{ name: "dscp", rule: { matches: [{ kind: "dscp", dscp: neg(0x32) }], target: { kind: "accept" } }, nft: ["ip dscp 0x32 accept"] },
	{ name: "dscp ip6 negated", family: "ip6", rule: { matches: [{ kind: "dscp", dscp: neg(0x2e, true) }], target: { kind: "accept" } }, nft: ["ip6 dscp != 0x2e accept"] },
	{ name: "tos full byte", rule: { matches: [{ kind: "tos", tos: neg({ value: 0x10, mask: 0xff }) }], target: { kind: "accept" } }, nft: ["ip dscp 0x04 ip ecn not-ect accept"] },
	{ name: "tos name (dscp bits only) negated", rule: { matches: [{ kind: "tos", tos: neg({ value: 0x10, mask: 0x3f << 2 }, true) }], target: { kind: "accept" } }, nft: ["ip dscp != 0x04 accept"] },
	{ name: "tos full byte negated: two alternatives", rule: { matches: [{ kind: "tos", tos: neg({ value: 0x11, mask: 0xff }, true) }], target: { kind: "accept" } }, nft: ["ip dscp != 0x04 accept", "ip dscp 0x04 ip ecn != ect1 accept"] },
	{ name: "tos partial mask refused", rule: { matches: [{ kind: "tos", tos: neg({ value: 0x10, mask: 0x3f }) }], target: { kind: "accept" } }, nft: [], codes: ["unsupported_option"] },
	{ name: "ecn ip ect", rule: { matches: [{ kind: "ecn", ipEct: neg(3, true) }], target: { kind: "accept" } }, nft: ["ip ecn != ce accept"] },
	{ name: "ecn tcp flags", rule: { proto: neg(tcp), matches: [{ kind: "ecn", ece: neg(true as const, true), cwr: neg(true as const) }], target: { kind: "accept" } }, nft: ["tcp flags & (ecn) == 0 tcp flags & (cwr) != 0 accept"] },
	{ name: "DSCP set", table: "mangle", chain: "OUTPUT", rule: { target: { kind: "dscp-set", dscp: 1 } }, nft: ["ip dscp set 0x01"] },
	{ name: "TOS set full byte", family: "ip6", table: "mangle", chain: "OUTPUT", rule: { target: { kind: "tos-set", value: 0x1f, mask: 0xff } }, nft: ["ip6 dscp set 0x07 ip6 ecn set ce"] },
	{ name: "TOS and refused", table: "mangle", chain: "OUTPUT", rule: { target: { kind: "tos-set", value: 0, mask: 0xed } }, nft: [], codes: ["inexpressible"] },
	// ----- rpfilter / physdev / policy
	{ name: "rpfilter strict", table: "mangle", chain: "PREROUTING", rule: { matches: [{ kind: "rpfilter", loose: false, validmark: false, acceptLocal: false, invert: false }], target: { kind: "accept" } }, nft: [
			"fib saddr . iif oif exists fib saddr . iif type != broadcast accept",
			"fib saddr . iif oif exists fib saddr . iif type broadcast ip saddr { 0.0.0.0/8, 127.0.0.0/8, 255.255.255.255 } accept",
		] },
	// xt_rpfilter fails a source that is a subnet broadcast of the input device; nft_fib would pass it.
	{ name: "rpfilter invert: broadcast sources fail too", table: "raw", chain: "PREROUTING", rule: { matches: [{ kind: "rpfilter", loose: false, validmark: false, acceptLocal: false, invert: true }], target: { kind: "drop" } }, nft: ["fib saddr . iif oif missing drop", "fib saddr . iif type broadcast ip saddr != { 0.0.0.0/8, 127.0.0.0/8, 255.255.255.255 } drop"] },
	// ip6t_rpfilter passes every packet from :: (nft_fib6 only ICMPv6 to link-scope addresses).
	{ name: "rpfilter ip6 strict: :: passes", family: "ip6", table: "raw", chain: "PREROUTING", rule: { matches: [{ kind: "rpfilter", loose: false, validmark: false, acceptLocal: false, invert: false }], target: { kind: "accept" } }, nft: ["ip6 saddr :: accept", "ip6 saddr != :: fib saddr . iif oif exists accept"] },
	{ name: "rpfilter invert validmark", family: "ip6", table: "raw", chain: "PREROUTING", rule: { matches: [{ kind: "rpfilter", loose: false, validmark: true, acceptLocal: false, invert: true }], target: { kind: "drop" } }, nft: ["ip6 saddr != :: fib saddr . mark . iif oif missing drop"] },
	{ name: "rpfilter loose refused", table: "raw", chain: "PREROUTING", rule: { matches: [{ kind: "rpfilter", loose: true, validmark: false, acceptLocal: false, invert: false }], target: { kind: "drop" } }, nft: [], codes: ["unsupported_option"] },
	{ name: "physdev refused", chain: "FORWARD", rule: { matches: [{ kind: "physdev", isBridged: neg(true as const) }], target: { kind: "accept" } }, nft: [], codes: ["inexpressible"] },
	{ name: "policy in ipsec", table: "mangle", chain: "PREROUTING", rule: { matches: [{ kind: "policy", dir: "in", pol: "ipsec", strict: false, elems: [] }], target: { kind: "nflog", group: 5 } }, nft: ["meta secpath exists log group 5"] },
	{ name: "policy in none", rule: { matches: [{ kind: "policy", dir: "in", pol: "none", strict: false, elems: [] }], target: { kind: "accept" } }, nft: ["meta secpath missing accept"] },
	{ name: "policy out ipsec", chain: "OUTPUT", rule: { matches: [{ kind: "policy", dir: "out", pol: "ipsec", strict: false, elems: [] }], target: { kind: "accept" } }, nft: ["rt ipsec exists accept"] },
	{ name: "policy reqid refused", rule: { matches: [{ kind: "policy", dir: "in", pol: "ipsec", strict: false, elems: [{ reqid: neg(5) }] }], target: { kind: "accept" } }, nft: [], codes: ["unsupported_option"] },
	// ----- time / string
	{ name: "time of day and weekdays (lossy: time zone)", chain: "FORWARD", rule: { proto: neg(tcp), matches: [{ kind: "tcp", sport: neg(port(410, 415)) }, { kind: "time", timeStart: 6 * 3600 + 59 * 60, timeStop: 23 * 3600 + 59 * 60, weekdays: 0b00111110, monthdays: 0xfffffffe, utc: true, contiguous: false }], target: { kind: "drop" } }, nft: ['tcp sport 410-415 meta hour "06:59:00"-"23:59:00" meta day { 1, 2, 3, 4, 5 } drop'], codes: ["lossy_translation"] },
	{ name: "time dates", rule: { matches: [{ kind: "time", dateStart: 1580256000, timeStart: 0, timeStop: 86399, weekdays: 0xfe, monthdays: 0xfffffffe, utc: true, contiguous: false }], target: { kind: "drop" } }, nft: ['meta time >= "2020-01-29 00:00:00" meta time < "2038-01-19 03:14:08" drop'], codes: ["lossy_translation"] },
	// xt_time compares whole seconds: the stop date holds for its whole second, nft's ns clock needs `<` the next.
	{ name: "time datestop", rule: { matches: [{ kind: "time", dateStop: 1611878400, timeStart: 0, timeStop: 86399, weekdays: 0xfe, monthdays: 0xfffffffe, utc: true, contiguous: false }], target: { kind: "drop" } }, nft: ['meta time < "2021-01-29 00:00:01" drop'], codes: ["lossy_translation"] },
	// Over midnight xt_time includes both ends; nft's reversed range "22:00:00"-"06:00:00" would exclude them.
	{ name: "time over midnight", rule: { matches: [{ kind: "time", timeStart: 22 * 3600, timeStop: 6 * 3600, weekdays: 0xfe, monthdays: 0xfffffffe, utc: true, contiguous: false }], target: { kind: "drop" } }, nft: ['meta hour != "06:00:01"-"21:59:59" drop'], codes: ["lossy_translation"] },
	{ name: "time start == stop is the whole day", rule: { matches: [{ kind: "time", timeStart: 3600, timeStop: 3600, weekdays: 0b100, monthdays: 0xfffffffe, utc: true, contiguous: false }], target: { kind: "drop" } }, nft: ["meta day 2 drop"], codes: ["lossy_translation"] },
	{ name: "time all days: no condition", rule: { matches: [{ kind: "time", timeStart: 0, timeStop: 86399, weekdays: 0xfe, monthdays: 0xfffffffe, utc: true, contiguous: false }], target: { kind: "drop" } }, nft: ["drop"] },
	{ name: "time monthdays refused", rule: { matches: [{ kind: "time", timeStart: 0, timeStop: 86399, weekdays: 0xfe, monthdays: 0b110, utc: true, contiguous: false }], target: { kind: "drop" } }, nft: [], codes: ["inexpressible"] },
	{ name: "string refused", rule: { matches: [{ kind: "string", algo: "bm", pattern: neg("X-Kazaa-User"), from: 0, to: 65535, icase: false }], target: { kind: "drop" } }, nft: [], codes: ["inexpressible"] },
	// ----- helper / devgroup / realm / cpu / cgroup / nfacct / socket
	{ name: "helper", chain: "FORWARD", rule: { matches: [{ kind: "helper", name: neg("sip") }], target: { kind: "accept" } }, nft: ['ct helper "sip" accept'] },
	// Without a master helper xt_helper returns its inversion (`! --helper ftp` matches) where
	// `ct helper != "ftp"` has nothing to load and does not match (upstream's txlate is wrong).
	{ name: "helper negated refused", chain: "FORWARD", rule: { matches: [{ kind: "helper", name: neg("ftp", true) }], target: { kind: "accept" } }, nft: [], codes: ["inexpressible"] },
	// xt_helper compares strlen(helper) bytes: "sipx" also matches the sip helper.
	{ name: "helper name another helper prefixes refused", chain: "FORWARD", rule: { matches: [{ kind: "helper", name: neg("sipx") }], target: { kind: "accept" } }, nft: [], codes: ["unsupported_option"] },
	{ name: "devgroup", chain: "FORWARD", rule: { matches: [{ kind: "devgroup", src: neg({ value: 2, mask: 0xffffffff }, true), dst: neg({ value: 0xc, mask: 0xc }) }], target: { kind: "accept" } }, nft: ["meta iifgroup != 0x02 meta oifgroup & 0xc == 0x0c accept"] },
	{ name: "realm masked", table: "mangle", chain: "PREROUTING", rule: { matches: [{ kind: "realm", realm: neg({ value: 1, mask: 0xf }) }], target: { kind: "accept" } }, nft: ["meta rtclassid & 0xf == 0x01 accept"] },
	// xt_realm compares the id unmasked: an id with bits outside the mask never matches.
	{ name: "realm id outside mask never matches", table: "mangle", chain: "POSTROUTING", rule: { matches: [{ kind: "realm", realm: neg({ value: 0x15, mask: 0xf }) }], target: { kind: "accept" } }, nft: [], codes: ["lossy_translation"] },
	{ name: "realm id outside mask negated: always", table: "mangle", chain: "POSTROUTING", rule: { matches: [{ kind: "realm", realm: neg({ value: 0x15, mask: 0xf }, true) }], target: { kind: "accept" } }, nft: ["accept"] },
	{ name: "cpu", rule: { proto: neg(tcp), matches: [{ kind: "tcp", dport: neg(port(80)) }, { kind: "cpu", cpu: neg(1, true) }], target: { kind: "accept" } }, nft: ["tcp dport 80 meta cpu != 1 accept"] },
	{ name: "cgroup classid", chain: "OUTPUT", rule: { matches: [{ kind: "cgroup", classid: neg(0x100001) }], target: { kind: "accept" } }, nft: ["meta cgroup 1048577 accept"] },
	// Without `nfacct list` the object is assumed quota-less (always matches): a named counter.
	{ name: "nfacct named counter", rule: { matches: [{ kind: "nfacct", name: "x" }], target: { kind: "drop" } }, nft: ['counter name "x" drop'], codes: ["assumed_host_state"] },
	{ name: "socket transparent", table: "mangle", chain: "PREROUTING", rule: { proto: neg(tcp), matches: [{ kind: "socket", transparent: true, nowildcard: false, restoreSkmark: false }], target: { kind: "accept" } }, nft: ["ip protocol tcp socket wildcard 0 socket transparent 1 accept"] , codes: ["lossy_translation"] },
	{ name: "socket nowildcard", table: "mangle", chain: "PREROUTING", rule: { matches: [{ kind: "socket", transparent: false, nowildcard: true, restoreSkmark: false }], target: { kind: "accept" } }, nft: ["socket transparent 0-1 accept"] },
	// `socket wildcard` cannot load TIME_WAIT sockets, which xt_socket matches: lossy, reported.
	{ name: "socket nowildcard transparent", table: "mangle", chain: "PREROUTING", rule: { matches: [{ kind: "socket", transparent: true, nowildcard: true, restoreSkmark: false }], target: { kind: "accept" } }, nft: ["socket transparent 1 accept"] },
	// ----- CT / CHECKSUM / TPROXY / CLASSIFY / AUDIT
	{ name: "CT zone", table: "raw", chain: "OUTPUT", rule: { proto: neg(udp), matches: [{ kind: "udp", dport: neg(port(53)) }], target: { kind: "ct", zone: { id: 1 } } }, nft: ["udp dport 53 ct zone set 1"] },
	{ name: "CT zone-orig", table: "raw", chain: "PREROUTING", rule: { target: { kind: "ct", zone: { id: 3, dir: "orig" } } }, nft: ["ct original zone set 3"] },
	{ name: "CT zone mark refused", table: "raw", chain: "PREROUTING", rule: { target: { kind: "ct", zone: { id: "mark" } } }, nft: [], codes: ["inexpressible"] },
	// Moves to a `ct helper` object and a chain after conntrack (its goldens: ct-helper.test.ts); nothing stays in raw.
	{ name: "CT helper leaves the raw chain", table: "raw", chain: "PREROUTING", rule: { proto: neg(tcp), matches: [{ kind: "tcp", dport: neg(port(21)) }], target: { kind: "ct", helper: "ftp" } }, nft: [] },
	{ name: "CT helper without -p refused", table: "raw", chain: "PREROUTING", rule: { target: { kind: "ct", helper: "ftp" } }, nft: [], codes: ["inexpressible"] },
	{ name: "CHECKSUM left out", table: "mangle", chain: "POSTROUTING", rule: { oif: neg({ name: "virbr0", wildcard: false }), proto: neg(udp), matches: [{ kind: "udp", dport: neg(port(68)) }], target: { kind: "checksum-fill" } }, nft: [], codes: ["lossy_translation"] },
	{ name: "TPROXY with mark: drop when no socket", table: "mangle", chain: "PREROUTING", rule: { proto: neg(tcp), dst: neg({ fam: 4, addr: ip4("127.0.0.1"), mask: 0xffffffffn, prefixLen: 32 }, true), target: { kind: "tproxy", fam: 4, port: 15006, mark: { value: 1337, mask: 0xffffffff } } }, nft: ["ip daddr != 127.0.0.1 ip protocol tcp tproxy to :15006 meta mark set 0x00000539 accept", "ip daddr != 127.0.0.1 ip protocol tcp drop"] },
	{ name: "TPROXY ip6 address masked mark", family: "ip6", table: "mangle", chain: "PREROUTING", rule: { proto: neg(tcp), target: { kind: "tproxy", fam: 6, port: 12345, addr: ip6("dead::beef"), mark: { value: 0x23, mask: 0xffff } } }, nft: ["meta l4proto tcp tproxy to [dead::beef]:12345 meta mark set meta mark & 0xffff0000 ^ 0x00000023 accept", "meta l4proto tcp drop"] },
	{ name: "TPROXY address only", table: "mangle", chain: "PREROUTING", rule: { proto: neg(udp), target: { kind: "tproxy", fam: 4, port: 0, addr: ip4("10.0.0.1") } }, nft: ["ip protocol udp tproxy to 10.0.0.1 accept", "ip protocol udp drop"] },
	{ name: "CLASSIFY", table: "mangle", chain: "POSTROUTING", rule: { target: { kind: "classify", major: 1, minor: 0x234 } }, nft: ["meta priority set 1:234"] },
	{ name: "AUDIT", rule: { target: { kind: "audit", type: "drop" } }, nft: ["log level audit"] },
	// ----- NETMAP: `prefix` keeps the host bits (NF_NAT_RANGE_NETMAP); the hook picks dnat or snat
	{ name: "NETMAP prerouting", table: "nat", chain: "PREROUTING", rule: { dst: neg(v4("192.0.2.0/24")), target: { kind: "netmap", fam: 4, addr: ip4("10.1.2.0"), len: 24 } }, nft: ["ip daddr 192.0.2.0/24 dnat prefix to 10.1.2.0/24"] },
	{ name: "NETMAP output", table: "nat", chain: "OUTPUT", rule: { target: { kind: "netmap", fam: 4, addr: ip4("10.9.0.0"), len: 16 } }, nft: ["dnat prefix to 10.9.0.0/16"] },
	{ name: "NETMAP postrouting", table: "nat", chain: "POSTROUTING", rule: { src: neg(v4("10.1.2.0/24")), target: { kind: "netmap", fam: 4, addr: ip4("192.0.2.0"), len: 24 } }, nft: ["ip saddr 10.1.2.0/24 snat prefix to 192.0.2.0/24"] },
	{ name: "NETMAP input", table: "nat", chain: "INPUT", rule: { target: { kind: "netmap", fam: 4, addr: ip4("1.2.3.4"), len: 32 } }, nft: ["snat prefix to 1.2.3.4/32"] },
	{ name: "NETMAP ip6", family: "ip6", table: "nat", chain: "PREROUTING", rule: { target: { kind: "netmap", fam: 6, addr: ip6("dead::"), len: 64 } }, nft: ["dnat prefix to dead::/64"] },
	// ----- TCPOPTSTRIP: one reset per kind, names where nft 1.0.6 has one
	{ name: "TCPOPTSTRIP", table: "mangle", chain: "FORWARD", rule: { proto: neg(tcp), target: { kind: "tcpoptstrip", options: [2, 3, 4, 5, 7, 8, 19] } }, nft: ["ip protocol tcp reset tcp option maxseg reset tcp option window reset tcp option sack-perm reset tcp option sack reset tcp option 7 reset tcp option timestamp reset tcp option md5sig"], codes: ["lossy_translation"] },
	{ name: "TCPOPTSTRIP ip6", family: "ip6", table: "mangle", chain: "OUTPUT", rule: { proto: neg(tcp), target: { kind: "tcpoptstrip", options: [4] } }, nft: ["meta l4proto tcp reset tcp option sack-perm"], codes: ["lossy_translation"] },
	{ name: "TCPOPTSTRIP without options strips nothing", table: "mangle", chain: "FORWARD", rule: { proto: neg(tcp), target: { kind: "tcpoptstrip", options: [] } }, nft: ["ip protocol tcp"] },
	// ----- HMARK / SECMARK / CONNSECMARK: refused with the nearest nft construct as a hint
	{ name: "HMARK refused", rule: { target: { kind: "hmark", ct: false, srcPrefix: 32, dstPrefix: 32, rnd: 4, mod: 42, offset: 1 } }, nft: [], codes: ["inexpressible"] },
	{ name: "SECMARK refused", table: "security", rule: { target: { kind: "secmark", selctx: "system_u:object_r:ssh_server_packet_t:s0" } }, nft: [], codes: ["unsupported_extension"] },
	// ----- CONNSECMARK: the copy with xt_CONNSECMARK's two conditions (masked: nft 1.0.6 refuses `meta secmark != 0`)
	{ name: "CONNSECMARK save", table: "security", rule: { target: { kind: "connsecmark", mode: "save" } }, nft: ["meta secmark & 0xffffffff != 0 ct secmark & 0xffffffff == 0 ct secmark set meta secmark"] },
	{ name: "CONNSECMARK restore keeps the counter first", table: "mangle", chain: "PREROUTING", counters: true, rule: { target: { kind: "connsecmark", mode: "restore" } }, nft: ["counter ct secmark & 0xffffffff != 0 meta secmark & 0xffffffff == 0 meta secmark set ct secmark"] },
	// ----- connbytes / connlabel / cluster (more in ct-ext.test.ts)
	{ name: "connbytes range", rule: { matches: [{ kind: "connbytes", from: 200n, to: 600n, dir: "both", mode: "bytes" }], target: { kind: "accept" } }, nft: ["ct bytes 200-600 accept"] },
	{ name: "connlabel set", rule: { matches: [{ kind: "connlabel", bit: 40, neg: false, set: true }], target: { kind: "accept" } }, nft: ["ct label set 40 ct label 40 accept"] },
	{ name: "cluster", table: "mangle", chain: "PREROUTING", rule: { matches: [{ kind: "cluster", totalNodes: 2, nodeMask: 1, seed: 0xdeadbeef, neg: false }], target: { kind: "accept" } }, nft: ["meta pkttype multicast ip daddr != 224.0.0.0/4 meta pkttype set host", "jhash ct original ip saddr mod 2 seed 0xdeadbeef 0 accept"], codes: ["assumed_host_state"] },
	// ----- u32 (more in u32.test.ts)
	{ name: "u32 fixed offset", rule: { matches: [{ kind: "u32", neg: false, tests: [{ start: 6, ops: [{ op: "&", n: 0xff }], ranges: [{ lo: 6, hi: 6 }] }] }], target: { kind: "accept" } }, nft: ["@nh,48,32 & 0xff == 6 accept"] },
];

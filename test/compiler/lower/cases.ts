/**
 * Golden cases: one ipt rule (hand-built IR) -> the exact nft rule line(s) it must become, or the
 * diagnostic code it must produce. Every emitted case is also checked with the real `nft -c`
 * (batched, see lower.test.ts). Spellings follow upstream's txlate vectors except where those are
 * wrong (noted per case).
 */
import type { Code } from "../../../compiler/ir/diagnostics.js";
import type * as ipt from "../../../compiler/ir/ipt.js";
import { ip4, ip6, neg, port, v4, v6, type RuleSpec } from "../build.js";
import { EXT_CASES } from "./cases-ext.js";
import { MISC_CASES } from "./cases-misc.js";
import { EXTHDR_CASES } from "./cases-exthdr.js";

export interface Case {
	readonly name: string;
	readonly family?: ipt.Family; // default ip
	readonly table?: ipt.TableName; // default filter
	readonly chain?: string; // default INPUT (or PREROUTING/POSTROUTING for nat cases as given)
	readonly rule: RuleSpec;
	/** Expected rule lines in the chain (empty: no rule emitted). */
	readonly nft?: readonly string[];
	/** Expected diagnostic codes (in order). */
	readonly codes?: readonly Code[];
	/** Lower with counters. */
	readonly counters?: boolean;
	/** The kernel here lacks the module for this statement: nft -c fails with ENOENT after parsing. */
	readonly kernelMissing?: boolean;
	/** nft 1.0.6 cannot read this case back from JSON (`meta mark set socket mark`; compile() reports it). */
	readonly jsonUnsupported?: boolean;
}

const tcp = 6;
const udp = 17;
const flags = { random: false, randomFully: false, persistent: false };
const logDefaults = { level: 4 as const, tcpSequence: false, tcpOptions: false, ipOptions: false, uid: false, macDecode: false };

export const CASES: readonly Case[] = [
	// ----- generic
	{ name: "accept all", rule: { target: { kind: "accept" } }, nft: ["accept"] },
	{ name: "drop", rule: { target: { kind: "drop" } }, nft: ["drop"] },
	{ name: "return", chain: "USER", rule: { target: { kind: "return" } }, nft: ["return"] },
	{ name: "jump", rule: { target: { kind: "jump", chain: "USER" } }, nft: ["jump USER"] },
	{ name: "goto", rule: { target: { kind: "goto", chain: "USER" } }, nft: ["goto USER"] },
	{ name: "no target, no counters: nothing to emit", rule: {}, nft: [] },
	{ name: "no target with counters", counters: true, rule: { counters: { packets: 5n, bytes: 300n } }, nft: ["counter packets 5 bytes 300"] },
	{ name: "counters before verdict", counters: true, rule: { target: { kind: "accept" } }, nft: ["counter accept"] },
	{ name: "iifname exact", rule: { iif: neg({ name: "eth0", wildcard: false }), target: { kind: "accept" } }, nft: ['iifname "eth0" accept'] },
	{ name: "iifname wildcard", rule: { iif: neg({ name: "eth", wildcard: true }), target: { kind: "accept" } }, nft: ['iifname "eth*" accept'] },
	{ name: "oifname negated wildcard", chain: "OUTPUT", rule: { oif: neg({ name: "veth", wildcard: true }, true), target: { kind: "drop" } }, nft: ['oifname != "veth*" drop'] },
	{ name: "literal * in name escaped", rule: { iif: neg({ name: "*", wildcard: false }), target: { kind: "accept" } }, nft: ['iifname "\\*" accept'] },
	{ name: "literal * inside wildcard name", rule: { iif: neg({ name: "eth*foo*", wildcard: true }), target: { kind: "accept" } }, nft: ['iifname "eth*foo**" accept'] },
	{ name: "inner literal * needs no escape", rule: { iif: neg({ name: "a*b", wildcard: false }), target: { kind: "accept" } }, nft: ['iifname "a*b" accept'] },
	{ name: "trailing literal * escaped", rule: { iif: neg({ name: "ab*", wildcard: false }), target: { kind: "accept" } }, nft: ['iifname "ab\\*" accept'] },
	{ name: "-i + matches all", rule: { iif: neg({ name: "", wildcard: true }), target: { kind: "accept" } }, nft: ["accept"] },
	{ name: "! -i + never matches", rule: { iif: neg({ name: "", wildcard: true }, true), target: { kind: "accept" } }, nft: [], codes: ["lossy_translation"] },
	{ name: "saddr prefix", rule: { src: neg(v4("10.0.0.0/8")), target: { kind: "accept" } }, nft: ["ip saddr 10.0.0.0/8 accept"] },
	{ name: "daddr host negated", rule: { dst: neg(v4("1.2.3.4"), true), target: { kind: "accept" } }, nft: ["ip daddr != 1.2.3.4 accept"] },
	{ name: "saddr /0 omitted", rule: { src: neg(v4("0.0.0.0/0")), target: { kind: "accept" } }, nft: ["accept"] },
	{ name: "! saddr /0 kept", rule: { src: neg(v4("0.0.0.0/0"), true), target: { kind: "accept" } }, nft: ["ip saddr != 0.0.0.0/0 accept"] },
	{ name: "non-contiguous mask", rule: { src: neg(v4("10.11.12.13/255.0.255.0")), target: { kind: "accept" } }, nft: ["ip saddr & 255.0.255.0 == 10.0.12.0 accept"] },
	{ name: "non-contiguous mask negated", rule: { src: neg(v4("10.11.12.13/0.255.0.255"), true), target: { kind: "accept" } }, nft: ["ip saddr & 0.255.0.255 != 0.11.0.13 accept"] },
	{ name: "ip6 saddr prefix", family: "ip6", rule: { src: neg(v6("feed::/16")), target: { kind: "accept" } }, nft: ["ip6 saddr feed::/16 accept"] },
	{ name: "ip6 non-contiguous", family: "ip6", rule: { src: neg(v6("feed:babe:c0ff:ee00:c0be:1234:5678:90ab/ffff:0:ffff:0:ffff:0:ffff:0")), target: { kind: "accept" } }, nft: ["ip6 saddr & ffff:0:ffff:0:ffff:0:ffff:0 == feed:0:c0ff:0:c0be:0:5678:0 accept"] },
	{ name: "proto alone (ip)", rule: { proto: neg(udp), dst: neg(v4("8.8.8.8")), target: { kind: "accept" } }, nft: ["ip daddr 8.8.8.8 ip protocol udp accept"] },
	{ name: "proto negated number", rule: { proto: neg(253, true), target: { kind: "accept" } }, nft: ["ip protocol != 253 accept"] },
	{ name: "proto (ip6) is meta l4proto", family: "ip6", rule: { proto: neg(132), target: { kind: "accept" } }, nft: ["meta l4proto sctp accept"] },
	{ name: "fragment", rule: { fragment: neg(true), proto: neg(tcp), target: { kind: "drop" } }, nft: ["ip frag-off & 0x1fff != 0 ip protocol tcp drop"] },
	{ name: "not fragment", rule: { fragment: neg(true, true), target: { kind: "accept" } }, nft: ["ip frag-off & 0x1fff == 0 accept"] },
	// ----- tcp / udp
	{ name: "tcp dport elides protocol", rule: { proto: neg(tcp), iif: neg({ name: "eth0", wildcard: false }), matches: [{ kind: "tcp", sport: neg(port(53)) }], target: { kind: "accept" } }, nft: ['iifname "eth0" tcp sport 53 accept'] },
	{ name: "tcp port range", rule: { proto: neg(tcp), matches: [{ kind: "tcp", sport: neg(port(53)), dport: neg(port(1020, 1023)) }], target: { kind: "accept" } }, nft: ["tcp sport 53 tcp dport 1020-1023 accept"] },
	{ name: "tcp negated full range kept", rule: { proto: neg(tcp), matches: [{ kind: "tcp", sport: neg(port(0, 65535), true) }], target: { kind: "accept" } }, nft: ["tcp sport != 0-65535 accept"] },
	{ name: "-m tcp without options keeps protocol", rule: { proto: neg(tcp), matches: [{ kind: "tcp" }], target: { kind: "accept" } }, nft: ["ip protocol tcp accept"] },
	{ name: "tcp syn", rule: { proto: neg(tcp), matches: [{ kind: "tcp", flags: neg({ mask: 0x17, comp: 0x02 }) }], target: { kind: "accept" } }, nft: ["tcp flags & (fin|syn|rst|ack) == syn accept"] },
	{ name: "tcp flags negated", rule: { proto: neg(tcp), matches: [{ kind: "tcp", flags: neg({ mask: 0x11, comp: 0x01 }, true) }], target: { kind: "drop" } }, nft: ["tcp flags & (fin|ack) != fin drop"] },
	{ name: "tcp flags none set", rule: { proto: neg(tcp), matches: [{ kind: "tcp", flags: neg({ mask: 0xff, comp: 0 }) }], target: { kind: "drop" } }, nft: ["tcp flags & (fin|syn|rst|psh|ack|urg|ecn|cwr) == 0 drop"] },
	{ name: "tcp flags several set", rule: { proto: neg(tcp), matches: [{ kind: "tcp", flags: neg({ mask: 0x12, comp: 0x12 }) }], target: { kind: "drop" } }, nft: ["tcp flags & (syn|ack) == syn|ack drop"] },
	{ name: "tcp option number", rule: { proto: neg(tcp), matches: [{ kind: "tcp", option: neg(23) }], target: { kind: "accept" } }, nft: ["tcp option 23 exists accept"] },
	{ name: "tcp option named, negated", rule: { proto: neg(tcp), matches: [{ kind: "tcp", option: neg(2, true) }], target: { kind: "accept" } }, nft: ["ip protocol tcp tcp option maxseg missing accept"] }, // `missing` holds for non-TCP packets too (nft adds no dependency)
	{ name: "udp", rule: { proto: neg(udp), matches: [{ kind: "udp", dport: neg(port(53, 66), true) }], target: { kind: "drop" } }, nft: ["udp dport != 53-66 drop"] },
	{ name: "udp ip6", family: "ip6", rule: { proto: neg(udp), matches: [{ kind: "udp", dport: neg(port(546)) }], target: { kind: "accept" } }, nft: ["udp dport 546 accept"] },
	// ----- icmp
	{ name: "icmp type", rule: { proto: neg(1), matches: [{ kind: "icmp", spec: neg({ type: 8, codeLo: 0, codeHi: 255 }) }], target: { kind: "accept" } }, nft: ["icmp type echo-request accept"] },
	{ name: "icmp any", rule: { proto: neg(1), matches: [{ kind: "icmp", spec: neg("any" as const) }], target: { kind: "accept" } }, nft: ["ip protocol icmp accept"] },
	{ name: "icmp type negated", rule: { proto: neg(1), matches: [{ kind: "icmp", spec: neg({ type: 3, codeLo: 0, codeHi: 255 }, true) }], target: { kind: "accept" } }, nft: ["icmp type != destination-unreachable accept"] },
	{ name: "icmp type/code", rule: { proto: neg(1), matches: [{ kind: "icmp", spec: neg({ type: 3, codeLo: 4, codeHi: 4 }) }], target: { kind: "accept" } }, nft: ["icmp type destination-unreachable icmp code 4 accept"] },
	{ name: "icmp type/code negated", rule: { proto: neg(1), matches: [{ kind: "icmp", spec: neg({ type: 3, codeLo: 4, codeHi: 4 }, true) }], target: { kind: "accept" } }, nft: ["icmp type . icmp code != { destination-unreachable . 4 } accept"] },
	{ name: "icmpv6 type", family: "ip6", rule: { proto: neg(58), matches: [{ kind: "icmpv6", spec: neg({ type: 136, codeLo: 0, codeHi: 255 }) }], target: { kind: "accept" } }, nft: ["icmpv6 type nd-neighbor-advert accept"] },
	{ name: "icmpv6 any", family: "ip6", rule: { proto: neg(58), matches: [{ kind: "icmpv6", spec: neg("any" as const) }], target: { kind: "accept" } }, nft: ["meta l4proto ipv6-icmp accept"] },
	// ----- multiport
	{ name: "multiport dports", rule: { proto: neg(tcp), matches: [{ kind: "multiport", dir: "dst", ports: neg([port(80), port(443), port(8000, 8080)]) }], target: { kind: "accept" } }, nft: ["tcp dport { 80, 443, 8000-8080 } accept"] },
	{ name: "multiport single range negated", rule: { proto: neg(tcp), matches: [{ kind: "multiport", dir: "dst", ports: neg([port(80, 88)], true) }], target: { kind: "accept" } }, nft: ["tcp dport != 80-88 accept"] },
	{ name: "multiport sports udp", rule: { proto: neg(udp), matches: [{ kind: "multiport", dir: "src", ports: neg([port(50)]) }], target: { kind: "accept" } }, nft: ["udp sport 50 accept"] },
	{ name: "multiport --ports (either direction)", rule: { proto: neg(tcp), matches: [{ kind: "multiport", dir: "any", ports: neg([port(10), port(20, 30)]) }], target: { kind: "accept" } }, nft: ["tcp sport . tcp dport { 0-65535 . 10, 10 . 0-65535, 0-65535 . 20-30, 20-30 . 0-65535 } accept"] },
	{ name: "multiport --ports negated", rule: { proto: neg(udp), matches: [{ kind: "multiport", dir: "any", ports: neg([port(53)], true) }], target: { kind: "accept" } }, nft: ["udp sport . udp dport != { 0-65535 . 53, 53 . 0-65535 } accept"] },
	{ name: "multiport without protocol", rule: { matches: [{ kind: "multiport", dir: "dst", ports: neg([port(80)]) }], target: { kind: "accept" } }, nft: [], codes: ["protocol_required"] },
	// ----- conntrack / state
	{ name: "ctstate", rule: { matches: [{ kind: "conntrack", state: neg(["ESTABLISHED", "RELATED"]) }], target: { kind: "accept" } }, nft: ["ct state established,related accept"] },
	{ name: "ctstate negated: neither", rule: { matches: [{ kind: "conntrack", state: neg(["NEW", "RELATED"], true) }], target: { kind: "accept" } }, nft: ["ct state & (related|new) == 0 accept"] },
	{ name: "state match", rule: { matches: [{ kind: "state", state: neg(["INVALID"]) }], target: { kind: "drop" } }, nft: ["ct state invalid drop"] },
	{ name: "ctstate untracked", table: "raw", chain: "PREROUTING", rule: { matches: [{ kind: "conntrack", state: neg(["UNTRACKED"]) }], target: { kind: "accept" } }, nft: ["ct state untracked accept"] },
	{ name: "ctstate DNAT", rule: { matches: [{ kind: "conntrack", state: neg(["DNAT"]) }], target: { kind: "accept" } }, nft: ["ct status dnat accept"] },
	{ name: "ctstate SNAT,DNAT", rule: { matches: [{ kind: "conntrack", state: neg(["SNAT", "DNAT"]) }], target: { kind: "accept" } }, nft: ["ct status snat,dnat accept"] },
	{ name: "ctstate NEW,DNAT: disjoint split", rule: { matches: [{ kind: "conntrack", state: neg(["NEW", "DNAT"]) }], target: { kind: "accept" } }, nft: ["ct state new accept", "ct state & (new) == 0 ct status dnat accept"] },
	{ name: "! ctstate DNAT: no entry or no dnat bit", rule: { matches: [{ kind: "conntrack", state: neg(["DNAT"], true) }], target: { kind: "accept" } }, nft: ["ct state invalid,untracked accept", "ct status & (dnat) == 0 accept"] },
	{ name: "! ctstate NEW,INVALID,SNAT", rule: { matches: [{ kind: "conntrack", state: neg(["NEW", "INVALID", "SNAT"], true) }], target: { kind: "accept" } }, nft: ["ct state untracked accept", "ct state & (invalid|new) == 0 ct status & (snat) == 0 accept"] },
	{ name: "ctstatus", rule: { matches: [{ kind: "conntrack", status: neg(["ASSURED", "CONFIRMED"]) }], target: { kind: "accept" } }, nft: ["ct status assured,confirmed accept"] },
	{ name: "ctstatus negated", rule: { matches: [{ kind: "conntrack", status: neg(["CONFIRMED"], true) }], target: { kind: "accept" } }, nft: ["ct status & (confirmed) == 0 accept"] },
	{ name: "conntrack tuple fields", rule: { matches: [{ kind: "conntrack", proto: neg(tcp), origSrc: neg(v4("10.100.0.0/16")), replDst: neg(v4("192.168.0.1"), true), origDstPort: neg(port(443, 444)), dir: "REPLY" }], target: { kind: "accept" } }, nft: ["ct direction reply ct original protocol tcp ct original ip saddr 10.100.0.0/16 ct reply ip daddr != 192.168.0.1 ct original proto-dst 443-444 accept"] },
	{ name: "conntrack ip6 address", family: "ip6", rule: { matches: [{ kind: "conntrack", origDst: neg(v6("fec0::1")) }], target: { kind: "accept" } }, nft: ["ct original ip6 daddr fec0::1 accept"] },
	{ name: "conntrack expire seconds -> ms", rule: { matches: [{ kind: "conntrack", expire: neg(port(3, 10)) }], target: { kind: "accept" } }, nft: ["ct expiration 3000ms-10999ms accept"] },
	// ----- addrtype
	{ name: "addrtype dst local", rule: { matches: [{ kind: "addrtype", dst: neg(["LOCAL"]) }], target: { kind: "accept" } }, nft: ["fib daddr type local accept"] },
	{ name: "addrtype src negated set", rule: { matches: [{ kind: "addrtype", src: neg(["LOCAL", "ANYCAST"], true) }], target: { kind: "accept" } }, nft: ["fib saddr type != { local, anycast } accept"] },
	{ name: "addrtype limit-iface-in", rule: { matches: [{ kind: "addrtype", dst: neg(["LOCAL", "BROADCAST"]), limitIface: "in" }], target: { kind: "accept" } }, nft: ["fib daddr . iif type { local, broadcast } accept"] },
	{ name: "addrtype limit-iface-out", chain: "OUTPUT", rule: { matches: [{ kind: "addrtype", dst: neg(["LOCAL"]), limitIface: "out" }], target: { kind: "accept" } }, nft: ["fib daddr . oif type local accept"] },
	// ----- comment
	{ name: "comment", rule: { src: neg(v4("192.168.0.0/16")), matches: [{ kind: "comment", text: "A privatized IP block" }], target: { kind: "accept" } }, nft: ['ip saddr 192.168.0.0/16 accept comment "A privatized IP block"'] },
	{ name: "two comments joined", rule: { matches: [{ kind: "comment", text: "a" }, { kind: "comment", text: "b" }], target: { kind: "accept" } }, nft: ['accept comment "a b"'] },
	// ----- mark / connmark
	{ name: "mark", rule: { matches: [{ kind: "mark", mark: neg({ value: 1, mask: 0xffffffff }, true) }], target: { kind: "accept" } }, nft: ["meta mark != 0x00000001 accept"] },
	{ name: "mark masked", rule: { matches: [{ kind: "mark", mark: neg({ value: 0x4000, mask: 0x4000 }) }], target: { kind: "accept" } }, nft: ["meta mark & 0x4000 == 0x00004000 accept"] },
	{ name: "connmark", rule: { matches: [{ kind: "connmark", mark: neg({ value: 10, mask: 10 }, true) }], target: { kind: "accept" } }, nft: ["ct mark & 0xa != 0x0000000a accept"] },
	// ----- limit
	{ name: "limit", rule: { matches: [{ kind: "limit", rate: 3, unit: "hour", burst: 5 }], target: { kind: "accept" } }, nft: ["limit rate 3/hour burst 5 packets accept"] },
	// ----- mac
	{ name: "mac", rule: { matches: [{ kind: "mac", src: neg(0x0a123e4fb2c6n) }], target: { kind: "drop" } }, nft: ["ether saddr 0a:12:3e:4f:b2:c6 drop"] },
	{ name: "mac negated", rule: { matches: [{ kind: "mac", src: neg(0x0a123e4fb2c6n, true) }], target: { kind: "drop" } }, nft: ["ether saddr != 0a:12:3e:4f:b2:c6 drop"] },
	// ----- iprange
	{ name: "iprange", rule: { matches: [{ kind: "iprange", src: neg({ fam: 4, lo: ip4("4.4.4.4"), hi: ip4("7.7.7.7") }), dst: neg({ fam: 4, lo: ip4("3.3.3.3"), hi: ip4("6.6.6.6") }, true) }], target: { kind: "accept" } }, nft: ["ip saddr 4.4.4.4-7.7.7.7 ip daddr != 3.3.3.3-6.6.6.6 accept"] },
	{ name: "iprange ip6", family: "ip6", rule: { matches: [{ kind: "iprange", dst: neg({ fam: 6, lo: ip6("::2d01"), hi: ip6("::2d03") }) }], target: { kind: "accept" } }, nft: ["ip6 daddr ::2d01-::2d03 accept"] },
	// ----- length / pkttype / owner
	{ name: "length", rule: { proto: neg(1), matches: [{ kind: "length", length: neg(port(86, 65535)) }], target: { kind: "drop" } }, nft: ["ip protocol icmp meta length 86-65535 drop"] },
	{ name: "length negated", rule: { matches: [{ kind: "length", length: neg(port(40), true) }], target: { kind: "drop" } }, nft: ["meta length != 40 drop"] },
	{ name: "pkttype unicast is host", rule: { matches: [{ kind: "pkttype", type: neg("unicast" as const, true) }], target: { kind: "drop" } }, nft: ["meta pkttype != host drop"] },
	{ name: "pkttype broadcast", rule: { matches: [{ kind: "pkttype", type: neg("broadcast" as const) }], target: { kind: "drop" } }, nft: ["meta pkttype broadcast drop"] },
	{ name: "owner uid", chain: "OUTPUT", rule: { matches: [{ kind: "owner", uid: neg(port(0)) }], target: { kind: "accept" } }, nft: ["meta skuid 0 accept"] },
	{ name: "owner gid range", chain: "OUTPUT", rule: { matches: [{ kind: "owner", gid: neg(port(0, 10)) }], target: { kind: "accept" } }, nft: ["meta skgid 0-10 accept"] },
	{ name: "owner uid negated (lossy)", chain: "OUTPUT", rule: { matches: [{ kind: "owner", uid: neg(port(1337), true) }], target: { kind: "accept" } }, nft: ["meta skuid != 1337 accept"], codes: ["lossy_translation"] },
	{ name: "owner socket-exists", chain: "OUTPUT", rule: { matches: [{ kind: "owner", socketExists: neg(true as const) }], target: { kind: "accept" } }, nft: ["meta skuid 0-4294967295 accept"] },
	{ name: "owner supplementary groups refused", chain: "OUTPUT", rule: { matches: [{ kind: "owner", gid: neg(port(5)), suppGroups: true }], target: { kind: "accept" } }, nft: [], codes: ["unsupported_option"] },
	// ----- statistic
	{ name: "statistic random 0.1", rule: { matches: [{ kind: "statistic", mode: "random", probability: 0.1, neg: false }], target: { kind: "drop" } }, nft: ["meta random & 0x7fffffff < 214748365 drop"] },
	{ name: "statistic random negated", rule: { matches: [{ kind: "statistic", mode: "random", probability: 0.5, neg: true }], target: { kind: "drop" } }, nft: ["meta random & 0x7fffffff >= 1073741824 drop"] },
	{ name: "statistic random 1.0", rule: { matches: [{ kind: "statistic", mode: "random", probability: 1, neg: false }], target: { kind: "drop" } }, nft: ["meta random & 0x7fffffff < 2147483648 drop"] },
	{ name: "statistic nth", rule: { matches: [{ kind: "statistic", mode: "nth", every: 10, packet: 1, neg: false }], target: { kind: "drop" } }, nft: ["numgen inc mod 10 1 drop"] },
	{ name: "statistic nth negated", rule: { matches: [{ kind: "statistic", mode: "nth", every: 3, packet: 0, neg: true }], target: { kind: "drop" } }, nft: ["numgen inc mod 3 != 0 drop"] },
	// ----- REJECT
	{ name: "reject default port-unreachable", rule: { target: { kind: "reject", with: "icmp-port-unreachable" } }, nft: ["reject with icmp type port-unreachable"] },
	{ name: "reject host-prohibited", rule: { target: { kind: "reject", with: "icmp-host-prohibited" } }, nft: ["reject with icmp type host-prohibited"] },
	{ name: "reject proto-unreachable", rule: { target: { kind: "reject", with: "icmp-proto-unreachable" } }, nft: ["reject with icmp type prot-unreachable"] },
	{ name: "reject tcp-reset", rule: { proto: neg(tcp), matches: [{ kind: "tcp", dport: neg(port(22)) }], target: { kind: "reject", with: "tcp-reset" } }, nft: ["tcp dport 22 reject with tcp reset"] },
	{ name: "reject tcp-reset keeps protocol", rule: { proto: neg(tcp), target: { kind: "reject", with: "tcp-reset" } }, nft: ["ip protocol tcp reject with tcp reset"] },
	{ name: "reject tcp-reset without tcp", rule: { target: { kind: "reject", with: "tcp-reset" } }, nft: [], codes: ["protocol_required"] },
	{ name: "reject icmp6", family: "ip6", rule: { target: { kind: "reject", with: "icmp6-adm-prohibited" } }, nft: ["reject with icmpv6 type admin-prohibited"] },
	{ name: "reject icmp6 in ip", rule: { target: { kind: "reject", with: "icmp6-no-route" } }, nft: [], codes: ["family_mismatch"] },
	// ----- LOG / NFLOG
	{ name: "log default", rule: { target: { kind: "log", ...logDefaults } }, nft: ["log level warn"] },
	{ name: "log prefix level flags", rule: { target: { kind: "log", ...logDefaults, level: 7, prefix: "IN: ", tcpSequence: true, tcpOptions: true, uid: true } }, nft: ['log prefix "IN: " level debug flags tcp sequence,options flags skuid'] },
	{ name: "log all flags", rule: { target: { kind: "log", ...logDefaults, level: 3, tcpSequence: true, tcpOptions: true, ipOptions: true, uid: true, macDecode: true } }, nft: ["log level err flags all"] },
	{ name: "log ip options and ether", rule: { target: { kind: "log", ...logDefaults, ipOptions: true, macDecode: true } }, nft: ["log level warn flags ip options flags ether"] },
	{ name: "nflog", rule: { target: { kind: "nflog", group: 32, prefix: "Prefix 1.0", size: 256, threshold: 2 } }, nft: ['log prefix "Prefix 1.0" group 32 snaplen 256 queue-threshold 2'] },
	{ name: "nflog group only", rule: { target: { kind: "nflog", group: 0 } }, nft: ["log group 0"] },
	// ----- NAT
	{ name: "dnat", table: "nat", chain: "PREROUTING", rule: { proto: neg(tcp), dst: neg(v4("15.45.23.67")), matches: [{ kind: "tcp", dport: neg(port(80)) }], target: { kind: "dnat", fam: 4, range: { addrLo: ip4("192.168.1.1"), addrHi: ip4("192.168.1.10") }, flags } }, nft: ["ip daddr 15.45.23.67 tcp dport 80 dnat to 192.168.1.1-192.168.1.10"] },
	{ name: "dnat port keeps protocol (kube-proxy)", table: "nat", chain: "PREROUTING", rule: { proto: neg(tcp), matches: [{ kind: "tcp" }], target: { kind: "dnat", fam: 4, range: { addrLo: ip4("10.0.0.1"), portLo: 8080, portHi: 8080 }, flags } }, nft: ["ip protocol tcp dnat to 10.0.0.1:8080"] },
	{ name: "dnat port range flags", table: "nat", chain: "PREROUTING", rule: { proto: neg(udp), target: { kind: "dnat", fam: 4, range: { addrLo: ip4("1.2.3.4"), portLo: 1, portHi: 1023 }, flags: { random: true, randomFully: false, persistent: true } } }, nft: ["ip protocol udp dnat to 1.2.3.4:1-1023 random,persistent"] },
	{ name: "dnat shifted port range refused", table: "nat", chain: "PREROUTING", rule: { proto: neg(tcp), target: { kind: "dnat", fam: 4, range: { addrLo: ip4("1.2.3.4"), portLo: 80, portHi: 90, portBase: 1000 }, flags } }, nft: [], codes: ["unsupported_option"] },
	{ name: "dnat port without protocol", table: "nat", chain: "PREROUTING", rule: { target: { kind: "dnat", fam: 4, range: { addrLo: ip4("1.2.3.4"), portLo: 80 }, flags } }, nft: [], codes: ["protocol_required"] },
	{ name: "dnat ip6 with port", family: "ip6", table: "nat", chain: "PREROUTING", rule: { proto: neg(tcp), matches: [{ kind: "tcp", dport: neg(port(8080)) }], target: { kind: "dnat", fam: 6, range: { addrLo: ip6("fec0::1234"), portLo: 80, portHi: 80 }, flags } }, nft: ["tcp dport 8080 dnat to [fec0::1234]:80"] },
	{ name: "dnat ip6 range with ports", family: "ip6", table: "nat", chain: "PREROUTING", rule: { proto: neg(tcp), target: { kind: "dnat", fam: 6, range: { addrLo: ip6("fec0::1234"), addrHi: ip6("fec0::2000"), portLo: 1, portHi: 20 }, flags } }, nft: ["meta l4proto tcp dnat to [fec0::1234]-[fec0::2000]:1-20"] },
	{ name: "dnat ip6 range no ports", family: "ip6", table: "nat", chain: "PREROUTING", rule: { target: { kind: "dnat", fam: 6, range: { addrLo: ip6("fec0::1234"), addrHi: ip6("fec0::2000") }, flags } }, nft: ["dnat to fec0::1234-fec0::2000"] },
	{ name: "snat", table: "nat", chain: "POSTROUTING", rule: { oif: neg({ name: "eth0", wildcard: false }), target: { kind: "snat", fam: 4, range: { addrLo: ip4("1.2.3.4") }, flags: { random: false, randomFully: true, persistent: true } } }, nft: ['oifname "eth0" snat to 1.2.3.4 fully-random,persistent'] },
	{ name: "masquerade", table: "nat", chain: "POSTROUTING", rule: { src: neg(v4("172.17.0.0/16")), oif: neg({ name: "docker0", wildcard: false }, true), target: { kind: "masquerade", flags } }, nft: ['oifname != "docker0" ip saddr 172.17.0.0/16 masquerade'] },
	{ name: "masquerade ports", table: "nat", chain: "POSTROUTING", rule: { proto: neg(tcp), target: { kind: "masquerade", ports: port(10, 20), flags: { random: true, randomFully: false, persistent: false } } }, nft: ["ip protocol tcp masquerade to :10-20 random"] },
	{ name: "redirect", table: "nat", chain: "PREROUTING", rule: { proto: neg(tcp), matches: [{ kind: "tcp", dport: neg(port(80)) }], target: { kind: "redirect", ports: port(8080), flags } }, nft: ["tcp dport 80 redirect to :8080"] },
	{ name: "redirect plain", table: "nat", chain: "OUTPUT", rule: { target: { kind: "redirect", flags: { random: true, randomFully: false, persistent: false } } }, nft: ["redirect random"] },
	// ----- MARK / CONNMARK
	{ name: "mark set", table: "mangle", chain: "PREROUTING", rule: { target: { kind: "mark", value: 0x64, mask: 0xffffffff } }, nft: ["meta mark set 0x00000064"] },
	{ name: "mark xmark", table: "mangle", chain: "OUTPUT", rule: { target: { kind: "mark", value: 0x40, mask: 0x32 } }, nft: ["meta mark set meta mark & 0xffffffcd ^ 0x00000040"] },
	{ name: "mark or", table: "mangle", chain: "PREROUTING", rule: { target: { kind: "mark", value: 0x4000, mask: 0x4000 } }, nft: ["meta mark set meta mark | 0x00004000"] },
	{ name: "mark and", table: "mangle", chain: "PREROUTING", rule: { target: { kind: "mark", value: 0, mask: 0xffffff9b } }, nft: ["meta mark set meta mark & 0x00000064"] },
	{ name: "mark xor", table: "mangle", chain: "PREROUTING", rule: { target: { kind: "mark", value: 0x40, mask: 0 } }, nft: ["meta mark set meta mark ^ 0x00000040"] },
	{ name: "connmark set", table: "mangle", chain: "PREROUTING", rule: { target: { kind: "connmark-set", value: 0x16, mask: 0x12 } }, nft: ["ct mark set ct mark & 0xffffffed ^ 0x00000016"] },
	{ name: "connmark save", table: "mangle", chain: "PREROUTING", rule: { target: { kind: "connmark-save", nfmask: 0xffffffff, ctmask: 0xffffffff } }, nft: ["ct mark set meta mark"] },
	{ name: "connmark save nfmask", table: "mangle", chain: "PREROUTING", rule: { target: { kind: "connmark-save", nfmask: 0xffff, ctmask: 0xffffffff } }, nft: ["ct mark set meta mark & 0x0000ffff"] },
	{ name: "connmark restore", table: "mangle", chain: "PREROUTING", rule: { target: { kind: "connmark-restore", nfmask: 0xffffffff, ctmask: 0xffffffff } }, nft: ["meta mark set ct mark"] },
	{ name: "connmark restore ctmask", table: "mangle", chain: "PREROUTING", rule: { target: { kind: "connmark-restore", nfmask: 0xffffffff, ctmask: 0xff } }, nft: ["meta mark set ct mark & 0x000000ff"] },
	{ name: "connmark restore with partial masks refused", table: "mangle", chain: "PREROUTING", rule: { target: { kind: "connmark-restore", nfmask: 0xff, ctmask: 0xff } }, nft: [], codes: ["unsupported_option"] },
	// ----- NOTRACK / TCPMSS / NFQUEUE
	{ name: "notrack", table: "raw", chain: "PREROUTING", rule: { target: { kind: "notrack" } }, nft: ["notrack"] },
	{ name: "tcpmss pmtu", table: "mangle", chain: "FORWARD", rule: { proto: neg(tcp), matches: [{ kind: "tcp", flags: neg({ mask: 0x06, comp: 0x02 }) }], target: { kind: "tcpmss", mss: "pmtu" } }, nft: ["tcp flags & (syn|rst) == syn tcp option maxseg size set rt mtu"], codes: ["lossy_translation"] },
	{ name: "tcpmss set", table: "mangle", chain: "FORWARD", rule: { proto: neg(tcp), matches: [{ kind: "tcp", flags: neg({ mask: 0x06, comp: 0x02 }) }], target: { kind: "tcpmss", mss: 1400 } }, nft: ["tcp flags & (syn|rst) == syn tcp option maxseg size > 1400 tcp option maxseg size set 1400"], codes: ["lossy_translation"] },
	{ name: "nfqueue", rule: { target: { kind: "nfqueue", num: 30, bypass: false, cpuFanout: false } }, nft: ["queue num 30"], kernelMissing: true },
	{ name: "nfqueue balance bypass fanout", rule: { target: { kind: "nfqueue", num: 0, balanceTo: 3, bypass: true, cpuFanout: true } }, nft: ["queue num 0-3 bypass,fanout"], kernelMissing: true },
	// ----- stateful: recent (one set per --seconds class of the list), connlimit, hashlimit, quota, ipset, SYNPROXY
	{ name: "recent rcheck seconds", rule: { matches: [recent({ op: "rcheck", name: "ssh", seconds: 60 })], target: { kind: "drop" } }, nft: ["ip saddr @recent_ssh drop"] },
	{ name: "recent update refreshes", rule: { matches: [recent({ op: "update", seconds: 60 })], target: { kind: "drop" } }, nft: ["ip saddr @recent_DEFAULT update @recent_DEFAULT { ip saddr } drop"] },
	{ name: "recent ! rcheck rdest mask", rule: { matches: [recent({ op: "rcheck", neg: true, side: "dst", mask: 0xffffff00n })], target: { kind: "accept" } }, nft: ["ip daddr & 255.255.255.0 != @recent_DEFAULT accept"] },
	{ name: "recent remove", rule: { matches: [recent({ op: "remove", name: "portscan" })], target: { kind: "accept" } }, nft: ["ip saddr @recent_portscan delete @recent_portscan { ip saddr } accept"] },
	{ name: "recent set without readers is always true", rule: { matches: [recent({ op: "set" })], target: { kind: "accept" } }, nft: ["accept"] },
	{ name: "recent rcheck reap (one class)", rule: { matches: [recent({ op: "rcheck", name: "KUBE-SEP-X", seconds: 10800, reap: true })], target: { kind: "jump", chain: "USER" } }, nft: ["ip saddr @recent_KUBE_SEP_X jump USER"] },
	{ name: "recent ip6", family: "ip6", rule: { matches: [recent({ op: "update" })], target: { kind: "drop" } }, nft: ["ip6 saddr @recent_DEFAULT update @recent_DEFAULT { ip6 saddr } drop"] },
	{ name: "recent hitcount refused", rule: { matches: [recent({ op: "update", seconds: 60, hitcount: 3 })], target: { kind: "drop" } }, nft: [], codes: ["inexpressible"] },
	{ name: "recent rttl refused", rule: { matches: [recent({ op: "rcheck", rttl: true })], target: { kind: "drop" } }, nft: [], codes: ["inexpressible"] },
	{ name: "recent ! set refused", rule: { matches: [recent({ op: "set", neg: true })], target: { kind: "drop" } }, nft: [], codes: ["inexpressible"] },
	{ name: "connlimit above mask", rule: { proto: neg(tcp), matches: [{ kind: "connlimit", limit: 15, above: true, prefixLen: 24, side: "src" }], target: { kind: "drop" } }, nft: ["ip protocol tcp add @connlimit { ip saddr & 255.255.255.0 ct count over 15 } drop"] },
	{ name: "connlimit upto daddr", rule: { matches: [{ kind: "connlimit", limit: 2, above: false, prefixLen: 32, side: "dst" }], target: { kind: "accept" } }, nft: ["add @connlimit { ip daddr ct count 2 } accept"] },
	{ name: "connlimit ip6 /64", family: "ip6", rule: { matches: [{ kind: "connlimit", limit: 4, above: true, prefixLen: 64, side: "src" }], target: { kind: "drop" } }, nft: ["add @connlimit { ip6 saddr & ffff:ffff:ffff:ffff:: ct count over 4 } drop"] },
	{ name: "hashlimit srcip/24 + dstport", rule: { proto: neg(tcp), matches: [hashlimit({ above: true, rate: 200, burst: 1000, keys: ["srcip", "dstport"], srcPrefix: 24 })], target: { kind: "drop" } }, nft: ["ip protocol tcp update @hashlimit_hl { ip saddr & 255.255.255.0 . tcp dport limit rate over 200/second burst 1000 packets } drop"] },
	{ name: "hashlimit upto dstip", rule: { matches: [hashlimit({ rate: 125, keys: ["dstip"] })], target: { kind: "accept" } }, nft: ["update @hashlimit_hl { ip daddr limit rate 125/second burst 5 packets } accept"] },
	{ name: "hashlimit without mode is one bucket", rule: { matches: [hashlimit({ rate: 10 })], target: { kind: "accept" } }, nft: ["limit rate 10/second burst 5 packets accept"] },
	{ name: "hashlimit without mode, slow refill refused", rule: { matches: [hashlimit({ rate: 1, unit: "hour" })], target: { kind: "accept" } }, nft: [], codes: ["inexpressible"] },
	{ name: "hashlimit port without protocol refused", rule: { matches: [hashlimit({ keys: ["dstport"] })], target: { kind: "accept" } }, nft: [], codes: ["inexpressible"] },
	{ name: "hashlimit bytes refused", rule: { matches: [hashlimit({ mode: "bytes", rate: 20480, keys: ["dstip"] })], target: { kind: "drop" } }, nft: [], codes: ["inexpressible"] },
	{ name: "hashlimit rate-match refused", rule: { matches: [hashlimit({ rateMatch: true, keys: ["srcip"] })], target: { kind: "drop" } }, nft: [], codes: ["inexpressible"] },
	{ name: "quota", chain: "OUTPUT", rule: { matches: [{ kind: "quota", bytes: 111n, neg: false }], target: { kind: "accept" } }, nft: ["quota 111 bytes accept"] },
	{ name: "quota negated", chain: "OUTPUT", rule: { matches: [{ kind: "quota", bytes: 111n, neg: true }], target: { kind: "drop" } }, nft: ["quota over 111 bytes drop"] },
	{ name: "ipset written by SET, no catalogue", rule: { matches: [setMatch({ neg: true })], target: { kind: "ipset", add: { name: "seen", dirs: ["src"] }, exist: false } }, nft: ["ip saddr != @ipset_seen add @ipset_seen { ip saddr }"], codes: ["lossy_translation"] },
	{ name: "SET del-set, exist add", rule: { target: { kind: "ipset", add: { name: "a", dirs: ["dst"] }, del: { name: "b", dirs: ["src"] }, exist: true } }, nft: ["update @ipset_a { ip daddr } delete @ipset_b { ip saddr }"], codes: ["lossy_translation", "lossy_translation"] },
	{ name: "ipset without catalogue refused", rule: { matches: [setMatch({})], target: { kind: "drop" } }, nft: [], codes: ["missing_argument"] },
	{ name: "ipset counter checks refused", rule: { matches: [setMatch({ counterChecks: ["--packets-gt 5"] })], target: { kind: "drop" } }, nft: [], codes: ["inexpressible"] },
	{ name: "synproxy", rule: { proto: neg(tcp), matches: [{ kind: "tcp", dport: neg(port(80)) }, { kind: "state", state: neg(["INVALID", "UNTRACKED"]) }], target: { kind: "synproxy", mss: 1460, wscale: 7, sackPerm: true, timestamp: true, ecn: false } }, nft: ["tcp dport 80 ct state invalid,untracked tcp flags & (fin|syn|rst|ack) == { syn, ack } synproxy mss 1460 wscale 7 timestamp sack-perm"] },
	{ name: "synproxy ecn refused", rule: { proto: neg(tcp), target: { kind: "synproxy", sackPerm: false, timestamp: false, ecn: true } }, nft: [], codes: ["inexpressible"] },
	// ----- unknown parts: the parser's unsupported_extension stands alone (no new diagnostic)
	{ name: "unknown match skipped silently", rule: { matches: [{ kind: "unknown", name: "foo", args: [] }], target: { kind: "accept" } }, nft: [], codes: [] },
	{ name: "unknown target skipped silently", rule: { target: { kind: "unknown", name: "FOO", args: [] } }, nft: [], codes: [] },
	// ----- strings: escaped or refused, never structure-changing
	{ name: "comment with quote/dollar/newline is rewritten", rule: { matches: [{ kind: "comment", text: 'a"b$c\nd;{}' }], target: { kind: "accept" } }, nft: ["accept comment \"a'bSc d;{}\""], codes: ["lossy_translation"] },
	{ name: "comment cut to 128 bytes", rule: { matches: [{ kind: "comment", text: "é".repeat(70) }], target: { kind: "accept" } }, nft: [`accept comment "${"é".repeat(64)}"`], codes: ["lossy_translation"] },
	{ name: "log prefix with quote refused", rule: { target: { kind: "log", ...logDefaults, prefix: 'x" accept #' } }, nft: [], codes: ["unsafe_string"] },
	{ name: "log prefix with $ refused", rule: { target: { kind: "log", ...logDefaults, prefix: "$x" } }, nft: [], codes: ["unsafe_string"] },
	{ name: "nflog prefix with newline refused", rule: { target: { kind: "nflog", group: 1, prefix: "a\nb" } }, nft: [], codes: ["unsafe_string"] },
	{ name: "log prefix with braces and semicolons is safe", rule: { target: { kind: "log", ...logDefaults, prefix: "a;b{c}#d\\e'" } }, nft: ["log prefix \"a;b{c}#d\\e'\" level warn"] },
	{ name: "interface with quote refused", rule: { iif: neg({ name: 'e"0', wildcard: false }), target: { kind: "accept" } }, nft: [], codes: ["unsafe_string"] },
	{ name: "interface with backslash refused", rule: { iif: neg({ name: "e\\0", wildcard: false }), target: { kind: "accept" } }, nft: [], codes: ["unsafe_string"] },
	{ name: "interface with braces is quoted safely", rule: { iif: neg({ name: "a{b};c", wildcard: false }), target: { kind: "accept" } }, nft: ['iifname "a{b};c" accept'] },
	...EXT_CASES,
	...MISC_CASES,
	...EXTHDR_CASES,
];

function recent(o: Partial<ipt.RecentMatch> & { op: ipt.RecentMatch["op"] }): ipt.RecentMatch {
	return { kind: "recent", name: "DEFAULT", neg: false, side: "src", reap: false, rttl: false, ...o };
}

function hashlimit(o: Partial<ipt.HashlimitMatch>): ipt.HashlimitMatch {
	return { kind: "hashlimit", name: "hl", above: false, mode: "packets", rate: 10, unit: "second", burst: 5, keys: [], srcPrefix: 32, dstPrefix: 32, expireMs: 10000, rateMatch: false, ...o };
}

function setMatch(o: Partial<ipt.SetMatch>): ipt.SetMatch {
	return { kind: "set", name: "seen", dirs: ["src"], neg: false, returnNomatch: false, updateCounters: true, updateSubcounters: true, counterChecks: [], ...o };
}

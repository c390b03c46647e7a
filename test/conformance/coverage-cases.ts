/**
 * The examples docs/coverage.md is generated from: for every extension ipt2nft parses, one or more
 * rules with the test file that proves its translation and semantics. The coverage test compiles
 * each rule (nft form or coded error), verifies it with the simulator, and compares the table with
 * the committed file.
 */

export interface CoverageCase {
	/** Extension name as iptables spells it (`-m NAME` / `-j NAME`). */
	readonly ext: string;
	readonly kind: "match" | "target";
	readonly fam?: "ip" | "ip6";
	readonly table?: string;
	readonly chain?: string;
	/** The rule after `-A CHAIN`. */
	readonly rule: string;
	/** Test files that hold golden fixtures / semantics tests for it. */
	readonly proof: string;
}

const GOLDEN = "test/compiler/lower/cases.ts";
const GOLDEN_EXT = "test/compiler/lower/cases-ext.ts";
const STATEFUL = "test/compiler/lower/stateful.test.ts";
const SEM = "test/compiler/sim/ext/semantics.test.ts";
const IPT = "test/compiler/sim/ipt/match.test.ts";
const IPT_EXT = "test/compiler/sim/ipt/ext-match.test.ts";
const TXLATE = "test/conformance/txlate-verify.test.ts";
const NETMAP_SEM = "test/compiler/sim/ext/netmap-tcpoptstrip.test.ts";
const NEW_TARGETS_GRAMMAR = "test/grammar/iptables/netmap-tcpoptstrip.test.ts";
const CT_LOWER = "test/compiler/lower/ct-ext.test.ts";
const CT_SEM = "test/compiler/sim/ext/ct-ext.test.ts";
const MISC = "test/compiler/lower/misc-targets.test.ts, test/compiler/sim/ext/misc-targets.test.ts, test/grammar/iptables/misc-targets.test.ts";
const EXTHDR = "test/compiler/lower/exthdr.test.ts, test/compiler/sim/ext/exthdr.test.ts, test/grammar/iptables/exthdr.test.ts";
const U32 = "test/compiler/lower/u32.test.ts, test/compiler/sim/ext/u32.test.ts, test/grammar/iptables/u32.test.ts";

export const COVERAGE: readonly CoverageCase[] = [
	// ----- matches
	{ ext: "addrtype", kind: "match", rule: "-m addrtype --dst-type LOCAL -j ACCEPT", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "comment", kind: "match", rule: '-m comment --comment "ssh" -j ACCEPT', proof: GOLDEN },
	{ ext: "connmark", kind: "match", rule: "-m connmark --mark 0x1/0xff -j ACCEPT", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "conntrack", kind: "match", rule: "-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "icmp", kind: "match", rule: "-p icmp -m icmp --icmp-type echo-request -j ACCEPT", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "icmp6", kind: "match", fam: "ip6", rule: "-p ipv6-icmp -m icmp6 --icmpv6-type neighbour-solicitation -j ACCEPT", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "iprange", kind: "match", rule: "-m iprange --src-range 10.0.0.1-10.0.0.9 -j DROP", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "length", kind: "match", rule: "-m length --length 0:100 -j DROP", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "limit", kind: "match", rule: "-m limit --limit 5/second --limit-burst 10 -j ACCEPT", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "mac", kind: "match", rule: "-m mac --mac-source 02:00:00:00:00:01 -j DROP", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "mark", kind: "match", rule: "-m mark --mark 0x10/0xf0 -j ACCEPT", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "multiport", kind: "match", rule: "-p tcp -m multiport --dports 22,80,443 -j ACCEPT", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "owner", kind: "match", chain: "OUTPUT", rule: "-m owner --uid-owner 1000 -j ACCEPT", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "pkttype", kind: "match", rule: "-m pkttype --pkt-type broadcast -j DROP", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "state", kind: "match", rule: "-m state --state NEW -j ACCEPT", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "statistic", kind: "match", rule: "-m statistic --mode random --probability 0.25 -j DROP", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "statistic", kind: "match", rule: "-m statistic --mode nth --every 3 --packet 0 -j DROP", proof: GOLDEN },
	{ ext: "tcp", kind: "match", rule: "-p tcp -m tcp --dport 22 --tcp-flags SYN,ACK SYN -j ACCEPT", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "udp", kind: "match", rule: "-p udp -m udp --dport 53 -j ACCEPT", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "ttl", kind: "match", rule: "-m ttl --ttl-lt 5 -j DROP", proof: GOLDEN_EXT },
	{ ext: "hl", kind: "match", fam: "ip6", rule: "-m hl --hl-eq 255 -j ACCEPT", proof: GOLDEN_EXT },
	{ ext: "rt", kind: "match", fam: "ip6", rule: "-m rt --rt-type 0 --rt-segsleft 0 -j DROP", proof: `${GOLDEN_EXT}, ${SEM}` },
	{ ext: "rt", kind: "match", fam: "ip6", rule: "-m rt --rt-type 0 --rt-0-addrs ::1 -j DROP", proof: GOLDEN_EXT },
	{ ext: "frag", kind: "match", fam: "ip6", rule: "-m frag --fragid 100:200 --fragmore -j DROP", proof: `${GOLDEN_EXT}, ${SEM}` },
	{ ext: "ah", kind: "match", rule: "-p ah -m ah --ahspi 500 -j DROP", proof: `${GOLDEN_EXT}, ${SEM}` },
	{ ext: "ah", kind: "match", fam: "ip6", rule: "-m ah --ahspi 500 -j DROP", proof: GOLDEN_EXT },
	{ ext: "esp", kind: "match", rule: "-p esp -m esp --espspi 500:600 -j DROP", proof: `${GOLDEN_EXT}, ${SEM}` },
	{ ext: "sctp", kind: "match", rule: "-p sctp -m sctp --dport 5000 --chunk-types any INIT -j ACCEPT", proof: GOLDEN_EXT },
	{ ext: "dccp", kind: "match", rule: "-p dccp -m dccp --dport 100 --dccp-types REQUEST -j ACCEPT", proof: `${GOLDEN_EXT}, ${SEM}` },
	{ ext: "dscp", kind: "match", rule: "-m dscp --dscp-class EF -j ACCEPT", proof: GOLDEN_EXT },
	{ ext: "tos", kind: "match", rule: "-m tos --tos Minimize-Delay -j ACCEPT", proof: GOLDEN_EXT },
	{ ext: "ecn", kind: "match", rule: "-p tcp -m ecn --ecn-tcp-ece -j ACCEPT", proof: GOLDEN_EXT },
	{ ext: "rpfilter", kind: "match", table: "raw", chain: "PREROUTING", rule: "-m rpfilter --invert -j DROP", proof: GOLDEN_EXT },
	{ ext: "rpfilter", kind: "match", table: "raw", chain: "PREROUTING", rule: "-m rpfilter --loose -j ACCEPT", proof: GOLDEN_EXT },
	{ ext: "physdev", kind: "match", chain: "FORWARD", rule: "-m physdev --physdev-in veth1 -j ACCEPT", proof: GOLDEN_EXT },
	{ ext: "physdev", kind: "match", chain: "FORWARD", rule: "-m physdev --physdev-is-bridged -j ACCEPT", proof: GOLDEN_EXT },
	{ ext: "policy", kind: "match", rule: "-m policy --pol ipsec --dir in -j ACCEPT", proof: `${GOLDEN_EXT}, ${SEM}` },
	{ ext: "policy", kind: "match", rule: "-m policy --pol ipsec --dir in --proto esp -j ACCEPT", proof: GOLDEN_EXT },
	{ ext: "time", kind: "match", rule: "-m time --timestart 22:00 --timestop 06:00 --weekdays Sa,Su -j DROP", proof: `${GOLDEN_EXT}, ${SEM}, ${IPT_EXT}` },
	{ ext: "time", kind: "match", rule: "-m time --datestart 2024-01-01T00:00:00 --datestop 2024-12-31T23:59:59 -j DROP", proof: `${GOLDEN_EXT}, ${SEM}` },
	{ ext: "time", kind: "match", rule: "-m time --monthdays 1 -j DROP", proof: GOLDEN_EXT },
	{ ext: "string", kind: "match", rule: "-m string --algo bm --string evil -j DROP", proof: GOLDEN_EXT },
	{ ext: "helper", kind: "match", chain: "FORWARD", rule: "-m helper --helper ftp -j ACCEPT", proof: `${GOLDEN_EXT}, ${SEM}, ${IPT_EXT}` },
	{ ext: "helper", kind: "match", chain: "FORWARD", rule: "-m helper ! --helper ftp -j ACCEPT", proof: GOLDEN_EXT },
	{ ext: "devgroup", kind: "match", chain: "FORWARD", rule: "-m devgroup --src-group 2 -j ACCEPT", proof: `${GOLDEN_EXT}, ${SEM}` },
	{ ext: "realm", kind: "match", chain: "FORWARD", rule: "-m realm --realm 5/0xf -j ACCEPT", proof: `${GOLDEN_EXT}, ${SEM}` },
	{ ext: "cpu", kind: "match", rule: "-m cpu --cpu 1 -j ACCEPT", proof: `${GOLDEN_EXT}, ${SEM}` },
	{ ext: "cgroup", kind: "match", chain: "OUTPUT", rule: "-m cgroup --cgroup 0x100001 -j ACCEPT", proof: `${GOLDEN_EXT}, ${SEM}` },
	{ ext: "cgroup", kind: "match", chain: "OUTPUT", rule: "-m cgroup --path user.slice -j ACCEPT", proof: GOLDEN_EXT },
	{ ext: "nfacct", kind: "match", rule: "-m nfacct --nfacct-name http -j ACCEPT", proof: `${GOLDEN_EXT}, test/compiler/lower/nfacct.test.ts, test/compiler/sim/ext/nfacct.test.ts` },
	{ ext: "socket", kind: "match", table: "mangle", chain: "PREROUTING", rule: "-m socket --transparent -j ACCEPT", proof: GOLDEN_EXT },
	{ ext: "recent", kind: "match", rule: "-m recent --rcheck --seconds 60 --name SCAN -j DROP", proof: `${STATEFUL}, ${SEM}, ${IPT_EXT}` },
	{ ext: "recent", kind: "match", rule: "-m recent --update --seconds 60 --hitcount 4 --name SCAN -j DROP", proof: STATEFUL },
	{ ext: "connlimit", kind: "match", rule: "-p tcp -m connlimit --connlimit-above 2 -j DROP", proof: `${STATEFUL}, ${SEM}` },
	{ ext: "hashlimit", kind: "match", rule: "-m hashlimit --hashlimit-upto 10/sec --hashlimit-mode srcip --hashlimit-name h -j ACCEPT", proof: `${STATEFUL}, ${SEM}` },
	{ ext: "quota", kind: "match", rule: "-m quota --quota 1000000 -j ACCEPT", proof: GOLDEN_EXT },
	{ ext: "set", kind: "match", rule: "-m set --match-set blocked src -j DROP", proof: `${STATEFUL}, test/cli/translate-ipset.test.ts` },
	{ ext: "hbh", kind: "match", fam: "ip6", rule: "-m hbh --hbh-len 16 -j DROP", proof: EXTHDR },
	{ ext: "hbh", kind: "match", fam: "ip6", rule: "-m hbh --hbh-len 8 --hbh-opts 5:2 -j DROP", proof: EXTHDR },
	{ ext: "dst", kind: "match", fam: "ip6", rule: "-m dst ! --dst-len 24 -j DROP", proof: EXTHDR },
	{ ext: "mh", kind: "match", fam: "ip6", rule: "-p mh -m mh --mh-type binding-update -j ACCEPT", proof: EXTHDR },
	{ ext: "ipcomp", kind: "match", rule: "-p ipcomp -m ipcomp --ipcompspi 0x12 -j ACCEPT", proof: EXTHDR },
	{ ext: "tcpmss", kind: "match", rule: "-p tcp -m tcpmss --mss 1400:1500 -j DROP", proof: EXTHDR },
	{ ext: "tcpmss", kind: "match", rule: "-p tcp -m tcpmss ! --mss 536 -j DROP", proof: EXTHDR },
	{ ext: "ipv6header", kind: "match", fam: "ip6", rule: "-m ipv6header --header ipv6-route --soft -j DROP", proof: EXTHDR },
	{ ext: "ipv6header", kind: "match", fam: "ip6", rule: "-m ipv6header --header hop-by-hop -j DROP", proof: EXTHDR },
	// ----- targets
	{ ext: "ACCEPT/DROP/RETURN", kind: "target", rule: "-j ACCEPT", proof: GOLDEN },
	{ ext: "REJECT", kind: "target", rule: "-p tcp -j REJECT --reject-with tcp-reset", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "LOG", kind: "target", rule: '-j LOG --log-prefix "in: " --log-level 4', proof: GOLDEN },
	{ ext: "NFLOG", kind: "target", rule: "-j NFLOG --nflog-group 2 --nflog-prefix x", proof: GOLDEN },
	{ ext: "NFQUEUE", kind: "target", rule: "-j NFQUEUE --queue-num 3 --queue-bypass", proof: GOLDEN },
	{ ext: "MARK", kind: "target", table: "mangle", chain: "PREROUTING", rule: "-j MARK --set-xmark 0x1/0xff", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "CONNMARK", kind: "target", table: "mangle", chain: "PREROUTING", rule: "-j CONNMARK --save-mark", proof: `${GOLDEN}, ${IPT}` },
	{ ext: "DNAT", kind: "target", table: "nat", chain: "PREROUTING", rule: "-p tcp --dport 80 -j DNAT --to-destination 10.0.0.2:8080", proof: `${GOLDEN}, ${TXLATE}` },
	{ ext: "SNAT", kind: "target", table: "nat", chain: "POSTROUTING", rule: "-o eth0 -j SNAT --to-source 198.51.100.1", proof: `${GOLDEN}, ${TXLATE}` },
	{ ext: "MASQUERADE", kind: "target", table: "nat", chain: "POSTROUTING", rule: "-o eth0 -j MASQUERADE", proof: `${GOLDEN}, ${TXLATE}` },
	{ ext: "REDIRECT", kind: "target", table: "nat", chain: "PREROUTING", rule: "-p tcp --dport 80 -j REDIRECT --to-ports 3128", proof: `${GOLDEN}, ${TXLATE}` },
	{ ext: "NOTRACK", kind: "target", table: "raw", chain: "PREROUTING", rule: "-p udp --dport 53 -j NOTRACK", proof: GOLDEN },
	{ ext: "CT", kind: "target", table: "raw", chain: "PREROUTING", rule: "-p udp --dport 53 -j CT --zone 1", proof: `${GOLDEN_EXT}, ${IPT_EXT}` },
	{ ext: "CT", kind: "target", table: "raw", chain: "PREROUTING", rule: "-p tcp --dport 21 -j CT --helper ftp", proof: `${GOLDEN_EXT}, test/compiler/lower/ct-helper.test.ts, test/compiler/sim/ext/ct-helper.test.ts, test/compiler/kernel/ct-helper.test.ts` },
	{ ext: "CT", kind: "target", table: "raw", chain: "PREROUTING", rule: "-j CT --helper ftp", proof: "test/compiler/lower/ct-helper.test.ts" },
	{ ext: "TCPMSS", kind: "target", table: "mangle", chain: "FORWARD", rule: "-p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu", proof: GOLDEN },
	{ ext: "TTL", kind: "target", table: "mangle", chain: "PREROUTING", rule: "-j TTL --ttl-set 64", proof: GOLDEN_EXT },
	{ ext: "TTL", kind: "target", table: "mangle", chain: "PREROUTING", rule: "-j TTL --ttl-dec 1", proof: GOLDEN_EXT },
	{ ext: "HL", kind: "target", fam: "ip6", table: "mangle", chain: "POSTROUTING", rule: "-j HL --hl-set 1", proof: GOLDEN_EXT },
	{ ext: "DSCP", kind: "target", table: "mangle", chain: "POSTROUTING", rule: "-j DSCP --set-dscp-class EF", proof: GOLDEN_EXT },
	{ ext: "TOS", kind: "target", table: "mangle", chain: "POSTROUTING", rule: "-j TOS --set-tos 0x10", proof: GOLDEN_EXT },
	{ ext: "CHECKSUM", kind: "target", table: "mangle", chain: "POSTROUTING", rule: "-p udp --dport 68 -j CHECKSUM --checksum-fill", proof: GOLDEN_EXT },
	{ ext: "CLASSIFY", kind: "target", table: "mangle", chain: "POSTROUTING", rule: "-j CLASSIFY --set-class 1:10", proof: GOLDEN_EXT },
	{ ext: "AUDIT", kind: "target", rule: "-j AUDIT --type drop", proof: GOLDEN_EXT },
	{ ext: "TPROXY", kind: "target", table: "mangle", chain: "PREROUTING", rule: "-p tcp -j TPROXY --on-port 15006 --tproxy-mark 0x1/0x1", proof: GOLDEN_EXT },
	{ ext: "SYNPROXY", kind: "target", table: "mangle", chain: "INPUT", rule: "-p tcp -m state --state INVALID,UNTRACKED -j SYNPROXY --sack-perm --timestamp --wscale 7 --mss 1460", proof: GOLDEN_EXT },
	{ ext: "SET", kind: "target", rule: "-p tcp --dport 22 -j SET --add-set seen src --exist --timeout 60", proof: STATEFUL },
	{ ext: "NETMAP", kind: "target", table: "nat", chain: "PREROUTING", rule: "-d 192.0.2.0/24 -j NETMAP --to 10.1.2.0/24", proof: `${GOLDEN_EXT}, ${NETMAP_SEM}` },
	{ ext: "NETMAP", kind: "target", table: "nat", chain: "POSTROUTING", rule: "-s 10.1.2.0/24 -j NETMAP --to 192.0.2.0/24", proof: `${GOLDEN_EXT}, ${NETMAP_SEM}` },
	{ ext: "NETMAP", kind: "target", fam: "ip6", table: "nat", chain: "PREROUTING", rule: "-d 2001:db8::/64 -j NETMAP --to fd00:1::/64", proof: `${GOLDEN_EXT}, ${NETMAP_SEM}` },
	{ ext: "TCPOPTSTRIP", kind: "target", table: "mangle", chain: "FORWARD", rule: "-p tcp -j TCPOPTSTRIP --strip-options sack-permitted,timestamp", proof: `${GOLDEN_EXT}, ${NETMAP_SEM}` },
	{ ext: "HMARK", kind: "target", table: "mangle", chain: "PREROUTING", rule: "-j HMARK --hmark-tuple src,dst,proto --hmark-rnd 0xcafe --hmark-mod 4 --hmark-offset 1", proof: `${GOLDEN_EXT}, ${NEW_TARGETS_GRAMMAR}` },
	{ ext: "SECMARK", kind: "target", table: "security", chain: "INPUT", rule: "-p tcp --dport 22 -j SECMARK --selctx system_u:object_r:ssh_server_packet_t:s0", proof: `${GOLDEN_EXT}, ${NEW_TARGETS_GRAMMAR}` },
	{ ext: "CONNSECMARK", kind: "target", table: "security", chain: "INPUT", rule: "-m state --state NEW -j CONNSECMARK --save", proof: `${GOLDEN_EXT}, ${NETMAP_SEM}` },
	// ----- TEE, TRACE, CONNMARK shifts, socket --restore-skmark, base-0 numbers
	{ ext: "TEE", kind: "target", table: "mangle", chain: "PREROUTING", rule: "-p tcp --dport 22 -j TEE --gateway 192.0.2.7", proof: MISC },
	{ ext: "TEE", kind: "target", fam: "ip6", table: "mangle", chain: "PREROUTING", rule: "-j TEE --gateway fd00::7 --oif lo", proof: MISC },
	{ ext: "TRACE", kind: "target", table: "raw", chain: "PREROUTING", rule: "-p tcp --dport 22 -j TRACE", proof: MISC },
	{ ext: "CONNMARK", kind: "target", table: "mangle", chain: "PREROUTING", rule: "-j CONNMARK --set-mark 0x23/0x42 --right-shift-mark 5", proof: MISC },
	{ ext: "CONNMARK", kind: "target", table: "mangle", chain: "PREROUTING", rule: "-j CONNMARK --save-mark --nfmask 0xff --left-shift-mark 8", proof: MISC },
	{ ext: "socket", kind: "match", table: "mangle", chain: "PREROUTING", rule: "-m socket --transparent --nowildcard --restore-skmark -j ACCEPT", proof: MISC },
	{ ext: "icmp", kind: "match", rule: "-p icmp -m icmp --icmp-type info-request -j DROP", proof: MISC },
	{ ext: "length", kind: "match", rule: "-p icmp -m length --length 86:0xffff -j DROP", proof: MISC },
	// ----- conntrack counters, labels, cluster hashing (test/compiler/lower/ct-ext.test.ts, test/compiler/sim/ext/ct-ext.test.ts)
	{ ext: "connbytes", kind: "match", rule: "-m connbytes --connbytes 200:600 --connbytes-dir both --connbytes-mode bytes -j ACCEPT", proof: `${CT_LOWER}, ${CT_SEM}` },
	{ ext: "connbytes", kind: "match", rule: "-m connbytes ! --connbytes 10 --connbytes-dir original --connbytes-mode packets -j DROP", proof: `${CT_LOWER}, ${CT_SEM}` },
	{ ext: "connlabel", kind: "match", rule: "-m connlabel --label 40 --set -j ACCEPT", proof: `${CT_LOWER}, ${CT_SEM}` },
	{ ext: "connlabel", kind: "match", rule: "-m connlabel ! --label 40 -j DROP", proof: `${CT_LOWER}, ${CT_SEM}` },
	{ ext: "cluster", kind: "match", table: "mangle", chain: "PREROUTING", rule: "-i eth1 -m cluster --cluster-total-nodes 2 --cluster-local-node 1 --cluster-hash-seed 0xdeadbeef -j MARK --set-mark 0xffff", proof: `${CT_LOWER}, ${CT_SEM}` },
	// ----- u32: fixed offsets as raw payload; the IPv4 header skip as @th where no later fragment reaches
	{ ext: "u32", kind: "match", rule: '-m u32 --u32 "0>>28=4&&8&0xFF0000>>16=6,17" -j ACCEPT', proof: U32 },
	{ ext: "u32", kind: "match", rule: '-m u32 ! --u32 "40&0xFF=1:5,9" -j DROP', proof: U32 },
	{ ext: "u32", kind: "match", fam: "ip6", rule: '-m u32 --u32 "6>>24=17" -j ACCEPT', proof: U32 },
	{ ext: "u32", kind: "match", rule: '-p tcp ! -f -m u32 --u32 "0>>22&0x3C@0>>16=80" -j ACCEPT', proof: U32 },
	{ ext: "u32", kind: "match", rule: '-p tcp ! -f -m u32 --u32 "0>>22&0x3C@12>>26&0x3C@0>>24=0x47" -j DROP', proof: U32 },
	{ ext: "u32", kind: "match", rule: '-p tcp -m u32 --u32 "0>>22&0x3C@12>>26&0x3C@0>>24=0x47" -j DROP', proof: U32 },
];

/** Upstream extensions ipt2nft does not parse: rules using them are reported (unsupported_extension). */
export const NOT_PARSED: readonly { readonly ext: string; readonly kind: "match" | "target"; readonly why: string }[] = [
	{ ext: "bpf / osf / ipvs / l2tp and other rarely used matches", kind: "match", why: "not translated yet" },
	{ ext: "ECN / IDLETIMER / LED / RATEEST / CLUSTERIP / DNPT / SNPT", kind: "target", why: "not translated yet" },
];

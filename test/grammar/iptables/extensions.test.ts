/** Table-driven tests per extension: the IR node a valid rule gives, and the code an invalid one gives. */
import { describe, expect, it } from "vitest";
import type { Family, Match, TableName, Target } from "../../../compiler/ir/ipt.js";
import { matchRegistry } from "../../../grammar/iptables/registry.js";
import { errorCodes, parseRule } from "./helpers.js";

interface Ok {
	readonly spec: string;
	readonly match?: Match;
	readonly target?: Target;
	readonly table?: TableName;
	readonly chain?: string;
	readonly family?: Family;
}
interface Bad {
	readonly spec: string;
	readonly code: string;
	readonly table?: TableName;
	readonly chain?: string;
	readonly family?: Family;
	/** The column the diagnostic must point at (1-based, in `-A CHAIN spec`). */
	readonly at?: string;
}

const N = false;
const P = (lo: number, hi = lo) => ({ lo, hi });

const OK: Record<string, Ok[]> = {
	tcp: [
		{ spec: "-p tcp --dport 22", match: { kind: "tcp", dport: { value: P(22), neg: N } } },
		{ spec: "-p tcp -m tcp --sport 1024: ! --dport :80", match: { kind: "tcp", sport: { value: P(1024, 65535), neg: N }, dport: { value: P(0, 80), neg: true } } },
		{ spec: "-p tcp -m tcp --dport ! 22", match: { kind: "tcp", dport: { value: P(22), neg: true } } },
		{ spec: "-p tcp --destination-port ssh", match: { kind: "tcp", dport: { value: P(22), neg: N } } },
		{ spec: "-p tcp --syn", match: { kind: "tcp", flags: { value: { mask: 0x17, comp: 0x02 }, neg: N } } },
		{ spec: "-p tcp --tcp-flags ALL NONE", match: { kind: "tcp", flags: { value: { mask: 0xff, comp: 0 }, neg: N } } },
		{ spec: "-p tcp ! --tcp-flags SYN,ACK SYN", match: { kind: "tcp", flags: { value: { mask: 0x12, comp: 0x02 }, neg: true } } },
		{ spec: "-p tcp --tcp-option 8", match: { kind: "tcp", option: { value: 8, neg: N } } },
		{ spec: "-p 6 -m tcp --sport :", match: { kind: "tcp" } },
	],
	udp: [
		{ spec: "-p udp --dport 53", match: { kind: "udp", dport: { value: P(53), neg: N } } },
		{ spec: "-p udp -m udp --sport 67:68", match: { kind: "udp", sport: { value: P(67, 68), neg: N } } },
	],
	icmp: [
		{ spec: "-p icmp --icmp-type echo-request", match: { kind: "icmp", spec: { value: { type: 8, codeLo: 0, codeHi: 255 }, neg: N } } },
		{ spec: "-p icmp -m icmp --icmp-type port-unreachable", match: { kind: "icmp", spec: { value: { type: 3, codeLo: 3, codeHi: 3 }, neg: N } } },
		{ spec: "-p icmp -m icmp ! --icmp-type 3/4", match: { kind: "icmp", spec: { value: { type: 3, codeLo: 4, codeHi: 4 }, neg: true } } },
		{ spec: "-p icmp --icmp-type any", match: { kind: "icmp", spec: { value: "any", neg: N } } },
	],
	icmp6: [
		{ spec: "-p icmpv6 --icmpv6-type echo-request", family: "ip6", match: { kind: "icmpv6", spec: { value: { type: 128, codeLo: 0, codeHi: 255 }, neg: N } } },
		{ spec: "-p ipv6-icmp -m icmp6 --icmpv6-type neighbour-solicitation", family: "ip6", match: { kind: "icmpv6", spec: { value: { type: 135, codeLo: 0, codeHi: 255 }, neg: N } } },
		{ spec: "-p icmpv6 -m icmpv6 --icmpv6-type 1/3", family: "ip6", match: { kind: "icmpv6", spec: { value: { type: 1, codeLo: 3, codeHi: 3 }, neg: N } } },
	],
	multiport: [
		{ spec: "-p tcp -m multiport --dports 22,80,8000:8080", match: { kind: "multiport", dir: "dst", ports: { value: [P(22), P(80), P(8000, 8080)], neg: N } } },
		{ spec: "-p udp -m multiport ! --source-ports 53", match: { kind: "multiport", dir: "src", ports: { value: [P(53)], neg: true } } },
		{ spec: "-p tcp -m multiport --ports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15", match: { kind: "multiport", dir: "any", ports: { value: Array.from({ length: 15 }, (_, i) => P(i + 1)), neg: N } } },
	],
	conntrack: [
		{ spec: "-m conntrack --ctstate RELATED,ESTABLISHED", match: { kind: "conntrack", state: { value: ["RELATED", "ESTABLISHED"], neg: N } } },
		{ spec: "-m conntrack ! --ctstate SNAT,DNAT,UNTRACKED", match: { kind: "conntrack", state: { value: ["SNAT", "DNAT", "UNTRACKED"], neg: true } } },
		{ spec: "-m conntrack --ctstatus ASSURED --ctproto tcp --ctdir REPLY", match: { kind: "conntrack", status: { value: ["ASSURED"], neg: N }, proto: { value: 6, neg: N }, dir: "REPLY" } },
		{ spec: "-m conntrack --ctorigdst 10.0.0.0/8 --ctorigdstport 80", match: { kind: "conntrack", origDst: { value: { fam: 4, addr: 0x0a000000n, mask: 0xff000000n, prefixLen: 8 }, neg: N }, origDstPort: { value: P(80), neg: N } } },
		{ spec: "-m conntrack --ctexpire 10:20", match: { kind: "conntrack", expire: { value: P(10, 20), neg: N } } },
	],
	state: [{ spec: "-m state --state NEW,ESTABLISHED", match: { kind: "state", state: { value: ["NEW", "ESTABLISHED"], neg: N } } }],
	addrtype: [
		{ spec: "-m addrtype --dst-type LOCAL", match: { kind: "addrtype", dst: { value: ["LOCAL"], neg: N } } },
		{ spec: "-m addrtype ! --src-type BROADCAST,MULTICAST --limit-iface-in", match: { kind: "addrtype", src: { value: ["BROADCAST", "MULTICAST"], neg: true }, limitIface: "in" } },
	],
	comment: [{ spec: '-m comment --comment "a b \\"c\\""', match: { kind: "comment", text: 'a b "c"' } }],
	mark: [
		{ spec: "-m mark --mark 0x4000/0x4000", match: { kind: "mark", mark: { value: { value: 0x4000, mask: 0x4000 }, neg: N } } },
		{ spec: "-m mark ! --mark 1", match: { kind: "mark", mark: { value: { value: 1, mask: 0xffffffff }, neg: true } } },
	],
	connmark: [{ spec: "-m connmark --mark 0x1/0xff", match: { kind: "connmark", mark: { value: { value: 1, mask: 0xff }, neg: N } } }],
	limit: [
		{ spec: "-m limit", match: { kind: "limit", rate: 3, unit: "hour", burst: 5 } },
		{ spec: "-m limit --limit 25/s --limit-burst 100", match: { kind: "limit", rate: 25, unit: "second", burst: 100 } },
		{ spec: "-m limit --limit 10/min", match: { kind: "limit", rate: 10, unit: "minute", burst: 5 } },
		{ spec: "-m limit --limit 2/d", match: { kind: "limit", rate: 2, unit: "day", burst: 5 } },
	],
	mac: [{ spec: "-m mac --mac-source 00:11:22:AA:bb:cc", match: { kind: "mac", src: { value: 0x001122aabbccn, neg: N } } }],
	iprange: [
		{ spec: "-m iprange --src-range 10.0.0.1-10.0.0.9", match: { kind: "iprange", src: { value: { fam: 4, lo: 0x0a000001n, hi: 0x0a000009n }, neg: N } } },
		{ spec: "-m iprange ! --dst-range 2001:db8::1-2001:db8::10", family: "ip6", match: { kind: "iprange", dst: { value: { fam: 6, lo: 0x20010db8000000000000000000000001n, hi: 0x20010db8000000000000000000000010n }, neg: true } } },
	],
	length: [{ spec: "-m length --length :100", match: { kind: "length", length: { value: P(0, 100), neg: N } } }],
	pkttype: [{ spec: "-m pkttype --pkt-type broadcast", match: { kind: "pkttype", type: { value: "broadcast", neg: N } } }],
	owner: [
		{ spec: "-m owner --uid-owner root", chain: "OUTPUT", match: { kind: "owner", uid: { value: P(0), neg: N } } },
		{ spec: "-m owner ! --gid-owner 100-200 --suppl-groups", chain: "OUTPUT", match: { kind: "owner", gid: { value: P(100, 200), neg: true }, suppGroups: true } },
		{ spec: "-m owner --socket-exists", chain: "OUTPUT", match: { kind: "owner", socketExists: { value: true, neg: N } } },
	],
	statistic: [
		{ spec: "-m statistic --mode random --probability 0.25", match: { kind: "statistic", mode: "random", probability: 0.25, neg: N } },
		{ spec: "-m statistic --mode nth ! --every 3 --packet 1", match: { kind: "statistic", mode: "nth", every: 3, packet: 1, neg: true } },
	],
};

const T = (t: Target, spec: string, extra: Partial<Ok> = {}): Ok => ({ spec, target: t, ...extra });
const F = { random: false, randomFully: false, persistent: false };

const TARGETS: Ok[] = [
	T({ kind: "accept" }, "-j ACCEPT"),
	T({ kind: "drop" }, "-j DROP"),
	T({ kind: "return" }, "-j RETURN"),
	T({ kind: "jump", chain: "USER" }, "-j USER", { chain: "INPUT" }),
	T({ kind: "reject", with: "icmp-port-unreachable" }, "-j REJECT"),
	T({ kind: "reject", with: "icmp-host-prohibited" }, "-j REJECT --reject-with host-prohib"),
	T({ kind: "reject", with: "tcp-reset" }, "-p tcp -j REJECT --reject-with tcp-rst"),
	T({ kind: "reject", with: "icmp6-port-unreachable" }, "-j REJECT", { family: "ip6" }),
	T({ kind: "reject", with: "icmp6-adm-prohibited" }, "-j REJECT --reject-with adm-prohibited", { family: "ip6" }),
	T({ kind: "log", level: 4, prefix: "IN: ", tcpSequence: false, tcpOptions: true, ipOptions: false, uid: false, macDecode: false }, '-j LOG --log-prefix "IN: " --log-tcp-options'),
	T({ kind: "log", level: 7, tcpSequence: false, tcpOptions: false, ipOptions: false, uid: true, macDecode: false }, "-j LOG --log-level debug --log-uid"),
	T({ kind: "nflog", group: 5, prefix: "x", threshold: 10 }, "-j NFLOG --nflog-group 5 --nflog-prefix x --nflog-threshold 10"),
	T({ kind: "dnat", range: { addrLo: 0x0a000001n, addrHi: 0x0a000001n, portLo: 80, portHi: 80 }, flags: F, fam: 4 }, "-p tcp -j DNAT --to-destination 10.0.0.1:80", { table: "nat", chain: "PREROUTING" }),
	T({ kind: "dnat", range: { addrLo: 0x0a000001n, addrHi: 0x0a000001n }, flags: F, fam: 4 }, "-j DNAT --to 10.0.0.1", { table: "nat", chain: "OUTPUT" }),
	T({ kind: "dnat", range: { addrLo: 0x20010db8000000000000000000000001n, addrHi: 0x20010db8000000000000000000000001n, portLo: 1000, portHi: 2000, portBase: 3000 }, flags: F, fam: 6 }, "-p tcp -j DNAT --to-destination [2001:db8::1]:1000-2000/3000", { table: "nat", chain: "PREROUTING", family: "ip6" }),
	T({ kind: "snat", range: { addrLo: 0x01020304n, addrHi: 0x01020308n }, flags: { random: true, randomFully: false, persistent: true }, fam: 4 }, "-j SNAT --to-source 1.2.3.4-1.2.3.8 --random --persistent", { table: "nat", chain: "POSTROUTING" }),
	T({ kind: "masquerade", ports: P(1024, 65535), flags: { ...F, randomFully: true } }, "-p udp -j MASQUERADE --to-ports 1024-65535 --random-fully", { table: "nat", chain: "POSTROUTING" }),
	T({ kind: "redirect", ports: P(3128), flags: F }, "-p tcp -j REDIRECT --to-ports 3128", { table: "nat", chain: "PREROUTING" }),
	T({ kind: "mark", value: 1, mask: 0xffffffff }, "-j MARK --set-xmark 0x1", { table: "mangle", chain: "PREROUTING" }),
	T({ kind: "mark", value: 0x10, mask: 0xf0 }, "-j MARK --set-mark 0x10/0xf0", { table: "mangle", chain: "PREROUTING" }),
	T({ kind: "mark", value: 0, mask: 0xfffffff0 }, "-j MARK --and-mark 0xf", { table: "mangle", chain: "PREROUTING" }),
	T({ kind: "mark", value: 4, mask: 4 }, "-j MARK --or-mark 4", { table: "mangle", chain: "PREROUTING" }),
	T({ kind: "mark", value: 4, mask: 0 }, "-j MARK --xor-mark 4", { table: "mangle", chain: "PREROUTING" }),
	T({ kind: "connmark-set", value: 1, mask: 0xffffffff }, "-j CONNMARK --set-mark 1", { table: "mangle", chain: "PREROUTING" }),
	T({ kind: "connmark-save", nfmask: 0xff, ctmask: 0xff }, "-j CONNMARK --save-mark --mask 0xff", { table: "mangle", chain: "PREROUTING" }),
	T({ kind: "connmark-restore", nfmask: 0xffffffff, ctmask: 0xf }, "-j CONNMARK --restore-mark --ctmask 0xf", { table: "mangle", chain: "PREROUTING" }),
	T({ kind: "notrack" }, "-j CT --notrack", { table: "raw", chain: "PREROUTING" }),
	T({ kind: "notrack" }, "-j NOTRACK", { table: "raw", chain: "OUTPUT" }),
	T({ kind: "tcpmss", mss: "pmtu" }, "-p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu", { table: "mangle", chain: "FORWARD" }),
	T({ kind: "tcpmss", mss: 1400 }, "-p tcp --syn -j TCPMSS --set-mss 1400", { table: "mangle", chain: "POSTROUTING" }),
	T({ kind: "nfqueue", num: 2, balanceTo: 5, bypass: true, cpuFanout: false }, "-j NFQUEUE --queue-balance 2:5 --queue-bypass"),
	T({ kind: "nfqueue", num: 0, bypass: false, cpuFanout: false }, "-j QUEUE"),
];

const BAD: Bad[] = [
	{ spec: "-p tcp --dport 70000", code: "invalid_port", at: "70000" },
	{ spec: "-p tcp --dprot 22", code: "unknown_option", at: "--dprot" },
	{ spec: "--dport 22", code: "protocol_required", at: "--dport" },
	{ spec: "--ctstate NEW", code: "match_not_loaded", at: "--ctstate" },
	{ spec: "-p udp --syn", code: "protocol_required", at: "--syn" },
	{ spec: "-p tcp --sprot 22", code: "unknown_option", at: "--sprot" },
	{ spec: "-p tcp --dport", code: "missing_argument", at: "--dport" },
	{ spec: "-m tcp --dport 1", code: "protocol_required", at: "tcp" },
	{ spec: "! -p tcp -m tcp --dport 1", code: "protocol_required" },
	{ spec: "-p tcp --tcp-flags SYN,FOO SYN", code: "invalid_value", at: "SYN,FOO" },
	{ spec: "-p icmp --icmp-type bogus", code: "invalid_value", at: "bogus" },
	{ spec: "-m icmp6 --icmpv6-type 1", code: "family_mismatch", at: "icmp6" },
	{ spec: "-p icmp --icmp-type echo-request", family: "ip6", code: "family_mismatch", at: "--icmp-type" },
	{ spec: "-p icmpv6 --icmpv6-type echo-request", code: "family_mismatch", at: "--icmpv6-type" },
	{ spec: "-p tcp -m multiport --dports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15:16", code: "invalid_value" },
	{ spec: "-m multiport --dports 1,2", code: "protocol_required" },
	{ spec: "-m conntrack --ctstate NEW,BOGUS", code: "invalid_value", at: "NEW,BOGUS" },
	{ spec: "-m state --state SNAT", code: "invalid_value" },
	{ spec: "-m addrtype --dst-type LOCALE", code: "invalid_value" },
	{ spec: `-m comment --comment ${"x".repeat(256)}`, code: "invalid_value" },
	{ spec: "-m mark --mark 0x100000000", code: "invalid_value" },
	{ spec: "-m limit --limit 3/fortnight", code: "invalid_value" },
	{ spec: "-m mac --mac-source 00:11:22:33:44", code: "invalid_value" },
	{ spec: "-m iprange --src-range 10.0.0.9-10.0.0.1", code: "invalid_address" },
	{ spec: "-m length --length 10:5", code: "invalid_value" },
	{ spec: "-m pkttype --pkt-type anycast", code: "invalid_value" },
	{ spec: "-m owner --uid-owner nobody", chain: "OUTPUT", code: "invalid_value", at: "nobody" },
	{ spec: "-m owner --uid-owner 0", chain: "INPUT", code: "conflicting_options" },
	{ spec: "-m statistic --mode random --probability 2", code: "invalid_value" },
	{ spec: "-m statistic --mode nth --every 2 --packet 2", code: "invalid_value" },
	{ spec: "-s 1.2.3.256", code: "invalid_address", at: "1.2.3.256" },
	{ spec: "-s 1.2.3.4/33", code: "invalid_address" },
	{ spec: "-d example.com", code: "invalid_address" },
	{ spec: "-s 2001:db8::1", code: "family_mismatch" },
	{ spec: "-i abcdefghijklmnop", code: "invalid_interface" },
	{ spec: "-p bogus", code: "invalid_value" },
	{ spec: "-s 1.2.3.4 -s 5.6.7.8", code: "duplicate_option" },
	{ spec: "! ! -s 1.2.3.4", code: "syntax_error" },
	{ spec: "-j ACCEPT stray", code: "syntax_error", at: "stray" },
	{ spec: "-i eth0", chain: "OUTPUT", code: "conflicting_options" },
	{ spec: "-j REJECT --reject-with tcp-reset", code: "protocol_required" },
	{ spec: "-j REJECT", table: "nat", chain: "PREROUTING", code: "target_not_allowed_here", at: "REJECT" },
	{ spec: "-j REJECT --reject-with icmp6-no-route", code: "family_mismatch" },
	{ spec: "-j REJECT --reject-with bogus", code: "invalid_value" },
	{ spec: "-j LOG --log-prefix 123456789012345678901234567890", code: "invalid_value" },
	{ spec: "-j LOG --log-level 9", code: "invalid_value" },
	{ spec: "-j NFLOG --nflog-group 70000", code: "invalid_value" },
	{ spec: "-j DNAT --to-destination 1.2.3.4", table: "filter", code: "target_not_allowed_here" },
	{ spec: "-j DNAT --to-destination 1.2.3.4", table: "nat", chain: "POSTROUTING", code: "target_not_allowed_here" },
	{ spec: "-j DNAT --to-destination 1.2.3.4:80", table: "nat", chain: "PREROUTING", code: "protocol_required" },
	{ spec: "-p tcp -j DNAT --to-destination 1.2.3.4:99999", table: "nat", chain: "PREROUTING", code: "invalid_port" },
	{ spec: "-j SNAT", table: "nat", chain: "POSTROUTING", code: "missing_argument" },
	{ spec: "-j MASQUERADE", table: "nat", chain: "PREROUTING", code: "target_not_allowed_here" },
	{ spec: "-j REDIRECT --to-ports 80", table: "nat", chain: "PREROUTING", code: "protocol_required" },
	{ spec: "-j MARK --set-mark 1 --or-mark 2", table: "mangle", chain: "PREROUTING", code: "conflicting_options" },
	{ spec: "-j CONNMARK --save-mark --set-mark 1", table: "mangle", chain: "PREROUTING", code: "conflicting_options" },
	{ spec: "-j NOTRACK", table: "filter", code: "target_not_allowed_here" },
	{ spec: "-j CT --notrack", table: "mangle", chain: "PREROUTING", code: "target_not_allowed_here" },
	{ spec: "-p tcp -j TCPMSS --set-mss 1400", table: "mangle", chain: "FORWARD", code: "invalid_value" },
	{ spec: "-p udp -j TCPMSS --clamp-mss-to-pmtu", table: "mangle", chain: "FORWARD", code: "protocol_required" },
	{ spec: "-j NFQUEUE --queue-num 1 --queue-balance 1:2", code: "conflicting_options" },
];

describe("matches", () => {
	for (const [ext, cases] of Object.entries(OK))
		for (const c of cases)
			it(`${ext}: ${c.spec}`, () => {
				const r = parseRule(c.spec, c);
				expect(errorCodes(r.diagnostics)).toEqual([]);
				expect(r.rules).toHaveLength(1);
				expect(r.rules[0]!.matches).toEqual([c.match]);
			});
});

describe("targets", () => {
	for (const c of TARGETS)
		it(c.spec, () => {
			const r = parseRule(c.spec, { ...c, chains: ["USER"] });
			expect(errorCodes(r.diagnostics)).toEqual([]);
			expect(r.rules).toHaveLength(1);
			expect(r.rules[0]!.target).toEqual(c.target);
		});
});

describe("invalid rules", () => {
	for (const c of BAD)
		it(`${c.code}: ${c.spec.slice(0, 60)}`, () => {
			const r = parseRule(c.spec, c);
			expect(errorCodes(r.diagnostics)).toContain(c.code);
			expect(r.rules).toHaveLength(0);
			const d = r.diagnostics.find((x) => x.code === c.code)!;
			expect(d.span?.line).toBe(2 + (c.chain !== undefined && !["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"].includes(c.chain) ? 1 : 0));
			if (c.at !== undefined) {
				const line = `-A ${c.chain ?? "INPUT"} ${c.spec}`;
				expect(d.span?.col).toBe(line.indexOf(c.at) + 1);
			}
		});
});

describe("unknown extensions are kept and reported", () => {
	it("keeps -m ipvs as an unknown match with its arguments", () => {
		const r = parseRule("-p tcp -m ipvs --vproto 6 ! --vport 1 -j DROP");
		expect(errorCodes(r.diagnostics)).toEqual(["unsupported_extension"]);
		expect(r.rules).toHaveLength(1);
		expect(r.rules[0]!.matches).toEqual([{ kind: "unknown", name: "ipvs", args: ["--vproto", "6", "!", "--vport", "1"] }]);
		expect(r.rules[0]!.target).toEqual({ kind: "drop" });
		expect(r.diagnostics[0]!.span?.col).toBe("-A INPUT -p tcp ".length + 1);
	});
	it("keeps an unknown target with its arguments", () => {
		const r = parseRule("-p tcp -j IDLETIMER --timeout 5 --label x");
		expect(errorCodes(r.diagnostics)).toEqual(["unsupported_extension"]);
		expect(r.rules[0]!.target).toEqual({ kind: "unknown", name: "IDLETIMER", args: ["--timeout", "5", "--label", "x"] });
	});
	// Every protocol iptables autoloads a match for (libxt_NAME for `-p NAME`) is registered, so
	// `-p X --opt` reaches that match's options; a protocol without one has no options at all.
	it("autoloads the match of every protocol that has one; other protocols take no options", () => {
		for (const p of ["tcp", "udp", "icmp", "sctp", "dccp", "esp", "ah", "ipcomp"]) expect(matchRegistry.has(p), p).toBe(true);
		expect(matchRegistry.has("mh")).toBe(true);
		const r = parseRule("-p gre --some-option 80 -j ACCEPT");
		expect(errorCodes(r.diagnostics)).toEqual(["unknown_option"]);
	});
});

describe("generic options", () => {
	it("normalises addresses and masks", () => {
		const r = parseRule("-s 10.11.12.13/255.0.255.0 -d 10.1.2.3/8");
		expect(r.rules[0]!.src).toEqual({ value: { fam: 4, addr: 0x0a000c00n, mask: 0xff00ff00n, prefixLen: undefined }, neg: false });
		expect(r.rules[0]!.dst).toEqual({ value: { fam: 4, addr: 0x0a000000n, mask: 0xff000000n, prefixLen: 8 }, neg: false });
	});
	it("expands comma lists into one rule per address pair", () => {
		const r = parseRule("-s 1.1.1.1,2.2.2.2 ! -d 3.3.3.3,4.4.4.4 -j DROP");
		expect(r.rules).toHaveLength(4);
		expect(r.rules.map((x) => [x.src?.value.addr, x.dst?.value.addr, x.dst?.neg])).toEqual([
			[0x01010101n, 0x03030303n, true],
			[0x01010101n, 0x04040404n, true],
			[0x02020202n, 0x03030303n, true],
			[0x02020202n, 0x04040404n, true],
		]);
		expect(new Set(r.rules.map((x) => x.span.line))).toEqual(new Set([2]));
	});
	it("reads IPv6 prefixes", () => {
		const r = parseRule("-s 2001:db8::/32 -j ACCEPT", { family: "ip6" });
		expect(r.rules[0]!.src?.value).toEqual({ fam: 6, addr: 0x20010db8n << 96n, mask: ((1n << 32n) - 1n) << 96n, prefixLen: 32 });
	});
	it("reads interfaces, wildcards and negation (both ! placements)", () => {
		const r = parseRule("-i eth+ -o ! lo -p ! udp -f", { chain: "FORWARD" });
		expect(r.rules[0]!.iif).toEqual({ value: { name: "eth", wildcard: true }, neg: false });
		expect(r.rules[0]!.oif).toEqual({ value: { name: "lo", wildcard: false }, neg: true });
		expect(r.rules[0]!.proto).toEqual({ value: 17, neg: true });
		expect(r.rules[0]!.fragment).toEqual({ value: true, neg: false });
	});
	it("accepts getopt forms: long options with =, attached short values, prefixes", () => {
		const r = parseRule("--protocol=tcp -s1.2.3.4 --in-interface=eth0 --dport=22 -jACCEPT", { chain: "FORWARD" });
		expect(errorCodes(r.diagnostics)).toEqual([]);
		expect(r.rules[0]!.proto?.value).toBe(6);
		expect(r.rules[0]!.matches).toEqual([{ kind: "tcp", dport: { value: P(22), neg: false } }]);
		expect(r.rules[0]!.target).toEqual({ kind: "accept" });
	});
	it("drops -p all and -i +", () => {
		const r = parseRule("-p all -i + -j ACCEPT");
		expect(r.rules[0]!.proto).toBeUndefined();
		expect(r.rules[0]!.iif).toBeUndefined();
	});
	it("reads -c counters", () => {
		expect(parseRule("-c 10 20 -j ACCEPT").rules[0]!.counters).toEqual({ packets: 10n, bytes: 20n });
		expect(parseRule("-c 2,3 -j ACCEPT").rules[0]!.counters).toEqual({ packets: 2n, bytes: 3n });
	});
	it("gives unknown options a hint", () => {
		const r = parseRule("-p tcp --dprot 22");
		expect(r.diagnostics[0]!.hint).toBe("did you mean --dport?");
	});
});

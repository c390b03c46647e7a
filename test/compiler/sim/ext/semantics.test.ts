/**
 * Simulator semantics of the extensions whose state lives outside the basic packet (SPI, IPv6
 * routing/fragment headers, DCCP type, CPU, realm, cgroup, device groups, master helper, IPsec):
 * ipt2nft's translation verifies equal, and a translation that is off by one value is caught (so
 * the corpus really reaches the edges of each match, on both sides).
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../../compiler/index.js";
import { verifyTexts } from "../../../../compiler/verify.js";
import { expectExactWithMutantsCaught, nftText, saveText, verifyCase as run, type ExtCase } from "./harness.js";

interface Case extends ExtCase {
	readonly name: string;
	readonly fam: "ip" | "ip6";
	readonly table: string;
	readonly chain: string;
	readonly rule: string;
	/** The rule's nft with one value moved: must verify different. */
	readonly mutant: string;
	readonly conntrack?: boolean;
}

const CASES: readonly Case[] = [
	{ name: "esp spi range", fam: "ip", table: "filter", chain: "INPUT", rule: "-p esp -m esp --espspi 500:600 -j DROP", mutant: "ip protocol esp esp spi 500-599 drop" },
	{ name: "ah spi negated", fam: "ip", table: "filter", chain: "INPUT", rule: "-p ah -m ah ! --ahspi 50 -j DROP", mutant: "ip protocol ah ah spi != 51 drop" },
	{ name: "ip6 esp spi", fam: "ip6", table: "filter", chain: "INPUT", rule: "-p esp -m esp --espspi 7 -j DROP", mutant: "meta l4proto esp esp spi 8 drop" },
	{ name: "rt seg-left", fam: "ip6", table: "filter", chain: "INPUT", rule: "-m rt --rt-segsleft 13:42 -j DROP", mutant: "rt seg-left 13-41 drop" },
	{ name: "rt type", fam: "ip6", table: "filter", chain: "INPUT", rule: "-m rt --rt-type 0 -j DROP", mutant: "rt type 2 drop" },
	{ name: "rt len in bytes", fam: "ip6", table: "filter", chain: "INPUT", rule: "-m rt --rt-len 24 -j DROP", mutant: "rt hdrlength 3 drop" },
	{ name: "rt header present", fam: "ip6", table: "filter", chain: "INPUT", rule: "-m rt ! --rt-type 0 -j DROP", mutant: "rt type != 1 drop" },
	{ name: "frag id", fam: "ip6", table: "filter", chain: "INPUT", rule: "-m frag --fragid 100:200 -j DROP", mutant: "frag id 100-201 drop", conntrack: false },
	{ name: "frag reserved", fam: "ip6", table: "filter", chain: "INPUT", rule: "-m frag --fragres -j DROP", mutant: "frag reserved 0 drop", conntrack: false },
	{ name: "dccp type", fam: "ip", table: "filter", chain: "INPUT", rule: "-p dccp -m dccp --dccp-types CLOSE -j DROP", mutant: "dccp type closereq drop" },
	{ name: "cpu", fam: "ip", table: "filter", chain: "INPUT", rule: "-m cpu --cpu 1 -j DROP", mutant: "meta cpu 2 drop" },
	{ name: "realm masked", fam: "ip", table: "filter", chain: "FORWARD", rule: "-m realm --realm 5/0xf -j DROP", mutant: "meta rtclassid & 0xf == 0x4 drop" },
	{ name: "realm id outside its mask never matches", fam: "ip", table: "filter", chain: "FORWARD", rule: "-m realm --realm 0x15/0xf -j DROP", mutant: "meta rtclassid & 0xf == 0x5 drop" },
	{ name: "cgroup classid", fam: "ip", table: "filter", chain: "OUTPUT", rule: "-m cgroup --cgroup 7 -j DROP", mutant: "meta cgroup 8 drop" },
	{ name: "devgroup src", fam: "ip", table: "filter", chain: "FORWARD", rule: "-m devgroup --src-group 2 -j DROP", mutant: "meta iifgroup 3 drop" },
	{ name: "devgroup dst masked", fam: "ip", table: "filter", chain: "FORWARD", rule: "-m devgroup ! --dst-group 0xc/0xc -j DROP", mutant: "meta oifgroup & 0xc != 0x8 drop" },
	{ name: "helper", fam: "ip", table: "filter", chain: "FORWARD", rule: "-m helper --helper ftp -j DROP", mutant: 'ct helper "sip" drop' },
	{ name: "rpfilter strict, inverted", fam: "ip", table: "raw", chain: "PREROUTING", rule: "-m rpfilter --invert -j DROP", mutant: "fib saddr oif missing drop" },
	{ name: "rpfilter ip6 with validmark", fam: "ip6", table: "mangle", chain: "PREROUTING", rule: "-m rpfilter --validmark -j DROP", mutant: "fib saddr . mark oif exists drop" },
	{ name: "policy in", fam: "ip", table: "filter", chain: "INPUT", rule: "-m policy --pol ipsec --dir in -j DROP", mutant: "meta secpath missing drop" },
	{ name: "policy out", fam: "ip", table: "filter", chain: "OUTPUT", rule: "-m policy --pol none --dir out -j DROP", mutant: "rt ipsec exists drop" },
];

describe("extension semantics: translation equal, off-by-one caught", () => {
	for (const c of CASES) {
		it(c.name, () => {
			expectExactWithMutantsCaught(c, [c.mutant]);
		});
	}
});

describe("time: xt_time against nft meta time/hour/day", () => {
	const cases: Case[] = [
		{ name: "datestop holds for its whole second", fam: "ip", table: "filter", chain: "INPUT", rule: "-m time --datestop 2021-01-29T00:00:00 -j DROP", mutant: 'meta time <= "2021-01-29 00:00:00" drop' },
		{ name: "datestart", fam: "ip", table: "filter", chain: "INPUT", rule: "-m time --datestart 2020-01-29T00:00:00 -j DROP", mutant: 'meta time > "2020-01-29 00:00:00" meta time < "2038-01-19 03:14:08" drop' },
		{ name: "time of day", fam: "ip", table: "filter", chain: "INPUT", rule: "-m time --timestart 12:00 --timestop 19:00 -j DROP", mutant: 'meta hour "12:00:00"-"18:59:59" drop' },
		{ name: "over midnight includes both ends", fam: "ip", table: "filter", chain: "INPUT", rule: "-m time --timestart 22:00 --timestop 06:00 -j DROP", mutant: 'meta hour "22:00:00"-"06:00:00" drop' },
		{ name: "weekdays", fam: "ip", table: "filter", chain: "INPUT", rule: "-m time --weekdays Sa,Su -j DROP", mutant: "meta day { 0, 5 } drop" },
		{ name: "weekdays negated with a period", fam: "ip", table: "filter", chain: "INPUT", rule: "-m time --timestart 12:00 --timestop 19:00 ! --weekdays Mon,Tue,Wed,Thu,Fri -j DROP", mutant: 'meta hour "12:00:00"-"19:00:00" meta day { 0, 1 } drop' },
	];
	for (const c of cases) {
		it(c.name, () => {
			const out = compile(saveText(c), { file: "t.rules", family: c.fam });
			expect(out.ok).toBe(true);
			expect(run(c, out.output).equal).toBe(true);
			expect(run(c, nftText(c, c.mutant)).equal).toBe(false);
		});
	}
});

describe("stateful matches: recent lists and nft dynamic sets within a flow, connlimit, hashlimit", () => {
	const verifyPair = (rules: string, nft: string) => {
		const r = verifyTexts(rules, nft, { oldFile: "t.rules", newFile: "t.nft", packets: 3000, conntrack: true });
		if (r.kind === "input-error") throw new Error(r.diagnostics.map((d) => d.message).join("; "));
		return r.result;
	};
	const table = (sets: string, input: string): string =>
		`table ip filter {\n${sets}\n\tchain INPUT {\n\t\ttype filter hook input priority 0; policy accept;\n${input}\n\t}\n}\n`;

	const recentRules = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m recent --rcheck --seconds 60 --name SCAN -j DROP\n-A INPUT -p tcp -m recent --set --name SCAN\nCOMMIT\n";
	const recentSet = "\tset recent_SCAN {\n\t\ttype ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\ttimeout 60s\n\t}";

	it("recent --set then --rcheck: the follow-up of a flow is dropped on both sides", () => {
		const out = compile(recentRules, { file: "t.rules" });
		expect(out.ok).toBe(true);
		expect(out.output).toMatch(/update @recent_SCAN/);
		expect(verifyPair(recentRules, out.output).equal).toBe(true);
	});
	it("a set keyed by the wrong address is caught", () => {
		const wrong = table(recentSet, "\t\tip protocol tcp ip saddr @recent_SCAN drop\n\t\tip protocol tcp update @recent_SCAN { ip daddr }");
		expect(verifyPair(recentRules, wrong).equal).toBe(false);
	});
	it("a check that never sees the packet path's additions is caught (state is modelled)", () => {
		const stateless = table(recentSet, "\t\tip protocol tcp ip saddr @recent_SCAN drop");
		expect(verifyPair(recentRules, stateless).equal).toBe(false);
	});

	const connlimit = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m connlimit --connlimit-above 2 -j DROP\nCOMMIT\n";
	const connSet = "\tset connlimit {\n\t\ttype ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic\n\t}";
	it("connlimit as `add @set { ip saddr ct count over N }`", () => {
		const out = compile(connlimit, { file: "t.rules" });
		expect(out.ok).toBe(true);
		expect(verifyPair(connlimit, out.output).equal).toBe(true);
		expect(verifyPair(connlimit, table(connSet, "\t\tip protocol tcp add @connlimit { ip saddr ct count over 3 } drop")).equal).toBe(false);
		expect(verifyPair(connlimit, table(connSet, "\t\tip protocol tcp add @connlimit { ip saddr ct count 2 } drop")).equal).toBe(false);
	});

	const hashlimit =
		"*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -m hashlimit --hashlimit-upto 300 --hashlimit-burst 15 --hashlimit-mode srcip,dstip --hashlimit-name https --hashlimit-htable-expire 300000 -j DROP\nCOMMIT\n";
	it("hashlimit as `update @set { key limit rate … }`", () => {
		const out = compile(hashlimit, { file: "t.rules" });
		expect(out.ok).toBe(true);
		expect(verifyPair(hashlimit, out.output).equal).toBe(true);
		const hlSet = "\tset hashlimit_https {\n\t\ttype ipv4_addr . ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\ttimeout 300s\n\t}";
		expect(verifyPair(hashlimit, table(hlSet, "\t\tip protocol tcp update @hashlimit_https { ip saddr . ip daddr limit rate over 300/second burst 15 packets } drop")).equal).toBe(false);
	});
});

describe("TPROXY: socket lookups on both sides", () => {
	const mangle = (rule: string): string => `*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING ${rule}\nCOMMIT\n`;
	const nftMangle = (rules: string, fam = "ip"): string =>
		`table ${fam} mangle {\n\tchain PREROUTING {\n\t\ttype filter hook prerouting priority -150; policy accept;\n${rules}\n\t}\n}\n`;
	const check = (rules: string, nft: string, fam: "ip" | "ip6" = "ip") => {
		const r = verifyTexts(rules, nft, { oldFile: "t.rules", newFile: "t.nft", family: fam, packets: 3000, conntrack: true });
		if (r.kind === "input-error") throw new Error(r.diagnostics.map((d) => d.message).join("; "));
		return r.result.equal;
	};
	const rule = "-p tcp -j TPROXY --on-port 12345 --on-ip 10.0.0.1 --tproxy-mark 0x23/0xff";
	it("translation (tproxy, mark, accept; drop when no socket) verifies equal", () => {
		const out = compile(mangle(rule), { file: "t.rules" });
		expect(out.ok).toBe(true);
		expect(check(mangle(rule), out.output)).toBe(true);
	});
	it("another port, a lost fallback drop, or another mark are caught", () => {
		const ok = "\t\tip protocol tcp tproxy to 10.0.0.1:12345 meta mark set meta mark & 0xffffff00 ^ 0x00000023 accept\n\t\tip protocol tcp drop";
		expect(check(mangle(rule), nftMangle(ok))).toBe(true);
		expect(check(mangle(rule), nftMangle(ok.replace(":12345", ":12346")))).toBe(false);
		expect(check(mangle(rule), nftMangle(ok.replace("\n\t\tip protocol tcp drop", "")))).toBe(false);
		expect(check(mangle(rule), nftMangle(ok.replace("0x00000023", "0x00000024")))).toBe(false);
	});
	it("--on-port 0 keeps the packet's port; ip6 with an address", () => {
		const r0 = "-p udp -j TPROXY --on-port 0 --on-ip 10.0.0.1";
		const out = compile(mangle(r0), { file: "t.rules" });
		expect(out.ok).toBe(true);
		expect(check(mangle(r0), out.output)).toBe(true);
		const r6 = "-p tcp -j TPROXY --on-port 12345 --on-ip dead::beef --tproxy-mark 0x23/0xffff";
		const out6 = compile(mangle(r6), { file: "t.rules", family: "ip6" });
		expect(out6.ok).toBe(true);
		expect(check(mangle(r6), out6.output, "ip6")).toBe(true);
	});
});

/**
 * Parser: TEE, TRACE, CONNMARK shifts, socket --restore-skmark, and the numbers iptables reads
 * with strtoul base 0 (icmp types, lengths, -p, prefix lengths). Refusals follow what
 * iptables-legacy-restore 1.8.9 and the kernel refuse (checked in a network namespace).
 */
import { describe, expect, it } from "vitest";
import { only, refused, type RuleOpts } from "./helpers.js";

const mangle: RuleOpts = { table: "mangle", chain: "PREROUTING" };
const mangle6: RuleOpts = { table: "mangle", chain: "PREROUTING", family: "ip6" };

describe("TEE", () => {
	it("gateway, any table", () => {
		expect(only("-j TEE --gateway 10.0.0.1").target).toEqual({ kind: "tee", fam: 4, gateway: 0x0a000001n });
		expect(only("-j TEE --gateway 10.0.0.1", mangle).target).toEqual({ kind: "tee", fam: 4, gateway: 0x0a000001n });
	});
	it("ip6 with --oif", () => {
		expect(only("-j TEE --gateway ab12:00a1:1112:acba:: --oif eth0", mangle6).target).toEqual({
			kind: "tee",
			fam: 6,
			gateway: 0xab1200a11112acban << 64n,
			oif: "eth0",
		});
	});
	refused([
		["-j TEE", "missing_argument"],
		["-j TEE --gateway 0.0.0.0", "invalid_value"],
		["-j TEE --gateway :: ", "invalid_value", mangle6],
		["-j TEE --gateway fd00::1", "family_mismatch"],
		["-j TEE --gateway gw.example.org", "invalid_address"],
		["-j TEE --gateway 10.0.0.1 --oif abcdefghijklmnop", "invalid_interface"],
	]);
});

describe("TRACE", () => {
	it("raw table", () => {
		expect(only("-j TRACE", { table: "raw", chain: "PREROUTING" }).target).toEqual({ kind: "trace" });
		expect(only("-j TRACE", { table: "raw", chain: "OUTPUT" }).target).toEqual({ kind: "trace" });
	});
	refused([
		["-j TRACE", "target_not_allowed_here"],
		["-j TRACE", "target_not_allowed_here", mangle],
	]);
});

describe("CONNMARK shifts (revision 2)", () => {
	it("--set-mark v/m with a right shift keeps the xmark normalisation", () => {
		expect(only("-j CONNMARK --set-mark 0x23/0x42 --right-shift-mark 5", mangle).target).toEqual({
			kind: "connmark-set",
			value: 0x23,
			mask: 0x63,
			shift: { dir: "right", bits: 5 },
		});
	});
	it("--save-mark / --restore-mark with masks and a left shift", () => {
		expect(only("-j CONNMARK --save-mark --nfmask 0xff --left-shift-mark 8", mangle).target).toEqual({
			kind: "connmark-save",
			nfmask: 0xff,
			ctmask: 0xffffffff,
			shift: { dir: "left", bits: 8 },
		});
		expect(only("-j CONNMARK --restore-mark --mask 0xff00 --right-shift-mark 8", mangle).target).toEqual({
			kind: "connmark-restore",
			nfmask: 0xff00,
			ctmask: 0xff00,
			shift: { dir: "right", bits: 8 },
		});
	});
	it("the last shift option wins; values are base 0", () => {
		expect(only("-j CONNMARK --save-mark --left-shift-mark 3 --right-shift-mark 0x4", mangle).target).toEqual({
			kind: "connmark-save",
			nfmask: 0xffffffff,
			ctmask: 0xffffffff,
			shift: { dir: "right", bits: 4 },
		});
	});
	it("a shift by 0 is no shift", () => {
		expect(only("-j CONNMARK --xor-mark 1 --left-shift-mark 0", mangle).target).toEqual({ kind: "connmark-set", value: 1, mask: 0 });
	});
	refused([
		["-j CONNMARK --left-shift-mark 3", "missing_argument", mangle],
		["-j CONNMARK --save-mark --left-shift-mark 32", "invalid_value", mangle],
		["-j CONNMARK --save-mark --left-shift-mark 33", "invalid_value", mangle],
		["-j CONNMARK --save-mark --right-shift-mark -1", "invalid_value", mangle],
		["-j CONNMARK --save-mark --right-shift-mark 08", "invalid_value", mangle],
	]);
});

describe("socket --restore-skmark", () => {
	it("with and without --nowildcard / --transparent", () => {
		for (const [spec, transparent, nowildcard] of [
			["-m socket --restore-skmark", false, false],
			["-m socket --transparent --nowildcard --restore-skmark", true, true],
		] as const)
			expect(only(spec, mangle).matches).toEqual([{ kind: "socket", transparent, nowildcard, restoreSkmark: true }]);
	});
});

describe("numbers iptables reads with strtoul base 0", () => {
	it("icmp type names of newer iptables: info-request, info-reply", () => {
		expect(only("-p icmp -m icmp --icmp-type info-request").matches[0]).toEqual({ kind: "icmp", spec: { value: { type: 15, codeLo: 0, codeHi: 255 }, neg: false } });
		expect(only("-p icmp -m icmp --icmp-type info-reply").matches[0]).toEqual({ kind: "icmp", spec: { value: { type: 16, codeLo: 0, codeHi: 255 }, neg: false } });
	});
	it("icmp names: any unambiguous prefix, in any case (strncasecmp over iptables' table)", () => {
		const icmp = (t: string, family: "ip" | "ip6" = "ip") =>
			only(family === "ip" ? `-p icmp -m icmp --icmp-type ${t}` : `-p ipv6-icmp -m icmp6 --icmpv6-type ${t}`, { family }).matches[0];
		expect(icmp("echo-req")).toEqual({ kind: "icmp", spec: { value: { type: 8, codeLo: 0, codeHi: 255 }, neg: false } });
		expect(icmp("PING")).toEqual(icmp("echo-request"));
		expect(icmp("Echo-Request")).toEqual(icmp("echo-request"));
		expect(icmp("port-unr")).toEqual({ kind: "icmp", spec: { value: { type: 3, codeLo: 3, codeHi: 3 }, neg: false } });
		expect(icmp("an")).toEqual({ kind: "icmp", spec: { value: "any", neg: false } });
		expect(icmp("echo-req", "ip6")).toEqual({ kind: "icmpv6", spec: { value: { type: 128, codeLo: 0, codeHi: 255 }, neg: false } });
		expect(icmp("neighbor-sol", "ip6")).toEqual({ kind: "icmpv6", spec: { value: { type: 135, codeLo: 0, codeHi: 255 }, neg: false } });
		expect(icmp("PACKET-too-big", "ip6")).toEqual({ kind: "icmpv6", spec: { value: { type: 2, codeLo: 0, codeHi: 255 }, neg: false } });
	});
	it("icmp types and codes in hex and octal", () => {
		expect(only("-p icmp -m icmp --icmp-type 0x3").matches[0]).toEqual({ kind: "icmp", spec: { value: { type: 3, codeLo: 0, codeHi: 255 }, neg: false } });
		expect(only("-p icmp -m icmp --icmp-type 010/0x1").matches[0]).toEqual({ kind: "icmp", spec: { value: { type: 8, codeLo: 1, codeHi: 1 }, neg: false } });
		expect(only("-p ipv6-icmp -m icmp6 --icmpv6-type 0x80", { family: "ip6" }).matches[0]).toEqual({ kind: "icmpv6", spec: { value: { type: 128, codeLo: 0, codeHi: 255 }, neg: false } });
	});
	it("--length in hex and octal", () => {
		expect(only("-p icmp -m length --length 86:0xffff").matches[0]).toEqual({ kind: "length", length: { value: { lo: 86, hi: 65535 }, neg: false } });
		expect(only("-m length --length 010:0x20").matches[0]).toEqual({ kind: "length", length: { value: { lo: 8, hi: 32 }, neg: false } });
		expect(only("-m length --length :400").matches[0]).toEqual({ kind: "length", length: { value: { lo: 0, hi: 400 }, neg: false } });
	});
	it("-p 0x6 is tcp; /010 is a /8", () => {
		const r = only("-p 0x6 -s 10.0.0.0/010");
		expect(r.proto).toEqual({ value: 6, neg: false });
		expect(r.src?.value.prefixLen).toBe(8);
		expect(only("-s 10.0.0.0/0x18").src?.value.prefixLen).toBe(24);
	});
	refused([
		// strtoul base 0 reads a leading 0 as octal: 8 and 9 are not digits there.
		["-p icmp -m icmp --icmp-type 08", "invalid_value"],
		["-m length --length 08", "invalid_value"],
		["-m length --length 0x10000", "invalid_value"],
		["-m length --length abc", "invalid_value"],
		["-p tcp --dport 08", "invalid_port"],
		["-p icmp -m icmp --icmp-type inf", "invalid_value"],
		// Prefixes of two names are refused, as iptables does (`Ambiguous ICMP type`).
		["-p icmp -m icmp --icmp-type ttl-zero", "invalid_value"],
		["-p icmp -m icmp --icmp-type host", "invalid_value"],
		["-p icmp -m icmp --icmp-type a", "invalid_value"],
		["-p ipv6-icmp -m icmp6 --icmpv6-type neighbo", "invalid_value", { family: "ip6" }],
		// ip6tables has no `any` (Unknown ICMPv6 type `any').
		["-p ipv6-icmp -m icmp6 --icmpv6-type any", "invalid_value", { family: "ip6" }],
	]);
});

describe("every option libxtables reads as XTTYPE_UINT* takes hex and octal (iptables-legacy-restore 1.8.9 does)", () => {
	const cases: readonly (readonly [string, RuleOpts, object])[] = [
		["-p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 0x100", { table: "mangle", chain: "FORWARD" }, { target: { kind: "tcpmss", mss: 256 } }],
		["-j NFQUEUE --queue-num 0x10", {}, { target: { kind: "nfqueue", num: 16 } }],
		["-j NFQUEUE --queue-balance 0x2:0x4", {}, { target: { kind: "nfqueue", num: 2, balanceTo: 4 } }],
		["-m limit --limit 5/s --limit-burst 0x5", {}, { matches: [{ kind: "limit", burst: 5 }] }],
		["-p tcp --tcp-option 0x2", {}, { matches: [{ kind: "tcp", option: { value: 2, neg: false } }] }],
		["-m statistic --mode nth --every 0x3 --packet 01", {}, { matches: [{ kind: "statistic", every: 3, packet: 1 }] }],
		["-j NFLOG --nflog-group 0x10 --nflog-size 0x20 --nflog-threshold 0x2", {}, { target: { kind: "nflog", group: 16, size: 32, threshold: 2 } }],
		["-p tcp -m connlimit --connlimit-above 0x10 --connlimit-mask 0x18", {}, { matches: [{ kind: "connlimit", limit: 16, prefixLen: 24 }] }],
		["-m quota --quota 0x100", {}, { matches: [{ kind: "quota", bytes: 256n }] }],
		["-m owner --uid-owner 0x10 --gid-owner 010", { chain: "OUTPUT" }, { matches: [{ kind: "owner", uid: { value: { lo: 16, hi: 16 } }, gid: { value: { lo: 8, hi: 8 } } }] }],
		["-m string --algo bm --string x --from 0x10 --to 0x20", {}, { matches: [{ kind: "string", from: 16, to: 32 }] }],
		["-j CT --zone 0x10", { table: "raw", chain: "PREROUTING" }, { target: { kind: "ct", zone: { id: 16 } } }],
		["-m hashlimit --hashlimit-upto 5/sec --hashlimit-name x --hashlimit-htable-size 0x100 --hashlimit-srcmask 0x18 --hashlimit-mode srcip", {}, { matches: [{ kind: "hashlimit", htableSize: 256, srcPrefix: 24 }] }],
		["-p tcp -j SYNPROXY --mss 0x5b4 --wscale 07", {}, { target: { kind: "synproxy", mss: 1460, wscale: 7 } }],
		["-j SET --add-set s src --timeout 0x3c", {}, { target: { kind: "ipset", timeout: 60 } }],
		["-j LOG --log-level 07", {}, { target: { kind: "log", level: 7 } }],
		["-j LOG --log-level 0x3", {}, { target: { kind: "log", level: 3 } }],
		["-j NETMAP --to 10.0.0.0/0x18", { table: "nat", chain: "PREROUTING" }, { target: { kind: "netmap", len: 24 } }],
		["-j NETMAP --to 10.0.0.0/010", { table: "nat", chain: "PREROUTING" }, { target: { kind: "netmap", len: 8 } }],
	];
	for (const [spec, opts, want] of cases) it(spec, () => expect(only(spec, opts)).toMatchObject(want));
	refused([
		// Rates stay decimal (libxt_limit / libxt_hashlimit parse them by hand).
		["-m limit --limit 0x5/s", "invalid_value"],
		["-m statistic --mode nth --every 08 --packet 0", "invalid_value"],
		["-m quota --quota 0x10000000000000000", "invalid_value"],
		["-j NFQUEUE --queue-num 0x10000", "invalid_value"],
	]);
});

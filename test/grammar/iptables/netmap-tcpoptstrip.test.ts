/** Parser: NETMAP, TCPOPTSTRIP, HMARK, SECMARK, CONNSECMARK (valid forms and refusals). */
import { describe, expect, it } from "vitest";
import { only, refused, type RuleOpts } from "./helpers.js";

const nat = (chain: string, family: "ip" | "ip6" = "ip"): RuleOpts => ({ table: "nat", chain, family });
const mangle: RuleOpts = { table: "mangle", chain: "FORWARD" };

describe("NETMAP", () => {
	it("keeps the prefix and clears host bits of --to", () => {
		expect(only("-j NETMAP --to 1.2.3.4/24", nat("PREROUTING")).target).toEqual({ kind: "netmap", fam: 4, addr: 0x01020300n, len: 24 });
	});
	it("an address alone is a /32", () => {
		expect(only("-j NETMAP --to 1.2.3.4", nat("POSTROUTING")).target).toEqual({ kind: "netmap", fam: 4, addr: 0x01020304n, len: 32 });
	});
	it("ip6", () => {
		expect(only("-j NETMAP --to dead::beef/64", nat("OUTPUT", "ip6")).target).toEqual({ kind: "netmap", fam: 6, addr: 0xdeadn << 112n, len: 64 });
	});
	it("every nat chain, and user chains", () => {
		for (const c of ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING", "NM"]) expect(only("-j NETMAP --to 10.0.0.0/8", nat(c)).target?.kind).toBe("netmap");
	});
	refused([
		["-j NETMAP", "missing_argument", nat("PREROUTING")],
		["-j NETMAP --to 10.0.0.0/8", "target_not_allowed_here", { table: "filter", chain: "INPUT" }],
		["-j NETMAP --to 10.0.0.0/255.0.0.0", "invalid_value", nat("PREROUTING")],
		["-j NETMAP --to 10.0.0.0/33", "invalid_address", nat("PREROUTING")],
		["-j NETMAP --to dead::/64", "family_mismatch", nat("PREROUTING")],
	]);
});

describe("TCPOPTSTRIP", () => {
	it("names and base-0 numbers, sorted", () => {
		expect(only("-p tcp -j TCPOPTSTRIP --strip-options wscale,mss,0x13,sack-permitted,sack,timestamp,7", mangle).target).toEqual({ kind: "tcpoptstrip", options: [2, 3, 4, 5, 7, 8, 19] });
	});
	it("no --strip-options strips nothing", () => {
		expect(only("-p tcp -j TCPOPTSTRIP", mangle).target).toEqual({ kind: "tcpoptstrip", options: [] });
	});
	refused([
		["-j TCPOPTSTRIP", "protocol_required", mangle],
		["! -p tcp -j TCPOPTSTRIP", "protocol_required", mangle],
		["-p tcp -j TCPOPTSTRIP --strip-options 0", "invalid_value", mangle],
		["-p tcp -j TCPOPTSTRIP --strip-options 1,2", "invalid_value", mangle],
		["-p tcp -j TCPOPTSTRIP --strip-options 2,mss", "invalid_value", mangle],
		["-p tcp -j TCPOPTSTRIP --strip-options 256", "invalid_value", mangle],
		["-p tcp -j TCPOPTSTRIP --strip-options nosuch", "invalid_value", mangle],
		["-p tcp -j TCPOPTSTRIP --strip-options mss", "target_not_allowed_here", { table: "filter", chain: "INPUT" }],
	]);
});

describe("HMARK", () => {
	it("reads every option", () => {
		const t = only("-j HMARK --hmark-src-prefix 1 --hmark-dst-prefix 2 --hmark-sport-mask 0x0003 --hmark-dport-mask 0x0004 --hmark-proto-mask 0x05 --hmark-rnd 0x00000004 --hmark-mod 42 --hmark-offset 1 --hmark-tuple ct").target;
		expect(t).toEqual({ kind: "hmark", ct: true, srcPrefix: 1, dstPrefix: 2, sportMask: 3, dportMask: 4, protoMask: 5, rnd: 4, mod: 42, offset: 1 });
	});
	it("--hmark-tuple sets full masks", () => {
		expect(only("-j HMARK --hmark-tuple src,dport --hmark-rnd 1 --hmark-mod 2", { family: "ip6" }).target).toMatchObject({ srcPrefix: 128, dportMask: 0xffff, ct: false });
	});
	refused([
		["-j HMARK", "missing_argument"],
		["-j HMARK --hmark-tuple ct --hmark-mod 4", "missing_argument"],
		["-j HMARK --hmark-tuple ct --hmark-rnd 1 --hmark-mod 0", "invalid_value"],
		["-j HMARK --hmark-rnd 1 --hmark-mod 3", "missing_argument"],
		["-j HMARK --hmark-tuple ct --hmark-sport-mask 0xffff --hmark-spi-mask 4 --hmark-rnd 1 --hmark-mod 3", "conflicting_options"],
		["-j HMARK --hmark-tuple nosuch --hmark-rnd 1 --hmark-mod 3", "invalid_value"],
		["-j HMARK --hmark-src-prefix 33 --hmark-rnd 1 --hmark-mod 3", "invalid_value"],
	]);
});

describe("SECMARK / CONNSECMARK", () => {
	const security: RuleOpts = { table: "security", chain: "INPUT" };
	it("SECMARK --selctx", () => {
		expect(only("-j SECMARK --selctx system_u:object_r:firewalld_exec_t:s0", security).target).toEqual({ kind: "secmark", selctx: "system_u:object_r:firewalld_exec_t:s0" });
	});
	it("CONNSECMARK --save / --restore", () => {
		expect(only("-j CONNSECMARK --save", { table: "mangle", chain: "PREROUTING" }).target).toEqual({ kind: "connsecmark", mode: "save" });
		expect(only("-j CONNSECMARK --restore", security).target).toEqual({ kind: "connsecmark", mode: "restore" });
	});
	refused([
		["-j SECMARK", "missing_argument", security],
		["-j SECMARK --selctx a:b:c:s0", "target_not_allowed_here", { table: "filter", chain: "INPUT" }],
		["-j CONNSECMARK", "missing_argument", security],
		["-j CONNSECMARK --save --restore", "conflicting_options", security],
		["-j CONNSECMARK --save", "target_not_allowed_here", { table: "nat", chain: "PREROUTING" }],
	]);
});

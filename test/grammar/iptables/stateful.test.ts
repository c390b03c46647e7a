/** Parser: recent, connlimit, hashlimit, quota, set, SET, SYNPROXY (valid forms and refusals). */
import { describe, expect, it } from "vitest";
import { errorCodes, only, parseRule } from "./helpers.js";

describe("recent", () => {
	it("defaults: name DEFAULT, source side, no mask", () => {
		expect(only("-m recent --rcheck -j DROP").matches).toEqual([{ kind: "recent", name: "DEFAULT", op: "rcheck", neg: false, side: "src", reap: false, rttl: false }]);
	});
	it("reads every option as iptables-save prints them", () => {
		const m = only("-m recent ! --update --seconds 60 --reap --hitcount 3 --rttl --name ssh --mask 255.255.255.0 --rdest").matches[0];
		expect(m).toEqual({ kind: "recent", name: "ssh", op: "update", neg: true, side: "dst", mask: 0xffffff00n, seconds: 60, reap: true, hitcount: 3, rttl: true });
	});
	it("an all-ones --mask is the default", () => {
		expect(only("-m recent --set --name A --mask 255.255.255.255 --rsource").matches[0]).not.toHaveProperty("mask");
	});
	it("ip6 masks", () => {
		expect(only("-m recent --set --mask ffff:ffff::", { family: "ip6" }).matches[0]).toMatchObject({ mask: 0xffffffffn << 96n });
	});
	const bad: [string, string][] = [
		["-m recent --name x", "missing_argument"],
		["-m recent --set --rcheck", "conflicting_options"],
		["-m recent --set --seconds 10", "conflicting_options"],
		["-m recent --remove --hitcount 2", "conflicting_options"],
		["-m recent --set --rttl", "conflicting_options"],
		["-m recent --rcheck --reap", "missing_argument"],
		["-m recent --rcheck --seconds ten", "invalid_value"],
		["-m recent --rcheck --hitcount -1", "invalid_value"],
		["-m recent --rcheck --hitcount 256", "invalid_value"],
		["-m recent --rcheck --name ''", "invalid_value"],
		[`-m recent --rcheck --name ${"x".repeat(200)}`, "invalid_value"],
		["-m recent --rcheck --mask 1.2.3.4.5", "invalid_address"],
		["-m recent --rcheck --mask ffff::", "family_mismatch"],
	];
	for (const [spec, code] of bad)
		it(`refuses ${spec.slice(0, 60)}`, () => {
			expect(errorCodes(parseRule(spec).diagnostics)).toContain(code);
		});
});

describe("connlimit", () => {
	it("above/upto, negation swaps them, mask and side", () => {
		expect(only("-m connlimit --connlimit-above 15").matches[0]).toEqual({ kind: "connlimit", limit: 15, above: true, prefixLen: 32, side: "src" });
		expect(only("-m connlimit ! --connlimit-above 15").matches[0]).toMatchObject({ above: false });
		expect(only("-m connlimit ! --connlimit-upto 2 --connlimit-mask 24 --connlimit-daddr").matches[0]).toEqual({ kind: "connlimit", limit: 2, above: true, prefixLen: 24, side: "dst" });
		expect(only("-m connlimit --connlimit-upto 1", { family: "ip6" }).matches[0]).toMatchObject({ prefixLen: 128 });
	});
	for (const [spec, code] of [
		["-m connlimit --connlimit-mask 24", "missing_argument"],
		["-m connlimit --connlimit-upto 1 --connlimit-above 2", "conflicting_options"],
		["-m connlimit --connlimit-above x", "invalid_value"],
		["-m connlimit --connlimit-above 1 --connlimit-mask 33", "invalid_value"],
		["-m connlimit --connlimit-above 1 --connlimit-saddr --connlimit-daddr", "conflicting_options"],
	] as const)
		it(`refuses ${spec}`, () => {
			expect(errorCodes(parseRule(spec).diagnostics)).toContain(code);
		});
});

describe("hashlimit", () => {
	it("packet rates, modes, masks, expiry", () => {
		const m = only("-p tcp -m hashlimit --hashlimit-above 200/sec --hashlimit-burst 1000 --hashlimit-mode srcip,dstport --hashlimit-name syn --hashlimit-htable-size 2097152 --hashlimit-srcmask 24 --hashlimit-htable-expire 31991").matches[0];
		expect(m).toMatchObject({ kind: "hashlimit", name: "syn", above: true, mode: "packets", rate: 200, unit: "second", burst: 1000, keys: ["srcip", "dstport"], srcPrefix: 24, dstPrefix: 32, expireMs: 31991, htableSize: 2097152, rateMatch: false });
	});
	it("defaults burst 5 and expiry 10 s; --hashlimit is --hashlimit-upto", () => {
		expect(only("-m hashlimit --hashlimit 3/min --hashlimit-name a").matches[0]).toMatchObject({ above: false, rate: 3, unit: "minute", burst: 5, expireMs: 10000, keys: [] });
	});
	it("byte rates", () => {
		expect(only("-m hashlimit --hashlimit-above 20kb/s --hashlimit-burst 1mb --hashlimit-name https").matches[0]).toMatchObject({ mode: "bytes", rate: 20480, burst: 1048576 });
	});
	for (const [spec, code] of [
		["-m hashlimit --hashlimit-name a", "missing_argument"],
		["-m hashlimit --hashlimit-upto 5/sec", "missing_argument"],
		["-m hashlimit --hashlimit-upto 5/fortnight --hashlimit-name a", "invalid_value"],
		["-m hashlimit --hashlimit-upto 0/sec --hashlimit-name a", "invalid_value"],
		["-m hashlimit --hashlimit-upto 2000000/sec --hashlimit-name a", "invalid_value"],
		["-m hashlimit --hashlimit-upto 5/sec --hashlimit-above 5/sec --hashlimit-name a", "conflicting_options"],
		["-m hashlimit --hashlimit-upto 5/sec --hashlimit-mode srcmac --hashlimit-name a", "invalid_value"],
		["-m hashlimit --hashlimit-upto 5/sec --hashlimit-name this-name-is-too-long", "invalid_value"],
		["-m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 1mb --hashlimit-name a", "invalid_value"],
		["-m hashlimit --hashlimit-upto 5/sec --hashlimit-srcmask 40 --hashlimit-name a", "invalid_value"],
	] as const)
		it(`refuses ${spec}`, () => {
			expect(errorCodes(parseRule(spec).diagnostics)).toContain(code);
		});
});

describe("quota, set, SET, SYNPROXY", () => {
	it("quota", () => {
		expect(only("-m quota ! --quota 111").matches[0]).toEqual({ kind: "quota", bytes: 111n, neg: true });
		expect(errorCodes(parseRule("-m quota").diagnostics)).toContain("missing_argument");
		expect(errorCodes(parseRule("-m quota --quota 1e6").diagnostics)).toContain("invalid_value");
	});
	it("set match", () => {
		expect(only("-m set ! --match-set foo src,dst --return-nomatch ! --update-counters -j DROP").matches[0]).toEqual({
			kind: "set", name: "foo", dirs: ["src", "dst"], neg: true, returnNomatch: true, updateCounters: false, updateSubcounters: true, counterChecks: [],
		});
		expect(only("-m set --set foo src --packets-gt 5").matches[0]).toMatchObject({ counterChecks: ["--packets-gt 5"] });
		for (const [spec, code] of [
			["-m set --return-nomatch", "missing_argument"],
			["-m set --match-set foo sideways", "invalid_value"],
			["-m set --match-set foo src,src,src,src,src,src,src", "invalid_value"],
			[`-m set --match-set ${"n".repeat(32)} src`, "invalid_value"],
			["-m set --match-set foo src --update-counters", "invalid_value"],
		] as const)
			expect(errorCodes(parseRule(spec).diagnostics), spec).toContain(code);
	});
	it("SET target", () => {
		expect(only("-j SET --add-set foo src --exist --timeout 60").target).toEqual({ kind: "ipset", add: { name: "foo", dirs: ["src"] }, exist: true, timeout: 60 });
		expect(only("-j SET --del-set foo dst").target).toEqual({ kind: "ipset", del: { name: "foo", dirs: ["dst"] }, exist: false });
		for (const [spec, code] of [
			["-j SET --exist", "missing_argument"],
			["-j SET --del-set foo src --timeout 5", "conflicting_options"],
			["-j SET --add-set foo src --timeout x", "invalid_value"],
			["-j SET --map-set foo src --map-mark", "inexpressible"],
		] as const)
			expect(errorCodes(parseRule(spec).diagnostics), spec).toContain(code);
	});
	it("SYNPROXY", () => {
		expect(only("-p tcp -j SYNPROXY --sack-perm --timestamp --wscale 7 --mss 1460").target).toEqual({ kind: "synproxy", mss: 1460, wscale: 7, sackPerm: true, timestamp: true, ecn: false });
		for (const [spec, code, chain] of [
			["-j SYNPROXY --mss 1460", "protocol_required", "INPUT"],
			["-p tcp -j SYNPROXY --wscale 15", "invalid_value", "INPUT"],
			["-p tcp -j SYNPROXY --mss 70000", "invalid_value", "INPUT"],
			["-p tcp -j SYNPROXY", "target_not_allowed_here", "OUTPUT"],
		] as const)
			expect(errorCodes(parseRule(spec, { chain }).diagnostics), spec).toContain(code);
	});
});

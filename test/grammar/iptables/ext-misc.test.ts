/**
 * Parser tests for hl/ttl, rt, frag, ah/esp, sctp, dccp, dscp, tos, ecn, rpfilter, physdev, policy,
 * time, string, helper, devgroup, realm, cpu, cgroup, nfacct, socket and the HL/TTL, CT, CHECKSUM,
 * DSCP, TOS, TPROXY, CLASSIFY, AUDIT targets: the IR each valid rule becomes, and the coded error of
 * each invalid one.
 */
import { describe, expect, it } from "vitest";
import type { Family, TableName } from "../../../compiler/ir/ipt.js";
import { errorCodes, parseRule } from "./helpers.js";

type Opts = { table?: TableName; chain?: string; family?: Family };

function one(spec: string, opts: Opts = {}) {
	const r = parseRule(spec, opts);
	expect(errorCodes(r.diagnostics), spec).toEqual([]);
	expect(r.rules).toHaveLength(1);
	return r.rules[0]!;
}

const firstMatch = (spec: string, opts: Opts = {}) => one(spec, opts).matches[0];
const targetOf = (spec: string, opts: Opts = {}) => one(spec, opts).target;

describe("valid rules", () => {
	it("ttl / hl", () => {
		expect(firstMatch("-m ttl --ttl-gt 5 -j ACCEPT")).toEqual({ kind: "hl", op: "gt", value: 5 });
		expect(firstMatch("-m ttl ! --ttl-eq 3 -j ACCEPT")).toEqual({ kind: "hl", op: "ne", value: 3 });
		expect(firstMatch("-m hl --hl-eq 255 -j ACCEPT", { family: "ip6" })).toEqual({ kind: "hl", op: "eq", value: 255 });
	});
	it("rt / frag / ah / esp", () => {
		expect(firstMatch("-m rt --rt-type 0 --rt-segsleft 0 -j DROP", { family: "ip6" })).toEqual({ kind: "rt", type: { value: 0, neg: false }, segsleft: { value: { lo: 0, hi: 0 }, neg: false } });
		expect(firstMatch("-m rt ! --rt-segsleft 13:42", { family: "ip6" })).toMatchObject({ segsleft: { value: { lo: 13, hi: 42 }, neg: true } });
		expect(firstMatch("-m frag --fragid 100:200 --fragres --fraglast", { family: "ip6" })).toEqual({ kind: "frag", id: { value: { lo: 100, hi: 200 }, neg: false }, reserved: true, last: true });
		expect(firstMatch("-p esp -m esp --espspi 500:600 -j DROP")).toEqual({ kind: "esp", spi: { value: { lo: 500, hi: 600 }, neg: false } });
		expect(firstMatch("-p 51 -m ah ! --ahspi 50 -j DROP")).toEqual({ kind: "ah", spi: { value: { lo: 50, hi: 50 }, neg: true } });
		expect(firstMatch("-m ah --ahspi 500 ! --ahlen 120 --ahres", { family: "ip6" })).toMatchObject({ kind: "ah", len: { value: 120, neg: true }, reserved: true });
	});
	it("sctp (also loaded by -p) and dccp", () => {
		expect(firstMatch("-p sctp --dport 50000 -j ACCEPT")).toEqual({ kind: "sctp", dport: { value: { lo: 50000, hi: 50000 }, neg: false } });
		expect(firstMatch("-p sctp -m sctp --chunk-types all INIT,DATA:iUbE,ABORT:T -j ACCEPT")).toEqual({
			kind: "sctp",
			chunks: { value: { mode: "all", list: [{ type: 1 }, { type: 0, flags: { value: 0b0101, mask: 0b1111 } }, { type: 6, flags: { value: 1, mask: 1 } }] }, neg: false },
		});
		expect(firstMatch("-p dccp -m dccp --dport 100 --dccp-types REQUEST,INVALID")).toEqual({ kind: "dccp", dport: { value: { lo: 100, hi: 100 }, neg: false }, types: { value: [0, 10, 11, 12, 13, 14, 15], neg: false } });
	});
	it("dscp / tos / ecn", () => {
		expect(firstMatch("-m dscp ! --dscp 0x32")).toEqual({ kind: "dscp", dscp: { value: 0x32, neg: true } });
		expect(firstMatch("-m dscp --dscp-class AF21")).toEqual({ kind: "dscp", dscp: { value: 18, neg: false } });
		expect(firstMatch("-m tos --tos Minimize-Delay")).toEqual({ kind: "tos", tos: { value: { value: 0x10, mask: 0x3f }, neg: false } });
		expect(firstMatch("-m tos ! --tos 0x10/0xfc")).toEqual({ kind: "tos", tos: { value: { value: 0x10, mask: 0xfc }, neg: true } });
		expect(firstMatch("-p tcp -m ecn ! --ecn-tcp-ece --ecn-ip-ect 3")).toEqual({ kind: "ecn", ece: { value: true, neg: true }, ipEct: { value: 3, neg: false } });
	});
	it("rpfilter / physdev / policy", () => {
		expect(firstMatch("-m rpfilter --invert -j DROP", { table: "raw", chain: "PREROUTING" })).toEqual({ kind: "rpfilter", loose: false, validmark: false, acceptLocal: false, invert: true });
		expect(firstMatch("-m physdev --physdev-is-bridged -j ACCEPT", { chain: "FORWARD" })).toEqual({ kind: "physdev", isBridged: { value: true, neg: false } });
		expect(firstMatch("-m physdev ! --physdev-in eth+", { chain: "FORWARD" })).toEqual({ kind: "physdev", in: { value: { name: "eth", wildcard: true }, neg: true } });
		expect(firstMatch("-m policy --dir in --pol ipsec -j NFLOG --nflog-group 5", { table: "mangle", chain: "PREROUTING" })).toEqual({ kind: "policy", dir: "in", pol: "ipsec", strict: false, elems: [] });
		expect(firstMatch("-m policy --dir in --pol ipsec --strict --reqid 1 --next --proto esp --mode tunnel")).toMatchObject({ strict: true, elems: [{ reqid: { value: 1, neg: false } }, { proto: { value: 50, neg: false }, mode: { value: "tunnel", neg: false } }] });
	});
	it("time (with the legacy --days spelling)", () => {
		expect(firstMatch("-p tcp -m time --timestart 06:59 --timestop 23:59 --days Sun,Mon -j DROP", { chain: "FORWARD" })).toEqual({
			kind: "time", timeStart: 6 * 3600 + 59 * 60, timeStop: 23 * 3600 + 59 * 60, weekdays: (1 << 7) | (1 << 1), monthdays: 0xfffffffe, utc: true, contiguous: false,
		});
		expect(firstMatch("-m time --datestart 2021 ! --weekdays Sa,Su --kerneltz")).toMatchObject({ dateStart: 1609459200, weekdays: 0b00111110, utc: false });
		expect(firstMatch("-m time --datestop 2021-01-29T00:00:00")).toMatchObject({ dateStop: 1611878400 });
	});
	it("string / helper / devgroup / realm / cpu / cgroup / nfacct / socket", () => {
		expect(firstMatch("-m string --string X-Kazaa-User -j DROP")).toMatchObject({ kind: "string", algo: "bm", pattern: { value: "X-Kazaa-User", neg: false } });
		expect(firstMatch('-m string --algo kmp --hex-string "|41 42|C"')).toMatchObject({ algo: "kmp", pattern: { value: "ABC" } });
		expect(firstMatch("-m helper ! --helper ftp")).toEqual({ kind: "helper", name: { value: "ftp", neg: true } });
		expect(firstMatch("-m devgroup --dst-group 0xc/0xc", { chain: "FORWARD" })).toEqual({ kind: "devgroup", dst: { value: { value: 12, mask: 12 }, neg: false } });
		expect(firstMatch("-m realm --realm 5/5")).toEqual({ kind: "realm", realm: { value: { value: 5, mask: 5 }, neg: false } });
		expect(firstMatch("-m cpu ! --cpu 1")).toEqual({ kind: "cpu", cpu: { value: 1, neg: true } });
		expect(firstMatch("-m cgroup ! --cgroup 0")).toEqual({ kind: "cgroup", classid: { value: 0, neg: true } });
		expect(firstMatch("-m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP")).toEqual({ kind: "nfacct", name: "ct_state_invalid_dropped_pkts" });
		expect(firstMatch("-m socket --transparent --nowildcard")).toEqual({ kind: "socket", transparent: true, nowildcard: true, restoreSkmark: false });
	});
	it("targets", () => {
		expect(targetOf("-j TTL --ttl-set 64", { table: "mangle", chain: "PREROUTING" })).toEqual({ kind: "hl-set", op: "set", value: 64 });
		expect(targetOf("-j HL --hl-dec 1", { family: "ip6", table: "mangle", chain: "PREROUTING" })).toEqual({ kind: "hl-set", op: "dec", value: 1 });
		expect(targetOf("-p udp --dport 53 -j CT --zone 1", { table: "raw", chain: "OUTPUT" })).toEqual({ kind: "ct", zone: { id: 1 } });
		expect(targetOf("-j CT --zone-reply mark", { table: "raw", chain: "PREROUTING" })).toEqual({ kind: "ct", zone: { id: "mark", dir: "reply" } });
		expect(targetOf("-p tcp -j CT --helper ftp", { table: "raw", chain: "PREROUTING" })).toEqual({ kind: "ct", helper: "ftp" });
		expect(targetOf("-j CT --notrack", { table: "raw", chain: "PREROUTING" })).toEqual({ kind: "notrack" });
		expect(targetOf("-o virbr0 -p udp --dport 68 -j CHECKSUM --checksum-fill", { table: "mangle", chain: "POSTROUTING" })).toEqual({ kind: "checksum-fill" });
		expect(targetOf("-j DSCP --set-dscp-class EF", { table: "mangle", chain: "OUTPUT" })).toEqual({ kind: "dscp-set", dscp: 46 });
		expect(targetOf("-j TOS --and-tos 0x12", { table: "mangle", chain: "OUTPUT" })).toEqual({ kind: "tos-set", value: 0, mask: 0xed });
		expect(targetOf("-j TOS --set-tos 0x12/0x34", { table: "mangle", chain: "OUTPUT" })).toEqual({ kind: "tos-set", value: 0x12, mask: 0x34 });
		expect(targetOf("! -d 127.0.0.1/32 -p tcp -j TPROXY --tproxy-mark 1337/0xffffffff --on-port 15006", { table: "mangle", chain: "PREROUTING" })).toEqual({ kind: "tproxy", fam: 4, port: 15006, mark: { value: 1337, mask: 0xffffffff } });
		expect(targetOf("-j CLASSIFY --set-class 1:234", { table: "mangle", chain: "POSTROUTING" })).toEqual({ kind: "classify", major: 1, minor: 0x234 });
		expect(targetOf("-j AUDIT --type drop")).toEqual({ kind: "audit", type: "drop" });
	});
});

describe("invalid rules get a coded error", () => {
	const bad: readonly (readonly [string, string, Opts?])[] = [
		["-m ttl --ttl-eq 256", "invalid_value"],
		["-m ttl --ttl-eq 3 --ttl-gt 1", "conflicting_options"],
		["-m ttl ! --ttl-lt 3", "negation_not_allowed"],
		["-m ttl", "missing_argument"],
		["-m hl --hl-eq 1", "family_mismatch"],
		["-m rt --rt-type 0", "family_mismatch"],
		["-m rt --rt-segsleft 5:2", "invalid_value", { family: "ip6" }],
		["-m rt --rt-0-res", "conflicting_options", { family: "ip6" }],
		["-m frag --fragmore --fraglast", "conflicting_options", { family: "ip6" }],
		["-m esp --espspi 5", "protocol_required"],
		["-p ah -m ah --ahlen 5", "family_mismatch"],
		["-m sctp --dport 80", "protocol_required"],
		["-p sctp -m sctp --chunk-types some INIT", "invalid_value"],
		["-p sctp -m sctp --chunk-types all FOO", "invalid_value"],
		["-p sctp -m sctp --chunk-types all INIT:X", "invalid_value"],
		["-p dccp -m dccp --dccp-types FOO", "invalid_value"],
		["-m dscp --dscp 64", "invalid_value"],
		["-m dscp --dscp-class XX", "invalid_value"],
		["-m tos --tos 0x100", "invalid_value"],
		["-m ecn --ecn-tcp-cwr", "protocol_required"],
		["-m ecn --ecn-ip-ect 4", "invalid_value"],
		["-m rpfilter", "target_not_allowed_here"],
		["-m rpfilter", "target_not_allowed_here", { table: "mangle", chain: "INPUT" }],
		["-m physdev", "missing_argument"],
		["-m policy --dir in", "missing_argument"],
		["-m policy --dir sideways --pol ipsec", "invalid_value"],
		["-m policy --dir out --pol ipsec", "conflicting_options"],
		["-m policy --dir in --pol none --reqid 1", "conflicting_options"],
		["-m policy --dir in --pol ipsec --reqid 1 --next --reqid 2", "conflicting_options"],
		["-m time --timestart 25:00", "invalid_value"],
		["-m time --weekdays Xy", "invalid_value"],
		["-m time --monthdays 32", "invalid_value"],
		["-m time --datestart 2040", "invalid_value"],
		["-m string --algo bm", "missing_argument"],
		["-m string --algo xx --string a", "invalid_value"],
		["-m string --algo bm --hex-string |4|", "invalid_value"],
		["-m helper", "missing_argument"],
		["-m devgroup --src-group 1", "conflicting_options", { chain: "OUTPUT" }],
		["-m realm --realm 1", "family_mismatch", { family: "ip6" }],
		["-m cpu --cpu x", "invalid_value"],
		["-m cgroup --cgroup 1 --path /a", "conflicting_options"],
		["-m nfacct", "missing_argument"],
		["-m socket", "target_not_allowed_here", { table: "mangle", chain: "OUTPUT" }],
		["-j TTL --ttl-set 5", "target_not_allowed_here"],
		["-j TTL --ttl-inc 0", "invalid_value", { table: "mangle", chain: "PREROUTING" }],
		["-j TTL", "missing_argument", { table: "mangle", chain: "PREROUTING" }],
		["-j HL --hl-set 5", "target_not_allowed_here", { family: "ip6" }],
		["-j CT --zone 70000", "invalid_value", { table: "raw", chain: "PREROUTING" }],
		["-j CT --zone 1", "target_not_allowed_here"],
		["-j CT --notrack --zone 1", "conflicting_options", { table: "raw", chain: "PREROUTING" }],
		["-j CT --ctevents bogus", "invalid_value", { table: "raw", chain: "PREROUTING" }],
		["-j CHECKSUM --checksum-fill", "target_not_allowed_here"],
		["-j CHECKSUM", "missing_argument", { table: "mangle", chain: "POSTROUTING" }],
		["-j DSCP --set-dscp 64", "invalid_value", { table: "mangle", chain: "OUTPUT" }],
		["-j TOS --set-tos Fast", "invalid_value", { table: "mangle", chain: "OUTPUT" }],
		["-p tcp -j TPROXY --on-port 1", "target_not_allowed_here"],
		["-j TPROXY --on-port 1", "protocol_required", { table: "mangle", chain: "PREROUTING" }],
		["-p tcp -j TPROXY --on-ip 1.2.3.4", "missing_argument", { table: "mangle", chain: "PREROUTING" }],
		["-j CLASSIFY --set-class 1", "invalid_value"],
		["-j AUDIT --type maybe", "invalid_value"],
	];
	for (const [spec, code, opts] of bad) {
		it(`${spec} -> ${code}`, () => {
			const r = parseRule(spec, opts ?? {});
			expect(errorCodes(r.diagnostics)).toContain(code);
		});
	}
});

/**
 * -m u32: the test language exactly as libxt_u32 parses it (operators, whitespace, strtoul base-0
 * numbers, the 10/10/10 limits) and the coded error of each refused spelling.
 */
import { describe, expect, it } from "vitest";
import { parseU32Text } from "../../../grammar/iptables/ext/u32match.js";
import { parseIptables } from "../../../grammar/iptables/index.js";
import { errorCodes, parseRule, rulesOf } from "./helpers.js";

function tests(text: string) {
	const r = parseU32Text(text);
	if (!r.ok) throw new Error(`${text}: ${r.message}`);
	return r.tests;
}

function failure(text: string): string {
	const r = parseU32Text(text);
	if (r.ok) throw new Error(`${text}: accepted`);
	return r.message;
}

const R = (lo: number, hi = lo) => ({ lo, hi });

describe("u32 test language", () => {
	it("a location chain with every operator and a range list", () => {
		expect(tests("0>>22&0x3C@12>>26&0x3C@0>>24=0x47")).toEqual([
			{
				start: 0,
				ops: [
					{ op: ">>", n: 22 },
					{ op: "&", n: 0x3c },
					{ op: "@", n: 12 },
					{ op: ">>", n: 26 },
					{ op: "&", n: 0x3c },
					{ op: "@", n: 0 },
					{ op: ">>", n: 24 },
				],
				ranges: [R(0x47)],
			},
		]);
		expect(tests("6&0xFF=6")).toEqual([{ start: 6, ops: [{ op: "&", n: 0xff }], ranges: [R(6)] }]);
		expect(tests("0&0xFFFF=0x100:0xFFFF")).toEqual([{ start: 0, ops: [{ op: "&", n: 0xffff }], ranges: [R(0x100, 0xffff)] }]);
		expect(tests("4<<1=2")[0]!.ops).toEqual([{ op: "<<", n: 1 }]);
	});
	it("whitespace between tokens, && joins tests, ',' joins ranges", () => {
		expect(tests(" 0 >> 28 = 4 && 8 & 0xFF0000 >> 16 = 6 , 17 ")).toEqual([
			{ start: 0, ops: [{ op: ">>", n: 28 }], ranges: [R(4)] },
			{ start: 8, ops: [{ op: "&", n: 0xff0000 }, { op: ">>", n: 16 }], ranges: [R(6), R(17)] },
		]);
		expect(tests("0=1 : 5")[0]!.ranges).toEqual([R(1, 5)]);
	});
	it("numbers are strtoul base 0: hex, octal, decimal, a '+' sign, 32 bits", () => {
		expect(tests("010=0x10")[0]).toEqual({ start: 8, ops: [], ranges: [R(16)] });
		expect(tests("+5=0XfF")[0]).toEqual({ start: 5, ops: [], ranges: [R(255)] });
		expect(tests("0=4294967295")[0]!.ranges).toEqual([R(0xffffffff)]);
		expect(tests("0=-0")[0]!.ranges).toEqual([R(0)]);
		// A range with min > max is kept as written (it matches nothing).
		expect(tests("0=5:1")[0]!.ranges).toEqual([R(5, 1)]);
		expect(failure("0=4294967296")).toBe("not a number or out of range");
		expect(failure("0=-1")).toBe("not a number or out of range");
		// "08": strtoul reads the octal 0 and stops at 8, which is no operator.
		expect(failure("08=1")).toBe("operator expected");
	});
	it("syntax errors carry libxt_u32's messages and positions", () => {
		expect(parseU32Text("0")).toEqual({ ok: false, at: 1, message: "abrupt end of input after location specifier" });
		expect(failure("0=")).toBe("test ended with no value specified");
		expect(failure("=1")).toBe("location spec missing");
		expect(failure("0<1=1")).toBe("a second '<' was expected");
		expect(failure("0>1=1")).toBe("a second '>' was expected");
		expect(failure("0|1=1")).toBe("operator expected");
		expect(failure("0=1&2=3")).toBe("a second '&' was expected");
		expect(failure("0=&&1=1")).toBe("value spec missing");
		expect(failure("0=,1")).toBe("not a number or out of range");
		expect(failure("0=1 2")).toBe('expected "," or "&&"');
		expect(failure("0=1&&")).toBe("abrupt end of input after location specifier");
		expect(failure("0&=1")).toBe("not a number or out of range");
	});
	it("limits: 10 tests, 10 location numbers, 10 ranges", () => {
		const testsN = (n: number) => Array.from({ length: n }, (_, i) => `${i}=1`).join("&&");
		expect(tests(testsN(10))).toHaveLength(10);
		expect(failure(testsN(11))).toBe('too many "&&"s');
		expect(failure(testsN(12))).toBe('too many "&&"s');
		const locs = (n: number) => `0${"&1".repeat(n - 1)}=1`;
		expect(tests(locs(10))[0]!.ops).toHaveLength(9);
		expect(failure(locs(11))).toBe("too many operators");
		const ranges = (n: number) => `0=${Array.from({ length: n }, (_, i) => String(i)).join(",")}`;
		expect(tests(ranges(10))[0]!.ranges).toHaveLength(10);
		expect(failure(ranges(11))).toBe('too many ","s');
	});
});

describe("-m u32 in a rule", () => {
	it("builds the IR with and without !", () => {
		const r = parseRule('-m u32 --u32 "0x0=0x0&&0x0=0x1" -j DROP');
		expect(errorCodes(r.diagnostics)).toEqual([]);
		expect(r.rules[0]!.matches[0]).toEqual({ kind: "u32", neg: false, tests: [{ start: 0, ops: [], ranges: [R(0)] }, { start: 0, ops: [], ranges: [R(1)] }] });
		const n = parseRule('-m u32 ! --u32 "6&0xFF=6" -j DROP', { family: "ip6" });
		expect(errorCodes(n.diagnostics)).toEqual([]);
		expect(n.rules[0]!.matches[0]).toEqual({ kind: "u32", neg: true, tests: [{ start: 6, ops: [{ op: "&", n: 255 }], ranges: [R(6)] }] });
	});
	it("a shell script with spaces inside the quoted tests", () => {
		const r = parseIptables('iptables -A INPUT -m u32 --u32 "0 >> 28 = 4 && 8 & 0xFF0000 >> 16 = 6 , 17" -j DROP\n', { file: "t.sh", family: "ip", format: "script" });
		expect(errorCodes(r.diagnostics)).toEqual([]);
		expect(rulesOf(r.ruleset, "filter", "INPUT")[0]!.matches[0]).toMatchObject({ kind: "u32", tests: [{ start: 0 }, { start: 8, ranges: [R(6), R(17)] }] });
	});
	it("coded errors", () => {
		expect(errorCodes(parseRule("-m u32 -j DROP").diagnostics)).toEqual(["missing_argument"]);
		const bad = parseRule('-m u32 --u32 "0=" -j DROP');
		expect(errorCodes(bad.diagnostics)).toEqual(["invalid_value"]);
		expect(bad.diagnostics[0]!.message).toContain("at char 2: test ended with no value specified");
		expect(errorCodes(parseRule('-m u32 --u32 "0=1&&1=1&&2=1&&3=1&&4=1&&5=1&&6=1&&7=1&&8=1&&9=1&&10=1" -j DROP').diagnostics)).toEqual(["invalid_value"]);
	});
});

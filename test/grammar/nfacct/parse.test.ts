/**
 * `nfacct list` output (libnetfilter_acct's plain format, as nfacct 1.0.2 prints it; the lines
 * below were printed by the real tool in a scratch network namespace).
 */
import { describe, expect, it } from "vitest";
import { nfacctCatalogue, parseNfacctList } from "../../../grammar/nfacct/index.js";

const LISTED = [
	"{ pkts = 00000000000000000000, bytes = 00000000000000000000 } = plain;",
	"{ pkts = 00000000000000000003, bytes = 00000000000000000252, quota = 00000000000000000168, mode = byte, overquota = yes } = qb;",
	"{ pkts = 00000000000000000000, bytes = 00000000000000000000, quota = 00000000000000000005, mode = packet, overquota = no } = qp;",
	"{ pkts = 00000000000000000000, bytes = 00000000000000000000 } = x y;",
	"{ pkts = 00000000000000000000, bytes = 00000000000000000000 } = a;b;",
	"{ pkts = 00000000000000000000, bytes = 00000000000000000000 } = z{;",
	"",
].join("\n");

describe("nfacct list parser", () => {
	const r = parseNfacctList(LISTED, "nfacct.list");
	it("reads every object, counters as bigint", () => {
		expect(r.diagnostics).toEqual([]);
		expect(r.objects.map((o) => o.name)).toEqual(["plain", "qb", "qp", "x y", "a;b", "z{"]);
		expect(r.objects[0]).toMatchObject({ pkts: 0n, bytes: 0n });
		expect(r.objects[0]!.quota).toBeUndefined();
		expect(r.objects[0]!.span).toEqual({ file: "nfacct.list", line: 1, col: 1, length: LISTED.split("\n")[0]!.length });
	});
	it("reads quotas with their mode and overquota flag", () => {
		expect(r.objects[1]).toMatchObject({ pkts: 3n, bytes: 252n, quota: { mode: "bytes", limit: 168n, over: true } });
		expect(r.objects[2]).toMatchObject({ quota: { mode: "packets", limit: 5n, over: false } });
	});
	it("keeps the raw name up to the final semicolon", () => {
		const c = nfacctCatalogue(r.objects);
		expect(c.objects.has("a;b")).toBe(true);
		expect(c.objects.has("z{")).toBe(true);
	});
	it("accepts 64-bit counts and blank or # lines", () => {
		const big = parseNfacctList("# nfacct list\n\n{ pkts = 18446744073709551615, bytes = 1 } = big;\n", "f");
		expect(big.diagnostics).toEqual([]);
		expect(big.objects[0]).toMatchObject({ name: "big", pkts: 18446744073709551615n, bytes: 1n, span: { line: 3 } });
	});
	it.each([
		["not a listing", "hello", "syntax_error"],
		["xml output", "<obj><name>x</name></obj>", "syntax_error"],
		["count above 64 bits", "{ pkts = 18446744073709551616, bytes = 0 } = x;", "invalid_value"],
		["missing bytes", "{ pkts = 1 } = x;", "missing_argument"],
		["unknown quota mode", "{ pkts = 0, bytes = 0, quota = 5, mode = bits, overquota = no } = x;", "invalid_value"],
		["quota without mode", "{ pkts = 0, bytes = 0, quota = 5 } = x;", "invalid_value"],
		["unknown field", "{ pkts = 0, bytes = 0, use = 1 } = x;", "syntax_error"],
		["name too long", `{ pkts = 0, bytes = 0 } = ${"n".repeat(32)};`, "invalid_value"],
		["empty name", "{ pkts = 0, bytes = 0 } = ;", "invalid_value"],
	])("%s is a coded error at its line", (_name, line, code) => {
		const res = parseNfacctList(`{ pkts = 0, bytes = 0 } = ok;\n${line}\n`, "f");
		expect(res.diagnostics.map((d) => [d.code, d.span?.line])).toEqual([[code, 2]]);
		expect(res.objects.map((o) => o.name)).toEqual(["ok"]);
	});
	it("an object listed twice is reported", () => {
		const res = parseNfacctList("{ pkts = 0, bytes = 0 } = a;\n{ pkts = 1, bytes = 2 } = a;\n", "f");
		expect(res.diagnostics.map((d) => d.code)).toEqual(["duplicate_option"]);
	});
});

/** nft constructs the simulator reads for the extension translations: clock, rt ipsec, dynsets. */
import { describe, expect, it } from "vitest";
import { parseNft } from "../../../grammar/nft/index.js";
import type * as A from "../../../grammar/nft/ast.js";

function stmts(rule: string, decl = ""): readonly A.NftStmt[] {
	const r = parseNft(`table ip t {\n${decl}\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t\t${rule}\n\t}\n}\n`, "t.nft");
	expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
	return r.ast.tables[0]!.chains[0]!.rules[0]!.stmts;
}

describe("clock expressions", () => {
	it("meta time: dates in ns (UTC), relational operators", () => {
		const [m] = stmts('meta time >= "2020-01-29 00:00:00" accept');
		expect(m).toMatchObject({ kind: "match", op: ">=", left: { kind: "meta", key: "time" }, right: { lo: 1580256000n * 1_000_000_000n } });
	});
	it("meta hour over midnight reads as the complement of [stop, start] (nft's own inversion)", () => {
		const [m] = stmts('meta hour "22:00:00"-"06:00:00" accept');
		expect(m).toMatchObject({ kind: "match", op: "!=", right: { lo: 21600n, hi: 79200n } });
		const [n] = stmts('meta hour != "22:00"-"06:00" accept');
		expect(n).toMatchObject({ op: "==", right: { lo: 21600n, hi: 79200n } });
	});
	it("meta day by name and number", () => {
		expect(stmts("meta day Saturday accept")[0]).toMatchObject({ right: { lo: 6n } });
		expect(stmts("meta day { 0, 6 } accept")[0]).toMatchObject({ right: { kind: "set" } });
	});
});

describe("routing and dynamic set statements", () => {
	it("rt ipsec / rt classid are routing expressions, rt type the routing header", () => {
		expect(stmts("rt ipsec exists accept")[0]).toMatchObject({ left: { kind: "rt", key: "ipsec" } });
		expect(stmts("rt classid 5 accept")[0]).toMatchObject({ left: { kind: "rt", key: "classid" } });
		expect(stmts("rt type 0 accept")[0]).toMatchObject({ left: { kind: "exthdr", hdr: "rt", field: "type" } });
	});
	it("add/update/delete @set with ct count, limit and timeout", () => {
		const decl = "\tset s {\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n\t\ttimeout 60s\n\t}";
		expect(stmts("add @s { ip saddr ct count over 2 } drop", decl)[0]).toMatchObject({ kind: "dynset", op: "add", set: "s", stateful: { kind: "ctcount", over: true, count: 2 } });
		expect(stmts("update @s { ip saddr timeout 30s limit rate 10/second } accept", decl)[0]).toMatchObject({ kind: "dynset", op: "update", timeoutMs: 30000n, stateful: { kind: "limit", over: false } });
		expect(stmts("delete @s { ip saddr }", decl)[0]).toMatchObject({ kind: "dynset", op: "delete" });
		const r = parseNft(`table ip t {\n${decl}\n}\n`, "t.nft");
		expect(r.ast.tables[0]!.sets[0]!.timeoutMs).toBe(60000n);
	});
});

describe("socket expressions and tproxy", () => {
	it("socket transparent|wildcard|mark", () => {
		expect(stmts("socket transparent 0-1 accept")[0]).toMatchObject({ left: { kind: "socket", key: "transparent" }, right: { lo: 0n, hi: 1n } });
		expect(stmts("socket wildcard 0 accept")[0]).toMatchObject({ left: { kind: "socket", key: "wildcard" } });
	});
	it("tproxy to addr:port, :port, [v6]:port", () => {
		expect(stmts("meta l4proto tcp tproxy to 10.0.0.1:12345 accept")[1]).toMatchObject({ kind: "tproxy", addr: 0x0a000001n, port: 12345 });
		expect(stmts("meta l4proto tcp tproxy to :0 accept")[1]).toMatchObject({ kind: "tproxy", port: 0 });
		const r = parseNft("table ip6 t {\n\tchain c {\n\t\ttype filter hook prerouting priority -150;\n\t\tmeta l4proto tcp tproxy to [dead::beef]:80\n\t}\n}\n", "t.nft");
		expect(r.ast.tables[0]!.chains[0]!.rules[0]!.stmts[1]).toMatchObject({ kind: "tproxy", fam: "ip6", port: 80 });
	});
});

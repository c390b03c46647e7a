/** The simulator's nft grammar: named counters and quotas (declarations and `counter|quota name`). */
import { describe, expect, it } from "vitest";
import { parseNft } from "../../../grammar/nft/index.js";

const TEXT = `table ip filter {
	counter c1 {
	}

	counter weird-name {
		packets 5 bytes 100
	}

	quota q1 {
		over 1000 bytes used 10 bytes
	}

	quota q2 {
		2 kbytes
	}

	chain INPUT {
		type filter hook input priority filter; policy accept;
		ct state invalid counter name "c1" drop
		counter name weird-name tcp dport 22 quota name "q1" accept
		quota name "q2" accept
	}
}
`;

describe("nft named objects", () => {
	const r = parseNft(TEXT, "t.nft");
	it("parses the declarations as `nft list ruleset` prints them", () => {
		expect(r.diagnostics).toEqual([]);
		const t = r.ast.tables[0]!;
		expect(t.objects?.map((o) => (o.kind === "quota" ? [o.kind, o.name, o.over, o.bytes] : [o.kind, o.name]))).toEqual([
			["counter", "c1"],
			["counter", "weird-name"],
			["quota", "q1", true, 1000n],
			["quota", "q2", false, 2048n],
		]);
	});
	it("a named counter is a counter statement; a named quota decides as its object says", () => {
		const rules = r.ast.tables[0]!.chains[0]!.rules;
		expect(rules[0]!.stmts.map((s) => s.kind)).toEqual(["match", "counter", "verdict"]);
		expect(rules[0]!.stmts[1]).toMatchObject({ kind: "counter", name: "c1" });
		expect(rules[1]!.stmts[2]).toMatchObject({ kind: "limit", type: "quota", over: true, rate: 1000n, unit: "bytes", name: "q1" });
		expect(rules[2]!.stmts[0]).toMatchObject({ kind: "limit", type: "quota", over: false, rate: 2048n, name: "q2" });
	});
	it.each([
		["an undeclared counter", 'counter name "nope" accept'],
		["an undeclared quota", 'quota name "nope" accept'],
		["a counter used as a quota", 'quota name "c1" accept'],
	])("%s is nft_undefined", (_n, rule) => {
		const bad = parseNft(`table ip t {\n\tcounter c1 {\n\t}\n\tchain c {\n\t\t${rule}\n\t}\n}\n`, "b.nft");
		expect(bad.diagnostics.map((d) => [d.code, d.span?.line])).toEqual([["nft_undefined", 5]]);
	});
});

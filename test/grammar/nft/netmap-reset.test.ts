/** nft grammar: `dnat|snat [ip|ip6] prefix to ADDR/LEN` (NETMAP) and `reset tcp option KIND`. */
import { describe, expect, it } from "vitest";
import type { NatStmt, NftStmt } from "../../../grammar/nft/ast.js";
import { parseNft } from "../../../grammar/nft/index.js";
import { nftCheck } from "../../helpers/nft-check.js";

function stmts(family: string, hook: string, type: string, line: string): { stmts: readonly NftStmt[]; codes: string[] } {
	const prio = type === "nat" ? (hook === "prerouting" || hook === "output" ? -100 : 100) : -150;
	const text = `table ${family} t {\n\tchain c {\n\t\ttype ${type} hook ${hook} priority ${prio}; policy accept;\n\t\t${line}\n\t}\n}\n`;
	const { ast, diagnostics } = parseNft(text, "t.nft");
	return { stmts: ast.tables[0]?.chains[0]?.rules[0]?.stmts ?? [], codes: diagnostics.map((d) => d.code) };
}

const nat = (s: readonly NftStmt[]): NatStmt => s.find((x): x is NatStmt => x.kind === "nat")!;

describe("NAT prefix (NETMAP)", () => {
	const ok: [string, string, string, Partial<NatStmt>][] = [
		["ip", "prerouting", "dnat prefix to 10.0.0.0/24", { type: "dnat", fam: "ip", addr: { lo: 0x0a000000n, hi: 0x0a0000ffn }, prefix: true }],
		["ip", "postrouting", "snat ip prefix to 10.1.2.3/16", { type: "snat", fam: "ip", addr: { lo: 0x0a010000n, hi: 0x0a01ffffn }, prefix: true }],
		["inet", "input", "snat ip6 prefix to dead::/64", { type: "snat", fam: "ip6", addr: { lo: 0xdeadn << 112n, hi: (0xdeadn << 112n) | ((1n << 64n) - 1n) }, prefix: true }],
		["ip6", "output", "dnat prefix to dead::1/128", { type: "dnat", fam: "ip6", addr: { lo: (0xdeadn << 112n) | 1n, hi: (0xdeadn << 112n) | 1n }, prefix: true }],
	];
	for (const [fam, hook, line, want] of ok)
		it(`${fam}: ${line}`, () => {
			const r = stmts(fam, hook, "nat", line);
			expect(r.codes).toEqual([]);
			expect(nat(r.stmts)).toMatchObject(want);
			// The same text is valid nft 1.0.6.
			expect(nftCheck(`table ${fam} t {\n\tchain c {\n\t\ttype nat hook ${hook} priority ${hook === "prerouting" || hook === "output" ? -100 : 100}; policy accept;\n\t\t${line}\n\t}\n}\n`).ok).toBe(true);
		});
	const bad: [string, string][] = [
		["masquerade prefix to 10.0.0.0/8", "nft_syntax_error"],
		["dnat prefix to 10.0.0.0", "nft_syntax_error"],
		["dnat prefix to 10.0.0.0/33", "nft_syntax_error"],
	];
	for (const [line, code] of bad)
		it(`refuses ${line}`, () => {
			expect(stmts("ip", "prerouting", "nat", line).codes).toContain(code);
		});
});

describe("reset tcp option", () => {
	const ok: [string, number][] = [
		["reset tcp option maxseg", 2],
		["reset tcp option window", 3],
		["reset tcp option sack-perm", 4],
		["reset tcp option sack0", 5],
		["reset tcp option timestamp", 8],
		["reset tcp option md5sig", 19],
		["reset tcp option 7", 7],
		["reset tcp option 254", 254],
	];
	for (const [line, option] of ok)
		it(line, () => {
			const r = stmts("ip", "forward", "filter", `meta l4proto tcp ${line}`);
			expect(r.codes).toEqual([]);
			expect(r.stmts.at(-1)).toMatchObject({ kind: "tcpopt-reset", option });
		});
	it("refuses unknown options and other reset statements", () => {
		expect(stmts("ip", "forward", "filter", "reset tcp option nosuch").codes).toEqual(["nft_syntax_error"]);
		expect(stmts("ip", "forward", "filter", "reset tcp option 256").codes).toEqual(["nft_syntax_error"]);
		expect(stmts("ip", "forward", "filter", "reset ip option rr").codes).toEqual(["nft_unsupported"]);
	});
});

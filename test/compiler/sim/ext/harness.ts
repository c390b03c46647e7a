/**
 * The shape every extension semantics test shares: one iptables rule in a one-chain save file,
 * its translation must verify equal, and hand-written nft that moves one value must verify
 * different (which proves the corpus reaches the match's edges on both sides).
 */
import { expect } from "vitest";
import { compile } from "../../../../compiler/index.js";
import type { VerifyResult } from "../../../../compiler/sim/verify.js";
import { verifyTexts } from "../../../../compiler/verify.js";

export interface ExtCase {
	readonly name: string;
	readonly fam: "ip" | "ip6";
	/** Default: filter / INPUT. */
	readonly table?: string;
	readonly chain?: string;
	/** The rule after `-A CHAIN`. */
	readonly rule: string;
	/** Default: a host that tracks connections. */
	readonly conntrack?: boolean;
}

const HOOK: Readonly<Record<string, string>> = { INPUT: "input", FORWARD: "forward", OUTPUT: "output", PREROUTING: "prerouting", POSTROUTING: "postrouting" };
const PRIO: Readonly<Record<string, number>> = { filter: 0, mangle: -150, raw: -300 };

export function saveText(c: ExtCase): string {
	const chain = c.chain ?? "INPUT";
	return `*${c.table ?? "filter"}\n:${chain} ACCEPT [0:0]\n-A ${chain} ${c.rule}\nCOMMIT\n`;
}

/** The case's table and chain holding `rules` (one nft rule per line). */
export function nftText(c: ExtCase, rules: string | readonly string[]): string {
	const table = c.table ?? "filter";
	const chain = c.chain ?? "INPUT";
	const lines = typeof rules === "string" ? [rules] : rules;
	return `table ${c.fam} ${table} {\n\tchain ${chain} {\n\t\ttype filter hook ${HOOK[chain]} priority ${PRIO[table]}; policy accept;\n${lines.map((r) => `\t\t${r}\n`).join("")}\t}\n}\n`;
}

export function verifyCase(c: ExtCase, nft: string, packets = 3000): VerifyResult {
	const r = verifyTexts(saveText(c), nft, { oldFile: "t.rules", newFile: "t.nft", family: c.fam, packets, conntrack: c.conntrack ?? true });
	if (r.kind === "input-error") throw new Error(r.diagnostics.map((d) => d.message).join("; "));
	return r.result;
}

/** ipt2nft translates the case without errors, the translation verifies equal, every mutant differs. */
export function expectExactWithMutantsCaught(c: ExtCase, mutants: readonly (string | readonly string[])[]): void {
	const out = compile(saveText(c), { file: "t.rules", family: c.fam });
	expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
	expect(out.ok).toBe(true);
	expect(verifyCase(c, out.output).equal).toBe(true);
	for (const m of mutants) expect(verifyCase(c, nftText(c, m)).equal, typeof m === "string" ? m : m.join(" / ")).toBe(false);
}

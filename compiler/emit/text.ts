/**
 * nft text, laid out like `nft list ruleset` (tabs, one rule per line, a blank line between
 * chains and between tables). Layout uses prettier's doc builders; each chain is built and
 * printed on its own so that a 100k-rule ruleset never becomes one giant doc.
 */
import { builders, printer } from "prettier/doc";
import type * as nft from "../ir/nft.js";
import { baseChainLine, rule, setLines } from "./format.js";

const { hardline, indent, join } = builders;
type Doc = builders.Doc;

export type Preamble = "none" | "flush" | "destroy";

export interface EmitTextOpts {
	readonly preamble: Preamble;
}

const PRINT = { printWidth: 1_000_000, tabWidth: 8, useTabs: true } as const;

function print(doc: Doc): string {
	return printer.printDocToString(doc, PRINT).formatted;
}

function chainDoc(family: nft.Family, c: nft.Chain): Doc {
	const body: Doc[] = [];
	if (c.base !== undefined) body.push(baseChainLine(family, c.base));
	for (const r of c.rules) body.push(rule(r, family));
	return [`chain ${c.name} {`, body.length > 0 ? indent([hardline, join(hardline, body)]) : "", hardline, "}"];
}

function setDoc(s: nft.NamedSet): Doc {
	return [`${s.dataType !== undefined ? "map" : "set"} ${s.name} {`, indent([hardline, join(hardline, setLines(s))]), hardline, "}"];
}

/** One table, as text; its parts are printed one by one and joined (indentation by one tab). */
function tableText(t: nft.Table): string {
	const parts: string[] = [];
	for (const s of t.sets) parts.push(print(indent([hardline, setDoc(s)])));
	for (const c of t.chains) parts.push(print(indent([hardline, chainDoc(t.family, c)])));
	// Each part starts with its own newline+tab; a blank line separates parts like `nft list`.
	return `table ${t.family} ${t.name} {${parts.join("\n")}\n}\n`;
}

export function emitText(ruleset: nft.Ruleset, opts: EmitTextOpts): string {
	const out: string[] = [];
	switch (opts.preamble) {
		case "none":
			break;
		case "flush":
			out.push("flush ruleset\n");
			break;
		case "destroy":
			// nft 1.0.6 has no `destroy`: create the table if missing, then delete it, so loading
			// replaces exactly our tables and leaves every other table alone.
			for (const t of ruleset.tables) out.push(`table ${t.family} ${t.name}\ndelete table ${t.family} ${t.name}\n`);
			break;
	}
	ruleset.tables.forEach((t, i) => {
		if (i > 0 || out.length > 0) out.push("\n");
		out.push(tableText(t));
	});
	return out.join("");
}

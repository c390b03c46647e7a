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

/**
 * Parts (sets, chains) printed per batch: one doc per part pays the printer's fixed cost 20k times
 * on kube-proxy tables (tiny chains); one doc for everything would hold the whole output twice.
 */
const BATCH_RULES = 2000;

/** One table, as text; its parts are printed in batches and joined (indentation by one tab). */
function tableText(t: nft.Table): string {
	const out: string[] = [];
	let batch: Doc[] = [];
	let weight = 0;
	const flush = (): void => {
		if (batch.length === 0) return;
		out.push(print(indent(batch)));
		batch = [];
		weight = 0;
	};
	const add = (d: Doc, rules: number): void => {
		// Each part starts with its own newline+tab; a blank line separates parts like `nft list`.
		batch.push(out.length + batch.length > 0 ? [hardline, hardline, d] : [hardline, d]);
		weight += rules + 1;
		if (weight >= BATCH_RULES) flush();
	};
	for (const s of t.sets) add(setDoc(s), s.elems.length);
	for (const c of t.chains) add(chainDoc(t.family, c), c.rules.length);
	flush();
	return `table ${t.family} ${t.name} {${out.join("")}\n}\n`;
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

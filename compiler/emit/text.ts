/**
 * nft text, laid out like `nft list ruleset` (tabs, one rule per line, a blank line between
 * parts of a table and between tables). Layout uses prettier's doc builders; the parts of a table
 * are built and printed in batches and handed on as they are printed, so a 100k-rule ruleset is
 * never one giant doc nor (unless the caller joins it, as emitText does) one giant string.
 */
import { builders, printer } from "prettier/doc";
import type * as nft from "../ir/nft.js";
import { baseChainLine, objectKeyword, objectLines, rule, setLines } from "./format.js";

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

/** `header {`, the body lines one level in, `}`. */
function block(header: string, body: readonly Doc[]): Doc {
	return [header, body.length > 0 ? indent([hardline, join(hardline, [...body])]) : "", hardline, "}"];
}

function chainDoc(family: nft.Family, c: nft.Chain): Doc {
	const body: Doc[] = [];
	if (c.base !== undefined) body.push(baseChainLine(family, c.base));
	for (const r of c.rules) body.push(rule(r, family));
	return block(`chain ${c.name} {`, body);
}

/**
 * Parts (objects, sets, chains) printed per batch: one doc per part pays the printer's fixed cost
 * 20k times on kube-proxy tables (tiny chains); one doc for everything would hold the whole
 * output twice.
 */
const BATCH_RULES = 2000;

/** One table, handed to `write` in printed batches of whole lines (parts indented by one tab). */
function writeTable(t: nft.Table, write: (chunk: string) => void): void {
	write(`table ${t.family} ${t.name} {\n`);
	let batch: Doc[] = [];
	let weight = 0;
	let parts = 0;
	const flush = (): void => {
		if (batch.length === 0) return;
		// The batch's doc starts with the newline that indents its first part: the piece starts
		// after it and ends with its own, so every piece is whole lines.
		write(`${print(indent(batch)).slice(1)}\n`);
		batch = [];
		weight = 0;
	};
	const add = (d: Doc, lines: number): void => {
		// Each part starts with its own newline+tab; a blank line separates parts like `nft list`.
		batch.push(parts++ > 0 ? [hardline, hardline, d] : [hardline, d]);
		weight += lines + 1;
		if (weight >= BATCH_RULES) flush();
	};
	// `counter NAME {` … `}`: nft 1.0.6 reads object names only unquoted (lowering spells them so).
	for (const o of t.objects ?? []) add(block(`${objectKeyword(o)} ${o.name} {`, objectLines(o)), 2);
	for (const s of t.sets) add(block(`${s.dataType !== undefined ? "map" : "set"} ${s.name} {`, setLines(s)), s.elems.length);
	for (const c of t.chains) add(chainDoc(t.family, c), c.rules.length);
	flush();
	write("}\n");
}

/** The ruleset as nft text, handed to `write` in pieces (in order; their concatenation is the text). */
export function writeText(ruleset: nft.Ruleset, opts: EmitTextOpts, write: (chunk: string) => void): void {
	switch (opts.preamble) {
		case "none":
			break;
		case "flush":
			write("flush ruleset\n");
			break;
		case "destroy":
			// nft 1.0.6 has no `destroy`: create the table if missing, then delete it, so loading
			// replaces exactly our tables and leaves every other table alone.
			for (const t of ruleset.tables) write(`table ${t.family} ${t.name}\ndelete table ${t.family} ${t.name}\n`);
			break;
	}
	ruleset.tables.forEach((t, i) => {
		if (i > 0 || opts.preamble !== "none") write("\n");
		writeTable(t, write);
	});
}

export function emitText(ruleset: nft.Ruleset, opts: EmitTextOpts): string {
	const out: string[] = [];
	writeText(ruleset, opts, (s) => out.push(s));
	return out.join("");
}

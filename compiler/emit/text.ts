/**
 * nft text, laid out like `nft list ruleset` (tabs, one rule per line, a blank line between
 * chains and between tables). Every line is a string from format.ts; this file only indents
 * and joins them.
 */
import type * as nft from "../ir/nft.js";
import { baseChainLine, objectKeyword, objectLines, rule, setLines } from "./format.js";

export type Preamble = "none" | "flush" | "destroy";

export interface EmitTextOpts {
	readonly preamble: Preamble;
}

/**
 * One line at an indentation, without trailing blanks (a blank line carries no tabs). This is the
 * whole layout: parts of a table one tab in, their lines two tabs in. It was printed with
 * prettier's doc printer; on kube-proxy rulesets (90k rules) that cost ~0.3 s and ~50 MB of
 * garbage for no line breaking at all, so the same layout is written directly.
 */
function line(indent: string, text: string): string {
	const c = text.charCodeAt(text.length - 1);
	return c === 32 || c === 9 || text.length === 0 ? (indent + text).replace(/[ \t]+$/, "") : indent + text;
}

/**
 * Lines are collected and handed on in pieces of this many: a kube-proxy ruleset (~100k lines)
 * then never exists as one string unless the caller joins it (emitText).
 */
const PIECE_LINES = 4096;

/** Collects lines (each ends with a newline in the output) and hands them on in pieces. */
class Lines {
	private buf: string[] = [];
	constructor(private readonly write: (chunk: string) => void) {}
	push(l: string): void {
		this.buf.push(l);
		if (this.buf.length >= PIECE_LINES) this.flush();
	}
	flush(): void {
		if (this.buf.length === 0) return;
		this.buf.push("");
		this.write(this.buf.join("\n"));
		this.buf = [];
	}
}

/** `header {`, the body lines, `}`: one part of a table (chain, set, object). */
function block(out: Lines, header: string, body: readonly string[]): void {
	out.push(line("\t", header));
	for (const b of body) out.push(line("\t\t", b));
	out.push("\t}");
}

function chain(out: Lines, family: nft.Family, c: nft.Chain): void {
	out.push(line("\t", `chain ${c.name} {`));
	if (c.base !== undefined) out.push(line("\t\t", baseChainLine(family, c.base)));
	for (const r of c.rules) out.push(line("\t\t", rule(r, family)));
	out.push("\t}");
}

/** One table: its parts separated by a blank line, like `nft list ruleset`. */
function table(out: Lines, t: nft.Table): void {
	out.push(`table ${t.family} ${t.name} {`);
	let first = true;
	const next = (): void => {
		if (!first) out.push("");
		first = false;
	};
	for (const o of t.objects ?? []) {
		next();
		// `counter NAME {` … `}`: nft 1.0.6 reads object names only unquoted (lowering spells them so).
		block(out, `${objectKeyword(o)} ${o.name} {`, objectLines(o));
	}
	for (const s of t.sets) {
		next();
		block(out, `${s.dataType !== undefined ? "map" : "set"} ${s.name} {`, setLines(s));
	}
	for (const c of t.chains) {
		next();
		chain(out, t.family, c);
	}
	out.push("}");
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
	const out = new Lines(write);
	ruleset.tables.forEach((t, i) => {
		if (i > 0 || opts.preamble !== "none") out.push("");
		table(out, t);
	});
	out.flush();
}

export function emitText(ruleset: nft.Ruleset, opts: EmitTextOpts): string {
	const out: string[] = [];
	writeText(ruleset, opts, (s) => out.push(s));
	return out.join("");
}

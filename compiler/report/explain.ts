/**
 * `--explain`: every change the passes made, with the input lines each rule came from, in the
 * spirit of `nft -o -c`'s "Merging: … into: …" report.
 */
import type { Span } from "../ir/span.js";
import type * as nft from "../ir/nft.js";
import { rule } from "../emit/format.js";
import type { Change } from "../passes/pass.js";

const HEADINGS = {
	merge: ["Merging:", "into:"],
	remove: ["Removing:", ""],
	inline: ["Inlining:", "as:"],
	fold: ["Folding:", "into:"],
	rewrite: ["Rewriting:", "as:"],
} as const;

/** `sources` maps file names to their text, to quote each input line a rule came from. */
export function formatExplain(changes: readonly Change[], sources: ReadonlyMap<string, string>): string {
	const lines = new Map<string, readonly string[]>();
	const sourceLine = (s: Span): string => {
		let ls = lines.get(s.file);
		if (ls === undefined) {
			ls = (sources.get(s.file) ?? "").split("\n");
			lines.set(s.file, ls);
		}
		return (ls[s.line - 1] ?? "").trim();
	};
	const out: string[] = [];
	for (const c of changes) {
		const where = `${c.family} ${c.table}${c.chain !== undefined ? ` ${c.chain}` : ""}`;
		const [before, after] = HEADINGS[c.kind];
		out.push(`[${c.pass}] ${where}: ${c.reason}`);
		out.push(`  ${before}`);
		for (const r of c.before) pushRule(out, r, c.family, sourceLine);
		if (after !== "" && c.after.length > 0) {
			out.push(`  ${after}`);
			for (const r of c.after) out.push(`    ${rule(r, c.family)}`);
		}
		out.push("");
	}
	return out.join("\n");
}

function pushRule(out: string[], r: nft.Rule, family: nft.Family, sourceLine: (s: Span) => string): void {
	out.push(`    ${rule(r, family)}`);
	for (const o of r.origins) out.push(`      ${o.file}:${o.line}: ${sourceLine(o)}`);
}

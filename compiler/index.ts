/**
 * The library's entry points, each readable top to bottom as a pipeline:
 *   compile(): parse iptables -> lower to the nft IR -> optimise (passes) -> emit nft text or JSON.
 */
import { parseIptables } from "../grammar/iptables/index.js";
import { parseIpsetSave } from "../grammar/ipset/index.js";
import { nfacctCatalogue, parseNfacctList } from "../grammar/nfacct/index.js";
import type { Diagnostic } from "./ir/diagnostics.js";
import { hasErrors } from "./ir/diagnostics.js";
import type { Family, TableName } from "./ir/ipt.js";
import type * as ipt from "./ir/ipt.js";
import type * as nft from "./ir/nft.js";
import { lower } from "./lower/index.js";
import { optimise } from "./passes/pipeline.js";
import type { Change, OptLevel } from "./passes/pass.js";
import { emitText, writeText } from "./emit/text.js";
import { emitJson, jsonGaps, writeJson } from "./emit/json.js";

export type InputFormat = "auto" | "save" | "dump" | "script";
export type OutputFormat = "text" | "json";
export type Preamble = "none" | "flush" | "destroy";

export interface CompileOptions {
	/** Name shown in diagnostics and spans. */
	readonly file: string;
	readonly family?: Family;
	readonly table?: TableName;
	readonly inputFormat?: InputFormat;
	readonly counters?: boolean;
	readonly preamble?: Preamble;
	readonly outputFormat?: OutputFormat;
	/** -O level; 1 (every pass that keeps tables' names and families) when absent. */
	readonly optimize?: OptLevel;
	/** `ipset save` output of the host (for -m set / -j SET): its text and the name for diagnostics. */
	readonly ipset?: { readonly text: string; readonly file: string };
	/** `nfacct list` output of the host (for -m nfacct): its text and the name for diagnostics. */
	readonly nfacct?: { readonly text: string; readonly file: string };
	/**
	 * When given, the output is handed to `write` in pieces as it is printed and `output` is "", so
	 * a 100k-rule ruleset is never held as one string (the CLI writes it straight out).
	 */
	readonly write?: (chunk: string) => void;
	/** Keep what the passes changed in `changes` (for --explain); true when absent. */
	readonly recordChanges?: boolean;
}

export interface CompileStats {
	/** Rules in the parsed input (after script replay and -s/-d list expansion). */
	readonly rulesIn: number;
	/** Rules in the emitted ruleset. */
	readonly rulesOut: number;
	/** Input rules with at least one error diagnostic (left out of the output). */
	readonly rulesFailed: number;
}

export interface CompileResult {
	readonly output: string;
	readonly diagnostics: readonly Diagnostic[];
	/** False when anything was not translated: callers must not exit 0. */
	readonly ok: boolean;
	readonly ipt: ipt.Ruleset;
	/** The optimised ruleset that was emitted. */
	readonly nft: nft.Ruleset;
	/** What the passes changed, in order (for --explain). */
	readonly changes: readonly Change[];
	readonly stats: CompileStats;
}

export function compile(text: string, opts: CompileOptions): CompileResult {
	const parsed = parseIptables(text, {
		file: opts.file,
		...(opts.family ? { family: opts.family } : {}),
		...(opts.table ? { table: opts.table } : {}),
		format: opts.inputFormat ?? "auto",
	});
	const ipsets = opts.ipset !== undefined ? parseIpsetSave(opts.ipset.text, opts.ipset.file) : undefined;
	const nfacct = opts.nfacct !== undefined ? parseNfacctList(opts.nfacct.text, opts.nfacct.file) : undefined;
	const lowered = lower(parsed.ruleset, {
		counters: opts.counters ?? false,
		...(ipsets !== undefined ? { ipsets: { sets: new Map(ipsets.sets.map((d) => [d.name, d])) } } : {}),
		...(nfacct !== undefined ? { nfacct: nfacctCatalogue(nfacct.objects) } : {}),
	});
	const optimised = optimise(lowered.ruleset, opts.optimize ?? 1, undefined, opts.recordChanges ?? true);
	const json = (opts.outputFormat ?? "text") === "json";
	const textOpts = { preamble: opts.preamble ?? "none" } as const;
	let output = "";
	if (opts.write === undefined) output = json ? emitJson(optimised.ruleset) : emitText(optimised.ruleset, textOpts);
	else if (json) writeJson(optimised.ruleset, opts.write);
	else writeText(optimised.ruleset, textOpts, opts.write);
	const diagnostics = [...parsed.diagnostics, ...(ipsets?.diagnostics ?? []), ...(nfacct?.diagnostics ?? []), ...lowered.diagnostics, ...optimised.diagnostics];
	if (opts.outputFormat === "json") diagnostics.push(...jsonGaps(optimised.ruleset));
	return {
		output,
		diagnostics,
		ok: !hasErrors(diagnostics),
		ipt: parsed.ruleset,
		nft: optimised.ruleset,
		changes: optimised.changes,
		stats: {
			rulesIn: countIptRules(parsed.ruleset),
			rulesOut: countNftRules(optimised.ruleset),
			rulesFailed: new Set(
				diagnostics.filter((d) => d.severity === "error" && d.span).map((d) => `${d.span!.file}:${d.span!.line}`),
			).size,
		},
	};
}

function countIptRules(r: ipt.Ruleset): number {
	let n = 0;
	for (const t of r.tables) for (const c of t.chains) n += c.rules.length;
	return n;
}

function countNftRules(r: nft.Ruleset): number {
	let n = 0;
	for (const t of r.tables) for (const c of t.chains) n += c.rules.length;
	return n;
}

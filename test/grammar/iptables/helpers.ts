/** Shared helpers for the iptables grammar tests. */
import path from "node:path";
import { expect, it } from "vitest";
import type { Diagnostic } from "../../../compiler/ir/diagnostics.js";
import type { Family, Rule, Ruleset, TableName } from "../../../compiler/ir/ipt.js";
import { parseIptables, type ParseResult } from "../../../grammar/iptables/index.js";

export const SHARED = path.resolve(import.meta.dirname, "../../../..", "shared");

/** Parses one rule spec appended to `chain` of `table` inside a minimal save file. */
export function parseRule(spec: string, opts: { table?: TableName; chain?: string; family?: Family; chains?: string[] } = {}): ParseResult & { rules: Rule[] } {
	const table = opts.table ?? "filter";
	const chain = opts.chain ?? "INPUT";
	const user = [...(opts.chains ?? []), ...(isBuiltin(chain) ? [] : [chain])];
	const text = [`*${table}`, ...user.map((c) => `:${c} - [0:0]`), `-A ${chain} ${spec}`, "COMMIT", ""].join("\n");
	const r = parseIptables(text, { file: "t.rules", family: opts.family ?? "ip", format: "save" });
	return { ...r, rules: rulesOf(r.ruleset, table, chain) };
}

function isBuiltin(c: string): boolean {
	return ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"].includes(c);
}

export function rulesOf(rs: Ruleset, table: TableName, chain: string, family?: Family): Rule[] {
	const t = rs.tables.find((x) => x.name === table && (family === undefined || x.family === family));
	return [...(t?.chains.find((c) => c.name === chain)?.rules ?? [])];
}

export function errorCodes(ds: readonly Diagnostic[]): string[] {
	return ds.filter((d) => d.severity === "error").map((d) => d.code);
}

export function codes(ds: readonly Diagnostic[]): string[] {
	return ds.map((d) => d.code);
}

export type RuleOpts = Parameters<typeof parseRule>[1];

/** The one rule `spec` parses to; it must parse without errors. */
export function only(spec: string, opts: RuleOpts = {}): Rule {
	const r = parseRule(spec, opts);
	expect(errorCodes(r.diagnostics), spec).toEqual([]);
	return r.rules[0]!;
}

/** One test per [spec, code, opts?]: exactly that error, and no rule kept. */
export function refused(cases: readonly (readonly [string, string, RuleOpts?])[]): void {
	for (const [spec, code, opts] of cases)
		it(`refuses ${spec} (${code})`, () => {
			const r = parseRule(spec, opts ?? {});
			expect(errorCodes(r.diagnostics)).toEqual([code]);
			expect(r.rules).toEqual([]);
		});
}

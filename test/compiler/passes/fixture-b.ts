/**
 * Shared by the part-B pass tests (cleanup, numgen, NAT maps, inet folding): read a fixture, lower
 * it, run a list of passes, emit nft text; and the checks every fixture gets (golden, idempotence,
 * simulator equivalence against the iptables input, real `nft -c`).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect } from "vitest";
import { parseIptables } from "../../../grammar/iptables/index.js";
import { emitText } from "../../../compiler/emit/text.js";
import type * as nft from "../../../compiler/ir/nft.js";
import { lower } from "../../../compiler/lower/index.js";
import type { Change, Pass } from "../../../compiler/passes/pass.js";
import { optimise } from "../../../compiler/passes/pipeline.js";
import { verifyTexts } from "../../../compiler/verify.js";
import { nftCheck } from "../../helpers/nft-check.js";
import { ROOT } from "../../helpers/paths.js";

export const FIXTURES = resolve(ROOT, "test", "fixtures", "passes");

export function fixtureInput(name: string): { text: string; file: string } {
	const file = resolve(FIXTURES, name, "input.rules");
	return { text: readFileSync(file, "utf8"), file: `${name}/input.rules` };
}

export function lowered(text: string, file: string): nft.Ruleset {
	const p = parseIptables(text, { file, format: "auto" });
	expect(p.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
	const l = lower(p.ruleset, { counters: false });
	expect(l.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
	return l.ruleset;
}

export interface Ran {
	readonly ruleset: nft.Ruleset;
	readonly text: string;
	readonly changes: readonly Change[];
}

/** Runs exactly `passes` (whatever their level) over the lowered input. */
export function runPasses(ruleset: nft.Ruleset, passes: readonly Pass[]): Ran {
	const r = optimise(ruleset, 2, passes);
	return { ruleset: r.ruleset, text: emitText(r.ruleset, { preamble: "none" }), changes: r.changes };
}

/** Compares with output.nft; `UPDATE_GOLDENS=1` writes it (then review the diff by hand). */
export function expectGolden(name: string, text: string): void {
	const file = resolve(FIXTURES, name, "output.nft");
	if (process.env.UPDATE_GOLDENS === "1" || !existsSync(file)) writeFileSync(file, text);
	expect(text).toBe(readFileSync(file, "utf8"));
}

/** The simulator, reading the emitted TEXT with its own grammar, against the iptables input. */
export function expectEquivalent(iptText: string, nftText: string, file: string, packets?: number): void {
	const v = verifyTexts(iptText, nftText, { oldFile: file, newFile: `${file}.nft`, ...(packets !== undefined ? { packets } : {}) });
	if (v.kind !== "done") throw new Error(`verify refused: ${JSON.stringify(v.diagnostics.slice(0, 3))}`);
	const diff = v.result.differences[0];
	expect(diff === undefined ? "" : JSON.stringify(diff, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x)).slice(0, 2000)).toBe("");
	expect(v.result.equal).toBe(true);
	expect(v.result.checked).toBeGreaterThan(0);
}

export function expectNftAccepts(text: string): void {
	const r = nftCheck(text);
	expect(r.stderr).toBe("");
	expect(r.ok).toBe(true);
}

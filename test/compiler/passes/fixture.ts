/**
 * Shared by the pass tests: read a fixture, lower it, run a list of passes, emit nft text; and the
 * checks every fixture gets (`describeFixture`: golden, idempotence, simulator equivalence against
 * the iptables input, real `nft -c`, and the same for the whole pipeline at the fixture's level).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseIptables } from "../../../grammar/iptables/index.js";
import { emitText } from "../../../compiler/emit/text.js";
import type * as nft from "../../../compiler/ir/nft.js";
import { lower } from "../../../compiler/lower/index.js";
import type { Change, OptLevel, Pass } from "../../../compiler/passes/pass.js";
import { PASSES, optimise } from "../../../compiler/passes/pipeline.js";
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
export function expectEquivalent(iptText: string, nftText: string, file: string, packets?: number, conntrack?: boolean): void {
	const v = verifyTexts(iptText, nftText, { oldFile: file, newFile: `${file}.nft`, ...(packets !== undefined ? { packets } : {}), ...(conntrack !== undefined ? { conntrack } : {}) });
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

export interface FixtureCase {
	readonly name: string;
	readonly passes: readonly Pass[];
	/** The -O level the whole pipeline runs at for this fixture (default 1). */
	readonly level?: OptLevel;
	/** What the passes must have done (counts of change kinds, shapes of the output …). */
	readonly check: (out: Ran) => void;
	/**
	 * Verify on a host that runs conntrack (fragments reassembled before the rules). Needed for
	 * stateless fixtures with tcp matches: lowering does not reproduce xt_tcp's drop of TCP
	 * fragments at offset 1, a difference -O0 already has and the passes do not touch.
	 */
	readonly conntrack?: boolean;
	/** More tests on the result, inside the fixture's describe block. */
	readonly extra?: (out: Ran) => void;
}

/** The checks every pass fixture gets. */
export function describeFixture(c: FixtureCase): void {
	describe(c.name, () => {
		const { text, file } = fixtureInput(c.name);
		const rs = lowered(text, file);
		const out = runPasses(rs, c.passes);
		const level = c.level ?? 1;
		it("matches the reviewed golden", () => {
			expectGolden(c.name, out.text);
			c.check(out);
		});
		it("is idempotent (the passes again change nothing)", () => {
			const again = runPasses(out.ruleset, c.passes);
			expect(again.changes).toEqual([]);
			expect(again.text).toBe(out.text);
		});
		it("decides every packet as the iptables input does", () => expectEquivalent(text, out.text, file, undefined, c.conntrack));
		it("is accepted by nft -c", () => expectNftAccepts(out.text));
		it(`the whole -O${level} pipeline is idempotent, equivalent and loads`, () => {
			const once = optimise(rs, level, PASSES);
			const t = emitText(once.ruleset, { preamble: "none" });
			expect(emitText(optimise(once.ruleset, level, PASSES).ruleset, { preamble: "none" })).toBe(t);
			expectEquivalent(text, t, file, undefined, c.conntrack);
			expectNftAccepts(t);
		});
		c.extra?.(out);
	});
}

/** `pass/kind` -> how many changes of that kind. */
export function changeKinds(changes: readonly Change[]): Map<string, number> {
	const m = new Map<string, number>();
	for (const c of changes) m.set(`${c.pass}/${c.kind}`, (m.get(`${c.pass}/${c.kind}`) ?? 0) + 1);
	return m;
}

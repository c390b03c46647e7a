/**
 * Integration: real rulesets from the shared corpus through the real parser, lowering and the
 * text emitter; every emitted ruleset must pass the real `nft -c`, and every input rule must
 * either reach the output (by origin) or carry an error diagnostic at its line.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as nft from "../../../compiler/ir/nft.js";
import { emitText } from "../../../compiler/emit/text.js";
import { lower } from "../../../compiler/lower/index.js";
import { parseIptables } from "../../../grammar/iptables/index.js";
import { nftCheck } from "../../helpers/nft-check.js";
import { CORPUS_REAL } from "../../helpers/paths.js";

const files = readdirSync(CORPUS_REAL)
	.filter((f) => /\.(rules|sh)$/.test(f) && !f.includes(".INVALID."))
	.sort();

describe("real corpus: parse -> lower -> emit -> nft -c", () => {
	const tables: nft.Table[] = [];
	for (const [i, f] of files.entries()) {
		it(f, () => {
			const text = readFileSync(join(CORPUS_REAL, f), "utf8");
			const parsed = parseIptables(text, { file: f });
			const lowered = lower(parsed.ruleset, { counters: true });
			expect(lowered.diagnostics.filter((d) => d.code === "internal_error")).toEqual([]);
			// Nothing lost silently.
			const emitted = new Set<string>();
			for (const t of lowered.ruleset.tables)
				for (const c of t.chains) for (const r of c.rules) for (const o of r.origins) emitted.add(`${o.line}`);
			const errorLines = new Set(
				[...parsed.diagnostics, ...lowered.diagnostics].filter((d) => d.severity === "error" || d.code === "lossy_translation").map((d) => `${d.span?.line}`),
			);
			for (const t of parsed.ruleset.tables)
				for (const c of t.chains)
					for (const r of c.rules) {
						// A diagnostic may point inside a multi-line (script) rule.
						const lines = Array.from({ length: r.text.split("\n").length }, (_, k) => `${r.span.line + k}`);
						const ok = emitted.has(`${r.span.line}`) || lines.some((l) => errorLines.has(l));
						expect(ok, `${f}:${r.span.line} lost: ${r.text}`).toBe(true);
					}
			for (const t of lowered.ruleset.tables) tables.push({ ...t, name: `f${i}_${t.name}` });
		});
	}
	it("all of them together pass nft -c", () => {
		expect(tables.length).toBeGreaterThan(10);
		const text = emitText({ tables }, { preamble: "none" });
		const r = nftCheck(text);
		if (!r.ok) {
			const lines = text.split("\n");
			const ctx = [...r.stderr.matchAll(/:(\d+):\d+/g)].slice(0, 5).map((m) => lines[Number(m[1]) - 1]);
			expect.fail(`${r.stderr.slice(0, 3000)}\n${ctx.join("\n")}`);
		}
	});
});

/**
 * Upstream expected nft (iptables 1.8.13 txlate, ip/ip6: 383 cases) through our grammar, and the
 * same files through the real `nft -c -f`: anything nft accepts that we reject as a syntax error is
 * a grammar gap and fails this test.
 */
import { describe, expect, test } from "vitest";
import { parseNft } from "../../../grammar/nft/index.js";
import { nftSide } from "../../../compiler/sim/nft/index.js";
import { nftCheck } from "../../helpers/nft-check.js";
import { txlateCases } from "./txlate-cases.js";
import { ctx, pkt } from "../../compiler/sim/nft/harness.js";
import { HOOKS } from "../../../compiler/sim/model.js";

const cases = txlateCases();

describe("upstream txlate expected nft", () => {
	test("383 ip/ip6 cases: counts of clean parses, unmodelled constructs and syntax errors", () => {
		expect(cases.length).toBe(383);
		let clean = 0;
		let unsupported = 0;
		let syntax = 0;
		for (const c of cases) {
			const { diagnostics } = parseNft(c.file, c.id);
			if (diagnostics.length === 0) clean++;
			else if (diagnostics.every((d) => d.code === "nft_unsupported")) unsupported++;
			else syntax++;
		}
		// Measured: 375 clean, 4 unmodelled (meter, sctp chunk), 4 syntax errors that nft 1.0.6 refuses as well
		// (`exthdr ah|esp exists`, `[a-b]:port`, `rt seg-left != 0-4294967295`).
		expect({ clean, unsupported, syntax }).toEqual({ clean: 375, unsupported: 4, syntax: 4 });
	});

	test("every parsed case compiles and evaluates without throwing", () => {
		for (const c of cases) {
			const { ast } = parseNft(c.file, c.id);
			const s = nftSide(ast);
			for (const hook of HOOKS) for (const fam of [4, 6] as const) for (const ch of s.baseChains(hook, fam)) ch.run(pkt({ fam }), ctx(hook));
		}
	});

	test("cross-check with nft -c: no case nft accepts is a syntax error here", () => {
		const gaps: string[] = [];
		for (const c of cases) {
			const ours = parseNft(c.file, c.id).diagnostics.filter((d) => d.code !== "nft_unsupported");
			if (ours.length === 0) continue;
			if (nftCheck(c.file).ok) gaps.push(`${c.id}: ${c.lines.join(" | ")}: ${ours[0]?.message}`);
		}
		expect(gaps).toEqual([]);
	}, 60_000);
});

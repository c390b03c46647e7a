/**
 * Random chains over small, overlapping value domains (so that rules meet, shadow and interleave):
 * the merging passes must keep every packet's outcome. This exercises non-adjacent moves, which
 * the fixtures only show by example.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { emitText } from "../../../compiler/emit/text.js";
import { mergeConcat } from "../../../compiler/passes/merge-concat.js";
import { mergeSet } from "../../../compiler/passes/merge-set.js";
import { mergeVmap } from "../../../compiler/passes/merge-vmap.js";
import { namedSets } from "../../../compiler/passes/named-sets.js";
import { optimise } from "../../../compiler/passes/pipeline.js";
import { verifyTexts } from "../../../compiler/verify.js";
import { nftCheck } from "../../helpers/nft-check.js";

// Most rules share one shape (a source and a port) so that they merge; the rarer fields and the
// overlapping values (prefixes over addresses, a port range, a negation, a wildcard) make rules
// meet, so only some of them may move.
const SOURCES = ["-s 10.0.0.1/32", "-s 10.0.0.2/32", "-s 10.0.0.3/32", "-s 10.0.0.0/24", "-s 10.0.1.0/24", "-s 10.0.1.7/32", "! -s 10.0.0.0/24"];
const PORTS = ["-p tcp -m tcp --dport 22", "-p tcp -m tcp --dport 80", "-p tcp -m tcp --dport 443", "-p udp -m udp --dport 53", "-p udp -m udp --dport 22", "-p tcp -m tcp --dport 20:30", "-p tcp -m tcp ! --dport 22", "-p icmp"];
const EXTRA = ["", "", "", "", "", "", "-i eth0", "-i eth+", "-d 192.0.2.1/32", "-m mark --mark 0x1", "-m mark --mark 0x2"];
const TARGETS = ["-j ACCEPT", "-j ACCEPT", "-j DROP", "-j DROP", "-j RETURN", "-j SUB", "-j MARKER", "-j LOG --log-prefix \"x: \"", "-j REJECT"];

const ruleArb = fc
	.tuple(fc.constantFrom(...SOURCES), fc.constantFrom(...PORTS), fc.constantFrom(...EXTRA), fc.constantFrom(...TARGETS))
	.map((parts) => parts.filter((p) => p !== "").join(" "));

function ruleset(rules: readonly string[]): string {
	return [
		"*filter",
		":INPUT DROP [0:0]",
		":FORWARD ACCEPT [0:0]",
		":OUTPUT ACCEPT [0:0]",
		":CHAIN - [0:0]",
		":SUB - [0:0]",
		":MARKER - [0:0]",
		"-A INPUT -j CHAIN",
		"-A INPUT -p tcp -j ACCEPT",
		...rules.map((r) => `-A CHAIN ${r}`),
		"-A SUB -m mark --mark 0x1 -j DROP",
		"-A SUB -p udp -j ACCEPT",
		"-A MARKER -j MARK --set-xmark 0x2/0xffffffff",
		"COMMIT",
		"",
	].join("\n");
}

describe("merging passes: random chains keep every packet's outcome", () => {
	it("60 random chains of 12-30 rules", () => {
		let merges = 0;
		fc.assert(
			fc.property(fc.array(ruleArb, { minLength: 12, maxLength: 30 }), (rules) => {
				const text = ruleset(rules);
				const c = compile(text, { file: "random.rules", optimize: 0 });
				expect(c.ok).toBe(true);
				const o = optimise(c.nft, 1, [mergeVmap, mergeSet, mergeConcat, namedSets]);
				merges += o.changes.length;
				if (process.env.DEBUG_RANDOM) console.log(rules.length, o.changes.length, c.stats.rulesOut);
				const out = emitText(o.ruleset, { preamble: "none" });
				const n = nftCheck(out);
				expect(n.stderr).toBe("");
				const v = verifyTexts(text, out, { oldFile: "random.rules", newFile: "random.nft", packets: 2500, conntrack: true });
				expect(v.kind).toBe("done");
				if (v.kind !== "done") return;
				const d = v.result.differences[0];
				expect(d === undefined ? "" : `${out}\n${JSON.stringify(d, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x)).slice(0, 1500)}`).toBe("");
			}),
			{ numRuns: 60, seed: 20261129 },
		);
		// The generator must actually produce merges, or this test proves nothing.
		expect(merges).toBeGreaterThan(60);
	}, 180_000);
});

/**
 * merge-concat: rules with the same statements that differ in several conditions' values become
 * one lookup in a concatenation: `ip saddr . tcp dport { 10.0.0.1 . 22, 10.0.0.2 . 80 } accept`.
 * Key tuples must not overlap (a packet that met two rules now meets one). nft 1.0.6 accepts
 * prefixes and ranges in the parts of an anonymous concatenated set (checked with `nft -c`).
 */
import type { Pass } from "./pass.js";
import { mergeRuleset } from "./merge-core.js";

export const mergeConcat: Pass = {
	name: "merge-concat",
	level: 1,
	run: (ruleset) => ({
		...mergeRuleset(ruleset, {
			pass: "merge-concat",
			mode: "concat",
			reason: "same statements, several conditions differ: their values form a concatenation (keys do not overlap)",
		}),
		diagnostics: [],
	}),
};

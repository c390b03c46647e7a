/**
 * merge-set: rules that differ only in one condition's value (same other conditions, same
 * statements) become one rule with an anonymous set: `tcp dport { 22, 80, 443 } accept`.
 * Only `==` conditions take part (a `!=` stays as it is). Overlapping integer values are unioned
 * when the statements end the chain's evaluation (the packet met the same statements once either
 * way); otherwise overlapping values keep the rules apart. See merge-core.ts for the grouping.
 */
import type { Pass } from "./pass.js";
import { mergeRuleset } from "./merge-core.js";

export const mergeSet: Pass = {
	name: "merge-set",
	level: 1,
	run: (ruleset) => ({
		...mergeRuleset(ruleset, {
			pass: "merge-set",
			mode: "set",
			reason: "same statements, one condition differs: its values form a set (rules moved only past disjoint rules)",
		}),
		diagnostics: [],
	}),
};

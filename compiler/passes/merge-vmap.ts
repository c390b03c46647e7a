/**
 * merge-vmap: rules whose only statement is a verdict and that differ in the values of one or more
 * conditions become one verdict map lookup: `ip daddr . meta l4proto . th dport vmap { … : jump X }`
 * (kube-proxy's KUBE-SERVICES dispatch). Keys must not overlap. A key that a statement could
 * change mid-chain (marks) is allowed only when every verdict ends the chain: after a `jump` that
 * returns, the next rule would see the changed value, which a single lookup cannot reproduce.
 * Comments of merged rules are kept on their map elements. It runs before merge-set: a group whose
 * rules turn out to share one verdict becomes a set (or concatenation) with that verdict here.
 */
import type { Pass } from "./pass.js";
import { mergeRuleset } from "./merge-core.js";

export const mergeVmap: Pass = {
	name: "merge-vmap",
	level: 1,
	run: (ruleset) => ({
		...mergeRuleset(ruleset, {
			pass: "merge-vmap",
			mode: "vmap",
			reason: "only the verdict and key values differ: one verdict map lookup (keys do not overlap)",
		}),
		diagnostics: [],
	}),
};

/**
 * The host's nfacct objects in the iptables-side simulation. xt_nfacct matches unless the object
 * has a quota it is still under: for an object with a quota that is xt_quota's `! --quota`
 * (true once over), which the evaluator models by the packet's overLimit switch like every
 * quota. Without host state (or for objects without quota) the match stays always true.
 */
import type * as ipt from "../../../ir/ipt.js";
import type { NfacctCatalogue } from "../../../ir/nfacct.js";

export function withNfacctHost(ruleset: ipt.Ruleset, host: NfacctCatalogue): ipt.Ruleset {
	const swap = (m: ipt.Match): ipt.Match => {
		if (m.kind !== "nfacct") return m;
		const q = host.objects.get(m.name)?.quota;
		return q === undefined ? m : { kind: "quota", bytes: q.limit, neg: true };
	};
	return {
		...ruleset,
		tables: ruleset.tables.map((t) => ({
			...t,
			chains: t.chains.map((c) => ({
				...c,
				rules: c.rules.map((r) => (r.matches.some((m) => m.kind === "nfacct") ? { ...r, matches: r.matches.map(swap) } : r)),
			})),
		})),
	};
}

/** Every nfacct object the rules name, in first-use order (a kernel replay creates them). */
export function nfacctNames(ruleset: ipt.Ruleset): string[] {
	const names = new Set<string>();
	for (const t of ruleset.tables) for (const c of t.chains) for (const r of c.rules) for (const m of r.matches) if (m.kind === "nfacct") names.add(m.name);
	return [...names];
}

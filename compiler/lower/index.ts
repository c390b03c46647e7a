/**
 * Lowering: ipt IR -> nft IR, the only bridge between the two.
 *
 * - One nft table per (family, iptables table), named like the iptables table; built-in chains
 *   become base chains at iptables' fixed priorities (mangle OUTPUT is `type route`, nat chains
 *   `type nat`), always emitted with their policy; user chains become regular chains.
 * - Each input rule gives zero or more nft rules whose `origins` are [its span].
 * - Rules with an `unknown` match or target are skipped WITHOUT a new diagnostic: the parser has
 *   already reported `unsupported_extension` at the same span, and one problem is reported once.
 *   Every other rule that cannot be translated exactly gets its own error here.
 * - Chain names nft cannot read (keywords, characters outside its identifier syntax; nft 1.0.6
 *   has no quoted chain names) are renamed deterministically with a `renamed_chain` warning.
 */
import { diagnostic, type Diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import { tablePriority } from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";
import { planState, TableSets, type StatePlan } from "./sets.js";
import { lowerRule, type LowerOpts } from "./rule.js";
import { isSafeChainName, safeChainName } from "./strings.js";

export type { LowerOpts } from "./rule.js";

export interface LowerResult {
	readonly ruleset: nft.Ruleset;
	readonly diagnostics: Diagnostic[];
}

export function lower(ruleset: ipt.Ruleset, opts: LowerOpts): LowerResult {
	const diags: Diagnostic[] = [];
	const plan = planState(ruleset, opts.ipsets);
	const tables = ruleset.tables.map((t) => lowerTable(t, opts, diags, plan));
	return { ruleset: { tables }, diagnostics: diags };
}

function lowerTable(t: ipt.Table, opts: LowerOpts, diags: Diagnostic[], plan: StatePlan): nft.Table {
	const sets = new TableSets();
	const names = chainNames(t, diags);
	const chainName = (n: string): string => names.get(n) ?? n;
	const fam: ipt.Fam = t.family === "ip" ? 4 : 6;
	let reach: Map<string, Set<ipt.BuiltinChain>> | undefined;
	const reachedFrom = (name: string): ReadonlySet<ipt.BuiltinChain> => (reach ??= reachability(t)).get(name) ?? new Set();
	const chains = t.chains.map((c): nft.Chain => {
		const rules: nft.Rule[] = [];
		for (const rule of c.rules) {
			const ctx: RuleCtx = { fam, table: t.name, chain: c.name, rule, diags, chainName, sets, plan, reachedFrom };
			for (const r of lowerRule(ctx, opts)) rules.push(r);
		}
		const base = c.builtin ? baseChain(t.name, c) : undefined;
		return {
			name: chainName(c.name),
			...(base !== undefined ? { base } : {}),
			rules,
			origins: [c.span],
		};
	});
	return { family: t.family, name: t.name, chains, sets: sets.sets(), origins: [t.span] };
}

/** For every chain, the built-in chains whose packets can get there by jump/goto (iteratively: deep chains). */
function reachability(t: ipt.Table): Map<string, Set<ipt.BuiltinChain>> {
	const edges = new Map<string, Set<string>>();
	for (const c of t.chains) {
		const out = new Set<string>();
		for (const r of c.rules) if (r.target?.kind === "jump" || r.target?.kind === "goto") out.add(r.target.chain);
		edges.set(c.name, out);
	}
	const reach = new Map<string, Set<ipt.BuiltinChain>>();
	for (const c of t.chains) {
		const from = c.name;
		if (!c.builtin || !isBuiltinName(from)) continue;
		const stack = [c.name];
		const seen = new Set<string>(stack);
		while (stack.length > 0) {
			const n = stack.pop()!;
			let s = reach.get(n);
			if (s === undefined) reach.set(n, (s = new Set()));
			s.add(from);
			for (const m of edges.get(n) ?? []) if (!seen.has(m)) (seen.add(m), stack.push(m));
		}
	}
	return reach;
}

function baseChain(table: ipt.TableName, c: ipt.Chain): nft.BaseChain | undefined {
	const hookOf: Record<ipt.BuiltinChain, nft.Hook> = {
		PREROUTING: "prerouting",
		INPUT: "input",
		FORWARD: "forward",
		OUTPUT: "output",
		POSTROUTING: "postrouting",
	};
	if (!isBuiltinName(c.name)) return undefined;
	const type: nft.ChainType = table === "nat" ? "nat" : table === "mangle" && c.name === "OUTPUT" ? "route" : "filter";
	return {
		type,
		hook: hookOf[c.name],
		priority: tablePriority(table, c.name),
		policy: c.policy === "DROP" ? "drop" : "accept",
	};
}

function isBuiltinName(n: string): n is ipt.BuiltinChain {
	return n === "PREROUTING" || n === "INPUT" || n === "FORWARD" || n === "OUTPUT" || n === "POSTROUTING";
}

/** Map each chain to a name nft can spell; unique within the table, stable across runs. */
function chainNames(t: ipt.Table, diags: Diagnostic[]): Map<string, string> {
	const out = new Map<string, string>();
	const taken = new Set(t.chains.filter((c) => isSafeChainName(c.name)).map((c) => c.name));
	for (const c of t.chains) {
		if (isSafeChainName(c.name)) {
			out.set(c.name, c.name);
			continue;
		}
		const stem = safeChainName(c.name);
		let name = stem;
		for (let i = 2; taken.has(name); i++) name = `${stem}_${i}`;
		taken.add(name);
		out.set(c.name, name);
		diags.push(
			diagnostic(
				"renamed_chain",
				`chain ${JSON.stringify(c.name)} is written as ${name} (nft cannot spell the original name)`,
				c.span,
			),
		);
	}
	return out;
}

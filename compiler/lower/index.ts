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
import { CT_HELPER_PRIORITY, hasCtHelper, planCtHelpers, type CtHelperPlan } from "./ct-helper-chain.js";

export type { LowerOpts } from "./rule.js";

export interface LowerResult {
	readonly ruleset: nft.Ruleset;
	readonly diagnostics: Diagnostic[];
}

export function lower(ruleset: ipt.Ruleset, opts: LowerOpts): LowerResult {
	const diags: Diagnostic[] = [];
	const plan = planState(ruleset, opts.ipsets, opts.nfacct, opts.counters);
	const tables = ruleset.tables.map((t) => lowerTable(t, opts, diags, plan));
	return { ruleset: { tables }, diagnostics: diags };
}

function lowerTable(t: ipt.Table, opts: LowerOpts, diags: Diagnostic[], plan: StatePlan): nft.Table {
	const sets = new TableSets();
	const renamed = chainNames(t, diags);
	// Nearly always nothing is renamed: then no lookup per rule (kube-proxy: 100k jumps).
	const chainName = renamed.size === 0 ? (n: string): string => n : (n: string): string => renamed.get(n) ?? n;
	const fam: ipt.Fam = t.family === "ip" ? 4 : 6;
	let reach: Map<string, Set<ipt.BuiltinChain>> | undefined;
	const reachedFrom = (name: string): ReadonlySet<ipt.BuiltinChain> => (reach ??= reachability(t)).get(name) ?? new Set();
	const helperPlan = hasCtHelper(t) ? planCtHelpers(t) : undefined;
	const ctHelper = helperPlan !== undefined ? { plan: helperPlan, stage: "raw" as const } : undefined;
	const chains = t.chains.map((c): nft.Chain => {
		const rules: nft.Rule[] = [];
		for (const rule of c.rules) {
			// Two literal shapes rather than a spread (an object spread per rule is slow on 100k rules).
			const ctx: RuleCtx = ctHelper === undefined ? { fam, table: t.name, chain: c.name, rule, diags, chainName, sets, plan, reachedFrom } : { fam, table: t.name, chain: c.name, rule, diags, chainName, sets, plan, reachedFrom, ctHelper };
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
	const objects: nft.NamedObject[] = [...sets.objects()];
	if (helperPlan === undefined) return { family: t.family, name: t.name, chains, sets: sets.sets(), ...(objects.length > 0 ? { objects } : {}), origins: [t.span] };
	// CT --helper rules that moved after conntrack (ct-helper-chain.ts).
	const extra = helperChains(helperPlan, chains, (rule, chain) => {
		// Lowered again for the helper chain: same matches, same diagnostics; report them once.
		const ctx: RuleCtx = { fam, table: t.name, chain, rule, diags: [], chainName, sets, plan, reachedFrom, ctHelper: { plan: helperPlan, stage: "helper" } };
		const out = lowerRule(ctx, { ...opts, counters: false });
		for (const d of ctx.diags) if (d.severity === "error") diags.push(d);
		return out;
	});
	for (const o of helperPlan.objects) objects.push({ kind: "ct-helper", name: o.name, helper: o.helper, proto: o.proto, l3proto: t.family, origins: [t.span] });
	return { family: t.family, name: t.name, chains: [...chains, ...extra], sets: sets.sets(), ...(objects.length > 0 ? { objects } : {}), origins: [t.span] };
}

/** The negation of a rule lowered to one comparison (ct-helper-chain.ts only asks for such). */
function negateOne(rules: readonly nft.Rule[]): nft.Cond {
	const c = rules.length === 1 && rules[0]!.conds.length === 1 ? rules[0]!.conds[0]! : undefined;
	if (c === undefined || c.kind !== "rel" || (c.op !== "==" && c.op !== "!=") || c.right.kind === "flags")
		throw new Error(`internal error: a path condition of a CT --helper rule is not one comparison (${rules.length} rules)`);
	return { ...c, op: c.op === "==" ? "!=" : "==" };
}

/** One base chain per hook right after conntrack, holding the moved CT --helper rules in order. */
function helperChains(p: CtHelperPlan, chains: readonly nft.Chain[], lowerOne: (rule: ipt.Rule, chain: string) => nft.Rule[]): nft.Chain[] {
	const taken = new Set(chains.map((c) => c.name));
	const out: nft.Chain[] = [];
	for (const [hook, entries] of p.hooks) {
		if (entries.length === 0) continue;
		let name = `ct_helper_${hook}`;
		for (let i = 2; taken.has(name); i++) name = `ct_helper_${hook}_${i}`;
		taken.add(name);
		const rules: nft.Rule[] = [];
		for (const e of entries) {
			const own = lowerOne(e.rule, e.chain);
			// One copy per path that reaches the rule, behind the conditions of the jumps it took.
			for (const path of e.paths) {
				let alts: nft.Cond[][] = [[]];
				for (const j of path.taken) {
					const conds = lowerOne(j.rule, j.chain).map((r) => r.conds);
					alts = alts.flatMap((a) => conds.map((c) => [...a, ...c]));
				}
				const negs = path.negated.map((n) => negateOne(lowerOne(n.rule, n.chain)));
				const origins = [e.rule.span, ...path.taken.map((j) => j.rule.span), ...path.negated.map((j) => j.rule.span)];
				for (const a of alts) for (const r of own) rules.push({ ...r, conds: [...a, ...negs, ...r.conds], origins });
			}
		}
		out.push({
			name,
			base: { type: "filter", hook: hook === "PREROUTING" ? "prerouting" : "output", priority: CT_HELPER_PRIORITY, policy: "accept" },
			rules,
			origins: entries.map((e) => e.rule.span),
		});
	}
	return out;
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

/**
 * The chains nft cannot spell, each mapped to a name it can: unique within the table, stable
 * across runs. Every other chain keeps its name.
 */
function chainNames(t: ipt.Table, diags: Diagnostic[]): Map<string, string> {
	const out = new Map<string, string>();
	const unsafe = t.chains.filter((c) => !isSafeChainName(c.name));
	if (unsafe.length === 0) return out;
	const taken = new Set(t.chains.filter((c) => isSafeChainName(c.name)).map((c) => c.name));
	for (const c of unsafe) {
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

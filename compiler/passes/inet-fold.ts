/**
 * -O2: an `ip` and an `ip6` table of the same name become one `inet` table.
 *
 * Chains of the same name merge when both are regular chains, or both are base chains with the
 * same type, hook, priority and policy; otherwise the pair is not folded. A merged chain keeps each
 * family's rule order: the rules both families have in common (longest common subsequence) appear
 * once, the others are restricted to their family — by `meta nfproto ipv4|ipv6` in front, unless a
 * condition already implies the family (`ip saddr …`, `ip6 daddr …` fail on the other family, so
 * the rule ends there). A base chain only one family had starts with `meta nfproto <other> accept`:
 * the other family's packets leave it the way they would pass a hook with no chain (accept ends
 * only this base chain). A regular chain only one family had needs no guard: only that family's
 * rules can enter it. NAT statements name their family (`dnat ip to …`), as inet requires.
 * Named sets must not clash (same name, different contents); otherwise the pair stays apart.
 */
import type * as nft from "../ir/nft.js";
import type { Change, Pass, PassResult } from "./pass.js";
import { unchanged } from "./pass.js";
import { keyOf } from "./facts.js";

const NFPROTO = { ip: 2n, ip6: 10n } as const;
type Fam = "ip" | "ip6";

/** Largest chain-pair product the exact LCS runs on; beyond it only common head and tail are shared. */
const MAX_LCS_CELLS = 4_000_000;

function nfprotoCond(f: Fam): nft.Cond {
	return { kind: "rel", left: { kind: "meta", key: "nfproto" }, op: "==", right: { kind: "num", value: NFPROTO[f] } };
}

function selectorFamily(s: nft.Selector): Fam | undefined {
	if (s.kind === "payload") {
		if (s.key.startsWith("ip6 ")) return "ip6";
		if (s.key.startsWith("ip ")) return "ip";
	}
	return undefined;
}

function exprFamily(e: nft.Expr): Fam | undefined {
	if (e.kind === "and") return selectorFamily(e.expr);
	if (e.kind === "concat") {
		for (const p of e.parts) {
			const f = selectorFamily(p);
			if (f !== undefined) return f;
		}
		return undefined;
	}
	return selectorFamily(e);
}

/**
 * The family a condition in front of every statement already restricts the rule to; or a lone
 * `dnat ip to …` (the kernel's inet NAT does nothing and breaks the rule on the other family).
 */
function impliedFamily(r: nft.Rule, f: Fam): Fam | undefined {
	for (const c of r.conds) {
		if (c.kind !== "rel") continue;
		const x = exprFamily(c.left);
		if (x !== undefined) return x;
	}
	const only = r.stmts.length === 1 ? r.stmts[0] : undefined;
	if (only !== undefined && only.kind === "nat" && only.to !== undefined && (only.type === "dnat" || only.type === "snat")) return only.fam ?? f;
	return undefined;
}

/** Statements whose meaning depends on the family (addresses, ICMP codes): never shared as-is. */
function familyBound(r: nft.Rule): boolean {
	return r.stmts.some(
		(s) =>
			(s.kind === "nat" && s.to !== undefined) ||
			(s.kind === "reject" && (s.with.kind === "icmp" || s.with.kind === "icmpv6")) ||
			s.kind === "tproxy",
	);
}

/** A rule as it reads in the inet table for family f. */
function forFamily(r: nft.Rule, f: Fam, guard: boolean): nft.Rule {
	const stmts = r.stmts.map((s): nft.Stmt => (s.kind === "nat" && s.to !== undefined && s.fam === undefined ? { ...s, fam: f } : s));
	const needGuard = guard && impliedFamily(r, f) !== f;
	return { ...r, conds: needGuard ? [nfprotoCond(f), ...r.conds] : r.conds, stmts };
}

function ruleKey(r: nft.Rule): string {
	return keyOf({ c: r.conds, s: r.stmts, m: r.comment ?? null });
}

/** Index pairs (i in a, j in b) of a common subsequence of equal, shareable rules. */
function commonRules(a: readonly nft.Rule[], b: readonly nft.Rule[]): [number, number][] {
	const ka = a.map((r) => (familyBound(r) ? `4:${ruleKey(r)}` : ruleKey(r)));
	const kb = b.map((r) => (familyBound(r) ? `6:${ruleKey(r)}` : ruleKey(r)));
	let head = 0;
	while (head < ka.length && head < kb.length && ka[head] === kb[head]) head++;
	let tail = 0;
	while (tail < ka.length - head && tail < kb.length - head && ka[ka.length - 1 - tail] === kb[kb.length - 1 - tail]) tail++;
	const pairs: [number, number][] = [];
	for (let i = 0; i < head; i++) pairs.push([i, i]);
	const ma = ka.slice(head, ka.length - tail);
	const mb = kb.slice(head, kb.length - tail);
	if (ma.length > 0 && mb.length > 0 && ma.length * mb.length <= MAX_LCS_CELLS) {
		const w = mb.length + 1;
		const dp = new Uint32Array((ma.length + 1) * w);
		for (let i = ma.length - 1; i >= 0; i--)
			for (let j = mb.length - 1; j >= 0; j--)
				dp[i * w + j] = ma[i] === mb[j] ? dp[(i + 1) * w + j + 1]! + 1 : Math.max(dp[(i + 1) * w + j]!, dp[i * w + j + 1]!);
		let i = 0;
		let j = 0;
		while (i < ma.length && j < mb.length) {
			if (ma[i] === mb[j]) {
				pairs.push([head + i, head + j]);
				i++;
				j++;
			} else if (dp[(i + 1) * w + j]! >= dp[i * w + j + 1]!) i++;
			else j++;
		}
	}
	for (let t = tail; t > 0; t--) pairs.push([ka.length - t, kb.length - t]);
	return pairs;
}

function mergeRules(a: readonly nft.Rule[], b: readonly nft.Rule[]): nft.Rule[] {
	const out: nft.Rule[] = [];
	let i = 0;
	let j = 0;
	const flush = (ui: number, uj: number): void => {
		for (; i < ui; i++) out.push(forFamily(a[i]!, "ip", true));
		for (; j < uj; j++) out.push(forFamily(b[j]!, "ip6", true));
	};
	for (const [ci, cj] of commonRules(a, b)) {
		flush(ci, cj);
		const ra = a[ci]!;
		out.push({ ...ra, origins: [...ra.origins, ...b[cj]!.origins] });
		i = ci + 1;
		j = cj + 1;
	}
	flush(a.length, b.length);
	return out;
}

function sameBase(x: nft.BaseChain | undefined, y: nft.BaseChain | undefined): boolean {
	return keyOf(x ?? null) === keyOf(y ?? null);
}

/** The inet table, or a reason the pair cannot fold. */
function fold(v4: nft.Table, v6: nft.Table): nft.Table | string {
	// nft 1.0.6 refuses `dup` in inet tables ("unsupported family").
	if ([v4, v6].some((t) => t.chains.some((c) => c.rules.some((r) => r.stmts.some((x) => x.kind === "dup"))))) return "dup (TEE) is not available in inet tables";
	const sets6 = new Map(v6.sets.map((s) => [s.name, s] as const));
	const sets: nft.NamedSet[] = [...v4.sets];
	for (const s of v4.sets) {
		const o = sets6.get(s.name);
		if (o !== undefined && keyOf({ ...s, origins: [] }) !== keyOf({ ...o, origins: [] })) return `set ${s.name} differs between the families`;
	}
	const names4 = new Set(v4.sets.map((s) => s.name));
	for (const s of v6.sets) if (!names4.has(s.name)) sets.push(s);

	// Named objects (counters, quotas) of the same name become one: both families then update it.
	const objects: nft.NamedObject[] = [...(v4.objects ?? [])];
	const objs4 = new Map(objects.map((o) => [o.name, o] as const));
	for (const o of v6.objects ?? []) {
		const p = objs4.get(o.name);
		if (p === undefined) objects.push(o);
		else if (p.kind !== "counter" || keyOf({ ...p, origins: [] }) !== keyOf({ ...o, origins: [] })) return `object ${o.name} is stateful in both families`;
	}

	const chains6 = new Map(v6.chains.map((c) => [c.name, c] as const));
	const chains: nft.Chain[] = [];
	const onlyOne = (c: nft.Chain, f: Fam): nft.Chain => {
		const rules = c.rules.map((r) => forFamily(r, f, false));
		if (c.base === undefined || (rules.length === 0 && c.base.policy !== "drop")) return { ...c, rules };
		const other: Fam = f === "ip" ? "ip6" : "ip";
		const pass: nft.Rule = { conds: [nfprotoCond(other)], stmts: [{ kind: "verdict", verdict: { kind: "accept" } }], origins: c.origins };
		return { ...c, rules: [pass, ...rules] };
	};
	for (const c of v4.chains) {
		const o = chains6.get(c.name);
		if (o === undefined) {
			chains.push(onlyOne(c, "ip"));
			continue;
		}
		if (!sameBase(c.base, o.base)) return `chain ${c.name} differs in type, hook, priority or policy`;
		chains.push({ ...c, rules: mergeRules(c.rules, o.rules), origins: [...c.origins, ...o.origins] });
	}
	const names = new Set(v4.chains.map((c) => c.name));
	for (const c of v6.chains) if (!names.has(c.name)) chains.push(onlyOne(c, "ip6"));
	return { family: "inet", name: v4.name, chains, sets, ...(objects.length > 0 ? { objects } : {}), origins: [...v4.origins, ...v6.origins] };
}

function run(ruleset: nft.Ruleset): PassResult {
	const byKey = new Map(ruleset.tables.map((t) => [`${t.family} ${t.name}`, t] as const));
	const folded = new Map<nft.Table, nft.Table>();
	const dropped = new Set<nft.Table>();
	const changes: Change[] = [];
	for (const t of ruleset.tables) {
		if (t.family !== "ip") continue;
		const t6 = byKey.get(`ip6 ${t.name}`);
		if (t6 === undefined || byKey.has(`inet ${t.name}`)) continue;
		const r = fold(t, t6);
		if (typeof r === "string") continue;
		folded.set(t, r);
		dropped.add(t6);
		changes.push({
			pass: "inet-fold",
			kind: "fold",
			family: "inet",
			table: t.name,
			before: [],
			after: [],
			reason: `tables ip ${t.name} and ip6 ${t.name} agree on their chains' hooks and policies; one inet table, family-specific rules keep their family`,
		});
	}
	if (folded.size === 0) return unchanged(ruleset);
	const tables: nft.Table[] = [];
	for (const t of ruleset.tables) {
		if (dropped.has(t)) continue;
		tables.push(folded.get(t) ?? t);
	}
	return { ruleset: { tables }, changes, diagnostics: [] };
}

export const inetFold: Pass = { name: "inet-fold", level: 2, run };

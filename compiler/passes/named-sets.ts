/**
 * named-sets: an anonymous set used by several rules of a table becomes one named set
 * (`set tcp_dport { type inet_service; elements = { … } }`) that each of them references with
 * `@tcp_dport`: the kernel keeps one copy, and the admin edits the list in one place.
 */
import * as nft from "../ir/nft.js";
import type { Change, Pass } from "./pass.js";
import { canon } from "./merge-core.js";

/**
 * Key types nft accepts as a set's `type` (the ones our conditions use). Not inet_proto: after
 * `meta l4proto @set` nft 1.0.6 refuses a NAT port ("transport protocol mapping is only valid
 * after transport protocol match"), while the anonymous `{ tcp, udp }` is accepted.
 */
const NAMEABLE: ReadonlySet<nft.Datatype> = new Set([
	"ipv4_addr",
	"ipv6_addr",
	"inet_service",
	"ifname",
	"mark",
	"ether_addr",
	"icmp_type",
	"icmpv6_type",
]);

function keyTypes(e: nft.Expr): nft.Datatype[] {
	return e.kind === "concat" ? e.parts.map((p) => nft.datatypeOf(p)) : [nft.datatypeOf(e)];
}

function needsInterval(v: nft.Value): boolean {
	switch (v.kind) {
		case "range":
		case "prefix":
			return true;
		case "string":
			return v.wildcard;
		case "concat":
			return v.parts.some(needsInterval);
		default:
			return false;
	}
}

function baseName(e: nft.Expr): string {
	const words = e.kind === "concat" ? e.parts.map((p) => canonName(p)) : [canonName(e)];
	// The `_set` suffix keeps names clear of nft keywords (`iifname`, `l4proto` are keywords).
	return `${words.join("_").replace(/[^A-Za-z0-9_]/g, "_")}_set`;
}

function canonName(e: nft.Expr): string {
	switch (e.kind) {
		case "payload":
			return e.key.replace(" ", "_");
		case "meta":
			return e.key;
		case "ct":
			return `ct_${e.key}`;
		default:
			return e.kind;
	}
}

function candidate(c: nft.Cond): (nft.Cond & { kind: "rel"; right: { kind: "set" } }) | undefined {
	if (c.kind !== "rel" || c.right.kind !== "set" || c.left.kind === "and") return undefined;
	if (!keyTypes(c.left).every((t) => NAMEABLE.has(t))) return undefined;
	return c as nft.Cond & { kind: "rel"; right: { kind: "set" } };
}

function nameTable(t: nft.Table, changes: Change[]): nft.Table {
	const uses = new Map<string, number>();
	/** The name each set would get from its uses: the selector's, or the type's when selectors differ. */
	const names = new Map<string, string>();
	const keyOf = (c: nft.Cond & { kind: "rel" }): string => `${canon(keyTypes(c.left))}|${canon(c.right)}`;
	for (const ch of t.chains)
		for (const r of ch.rules)
			for (const c of r.conds) {
				const k = candidate(c);
				if (k === undefined) continue;
				const key = keyOf(k);
				uses.set(key, (uses.get(key) ?? 0) + 1);
				const name = baseName(k.left);
				const old = names.get(key);
				if (old === undefined) names.set(key, name);
				else if (old !== name) names.set(key, `${keyTypes(k.left).join("_")}_set`);
			}
	if (![...uses.values()].some((n) => n > 1)) return t;
	const taken = new Set(t.sets.map((s) => s.name));
	const named = new Map<string, nft.NamedSet>();
	const sets: nft.NamedSet[] = [...t.sets];
	const byName = new Map<string, { before: nft.Rule[]; after: nft.Rule[] }>();
	const chains = t.chains.map((ch) => {
		let changed = false;
		const rules = ch.rules.map((r) => {
			let ruleChanged = false;
			const conds = r.conds.map((c) => {
				const k = candidate(c);
				if (k === undefined || (uses.get(keyOf(k)) ?? 0) < 2) return c;
				let s = named.get(keyOf(k));
				if (s === undefined) {
					const base = names.get(keyOf(k)) ?? baseName(k.left);
					let name = base;
					for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
					taken.add(name);
					s = {
						name,
						keyType: keyTypes(k.left),
						interval: k.right.elems.some(needsInterval),
						elems: k.right.elems,
						...(k.right.comments !== undefined ? { elemComments: k.right.comments } : {}),
						origins: [],
					};
					named.set(keyOf(k), s);
					sets.push(s);
				}
				ruleChanged = true;
				return nft.rel(k.left, k.op, { kind: "setref", name: s.name });
			});
			if (!ruleChanged) return r;
			changed = true;
			const after: nft.Rule = { ...r, conds };
			const name = conds.flatMap((c) => (c.kind === "rel" && c.right.kind === "setref" ? [c.right.name] : []))[0]!;
			const rec = byName.get(name) ?? { before: [], after: [] };
			rec.before.push(r);
			rec.after.push(after);
			byName.set(name, rec);
			return after;
		});
		return changed ? { ...ch, rules } : ch;
	});
	// A named set cites every rule that used it.
	const final = sets.map((s) => {
		const rec = byName.get(s.name);
		return rec !== undefined && s.origins.length === 0 ? { ...s, origins: rec.before.flatMap((r) => r.origins) } : s;
	});
	for (const [name, rec] of byName) {
		changes.push({
			pass: "named-sets",
			kind: "rewrite",
			family: t.family,
			table: t.name,
			before: rec.before,
			after: rec.after,
			reason: `the same anonymous set is used by ${rec.before.length} rules: named set @${name}`,
		});
	}
	return { ...t, chains, sets: final };
}

export const namedSets: Pass = {
	name: "named-sets",
	level: 1,
	run: (ruleset) => {
		const changes: Change[] = [];
		const tables = ruleset.tables.map((t) => nameTable(t, changes));
		return { ruleset: { tables }, changes, diagnostics: [] };
	},
};

/**
 * NAT maps: consecutive rules that differ only in the values they compare some selectors with and
 * in where they NAT to become one rule
 *   `<common conds> dnat to tcp dport map { 8080 : 172.17.0.2 . 80, 8081 : 172.17.0.3 . 80 }`
 * (a concatenated key when several selectors differ: `ip daddr . tcp dport map { … }`).
 *
 * Sound because: every merged rule's NAT has a fixed target, so the first rule whose key matches
 * ends the chain; keys are exact values (no prefixes or ranges), so a lookup finds exactly the
 * rule that matched first (a repeated key is kept from its first rule only — the later one was
 * never reached); a key the map lacks makes the NAT statement fail and the packet goes on to the
 * next rule, as it did past the separate rules. Common conditions are stateless, so testing them
 * once is testing them n times.
 */
import type * as nft from "../ir/nft.js";
import type { Change, Pass, PassResult } from "./pass.js";
import { mapChains } from "./chain-map.js";
import { condKey, hasStatefulCond, keyOf } from "./facts.js";

type NatStmt = Extract<nft.Stmt, { kind: "nat" }>;

/** The rule's single NAT statement with a fixed single address (and at most one port). */
function fixedNat(r: nft.Rule): NatStmt | undefined {
	if (r.stmts.length !== 1) return undefined;
	const s = r.stmts[0]!;
	if (s.kind !== "nat" || (s.type !== "dnat" && s.type !== "snat") || s.to === undefined || s.to.kind !== "range") return undefined;
	const to = s.to;
	if (to.addrLo === undefined || (to.addrHi !== undefined && to.addrHi !== to.addrLo)) return undefined;
	if (to.portHi !== undefined && to.portHi !== to.portLo) return undefined;
	return s;
}

/** A condition usable as a key part: `selector == number`. */
function keyPart(c: nft.Cond): { sel: nft.Selector; value: bigint } | undefined {
	if (c.kind !== "rel" || c.op !== "==" || c.right.kind !== "num") return undefined;
	const l = c.left;
	if (l.kind === "and" || l.kind === "concat") return undefined;
	return { sel: l, value: c.right.value };
}

/** What must agree between rules of one group, beyond the conditions. */
function natShape(s: NatStmt): string {
	const to = s.to as Extract<nft.NatTarget, { kind: "range" }>;
	return keyOf({ type: s.type, fam: s.fam, flags: s.flags, port: to.portLo !== undefined });
}

interface Candidate {
	readonly rule: nft.Rule;
	readonly nat: NatStmt;
	readonly keys: readonly string[];
}

function candidate(r: nft.Rule): Candidate | undefined {
	const nat = fixedNat(r);
	if (nat === undefined || hasStatefulCond(r)) return undefined;
	return { rule: r, nat, keys: r.conds.map(condKey) };
}

/** Whether two neighbouring rules could start a group (cheap: no keys built). */
function pairAt(rules: readonly nft.Rule[]): boolean {
	for (let i = 0; i + 1 < rules.length; i++) if (fixedNat(rules[i + 1]!) !== undefined && fixedNat(rules[i]!) !== undefined) return true;
	return false;
}

/** Positions where b's conditions differ from a's; undefined when the rules cannot share a map. */
function differences(a: Candidate, b: Candidate): number[] | undefined {
	if (a.keys.length !== b.keys.length || natShape(a.nat) !== natShape(b.nat)) return undefined;
	const d: number[] = [];
	for (let i = 0; i < a.keys.length; i++) {
		if (a.keys[i] === b.keys[i]) continue;
		const pa = keyPart(a.rule.conds[i]!);
		const pb = keyPart(b.rule.conds[i]!);
		if (pa === undefined || pb === undefined || keyOf(pa.sel) !== keyOf(pb.sel)) return undefined;
		d.push(i);
	}
	return d;
}

function mergeGroup(group: readonly Candidate[], positions: readonly number[]): nft.Rule {
	const first = group[0]!;
	const sels = positions.map((p) => keyPart(first.rule.conds[p]!)!.sel);
	const key: nft.Expr = sels.length === 1 ? sels[0]! : { kind: "concat", parts: sels };
	const seen = new Set<string>();
	const elems: nft.MapElem[] = [];
	for (const c of group) {
		const parts = positions.map((p) => keyPart(c.rule.conds[p]!)!.value);
		const k = parts.join(".");
		if (seen.has(k)) continue;
		seen.add(k);
		const to = c.nat.to as Extract<nft.NatTarget, { kind: "range" }>;
		const addr: nft.Value = { kind: "num", value: to.addrLo! };
		const value: nft.Value = to.portLo !== undefined ? { kind: "concat", parts: [addr, { kind: "num", value: to.portLo }] } : addr;
		elems.push({
			key: parts.length === 1 ? { kind: "num", value: parts[0]! } : { kind: "concat", parts: parts.map((v) => ({ kind: "num", value: v })) },
			value,
		});
	}
	const drop = new Set(positions);
	const comments = new Set(group.map((c) => c.rule.comment));
	const comment = comments.size === 1 ? [...comments][0] : undefined;
	return {
		conds: first.rule.conds.filter((_c, i) => !drop.has(i)),
		stmts: [{ ...first.nat, to: { kind: "map", key, map: { kind: "inline", elems } } }],
		...(comment !== undefined ? { comment } : {}),
		origins: group.flatMap((c) => c.rule.origins),
	};
}

function rewrite(chain: nft.Chain, table: nft.Table): { rules: nft.Rule[]; changes: Change[] } | undefined {
	if (!pairAt(chain.rules)) return undefined;
	const out: nft.Rule[] = [];
	const changes: Change[] = [];
	const rules = chain.rules;
	let i = 0;
	while (i < rules.length) {
		const head = candidate(rules[i]!);
		if (head === undefined) {
			out.push(rules[i]!);
			i++;
			continue;
		}
		const group: Candidate[] = [head];
		let positions: number[] | undefined;
		let j = i + 1;
		for (; j < rules.length; j++) {
			const c = candidate(rules[j]!);
			if (c === undefined) break;
			const d = differences(head, c);
			if (d === undefined) break;
			// A rule equal to the head is a repeated key (its first rule wins): it joins and is dropped.
			// A rule differing in more places widens the key; earlier members equal the head there.
			if (d.length > 0) positions = [...new Set([...(positions ?? []), ...d])];
			group.push(c);
		}
		if (group.length < 2 || positions === undefined) {
			out.push(rules[i]!);
			i++;
			continue;
		}
		// Every key position must be `selector == number` in the head too.
		positions.sort((a, b) => a - b);
		if (positions.some((p) => keyPart(head.rule.conds[p]!) === undefined)) {
			out.push(rules[i]!);
			i++;
			continue;
		}
		const merged = mergeGroup(group, positions);
		out.push(merged);
		changes.push({
			pass: "nat-map",
			kind: "merge",
			family: table.family,
			table: table.name,
			chain: chain.name,
			before: group.map((c) => c.rule),
			after: [merged],
			reason: "rules differ only in exact key values and NAT targets; the first matching key wins in both",
		});
		i = j;
	}
	return changes.length === 0 ? undefined : { rules: out, changes };
}

function run(ruleset: nft.Ruleset): PassResult {
	return mapChains(ruleset, rewrite);
}

export const natMap: Pass = { name: "nat-map", level: 1, run };

/**
 * Drops a protocol match that a later header match already implies: `meta l4proto tcp tcp dport 22`
 * is `tcp dport 22`, because nft gives every transport-header load the dependency
 * `meta l4proto tcp` (and a load that fails — other protocol, non-first fragment — ends the rule,
 * negated comparisons included). In ip tables `ip protocol tcp` is the same test as
 * `meta l4proto tcp`; in inet/ip6 tables it is not (it also implies IPv4; `ip6 nexthdr` is the
 * first header only), so those stay.
 *
 * A port-changing NAT or tproxy statement needs a transport protocol in front of it (nft refuses
 * `dnat to a:p` without one, DESIGN.md "Netfilter semantics"); the header match that makes the
 * protocol match redundant gives nft that context too (`tcp dport 2222 dnat to 10.0.0.5:22` loads),
 * so only a rule with no such header match keeps it — which the "implied" test already ensures.
 */
import type * as nft from "../ir/nft.js";
import type { Change, Pass, PassResult } from "./pass.js";
import { unchanged } from "./pass.js";
import { mapChains } from "./chain-map.js";
import { isStatefulCond } from "./facts.js";
import { WeakMarks } from "./caches.js";

/** The protocol number each transport payload implies (th implies none). */
const IMPLIED: Partial<Record<nft.PayloadProto, bigint>> = {
	tcp: 6n,
	udp: 17n,
	udplite: 136n,
	sctp: 132n,
	dccp: 33n,
	icmp: 1n,
	icmpv6: 58n,
};

const PROTO_OF = new Map<string, nft.PayloadProto>();

function payloadProtoOf(e: nft.Expr): nft.PayloadProto | undefined {
	const s = e.kind === "and" ? e.expr : e.kind === "concat" ? undefined : e;
	if (s === undefined || s.kind !== "payload") return undefined;
	let p = PROTO_OF.get(s.key);
	if (p === undefined) PROTO_OF.set(s.key, (p = s.key.split(" ")[0] as nft.PayloadProto));
	return p;
}

/** Protocol each condition position implies (undefined where none). */
function impliedAt(r: nft.Rule): (bigint | undefined)[] {
	return r.conds.map((c) => {
		if (c.kind !== "rel") return undefined;
		const p = payloadProtoOf(c.left);
		return p !== undefined ? IMPLIED[p] : undefined;
	});
}

/** `meta l4proto P` (any family) or `ip protocol P` (ip family): P, else undefined. */
function protocolMatch(c: nft.Cond, family: nft.Family): bigint | undefined {
	if (c.kind !== "rel" || c.op !== "==" || c.right.kind !== "num") return undefined;
	const l = c.left;
	if (l.kind === "meta" && l.key === "l4proto") return c.right.value;
	if (family === "ip" && l.kind === "payload" && l.key === "ip protocol") return c.right.value;
	return undefined;
}

/**
 * The protocol match at i may go when a header match for the same protocol comes before it, or
 * after it with no stateful condition in between (else a limit would now also count packets the
 * protocol match used to stop).
 */
function removable(r: nft.Rule, i: number, proto: bigint, implied: readonly (bigint | undefined)[]): boolean {
	for (let q = 0; q < i; q++) if (implied[q] === proto) return true;
	for (let q = i + 1; q < r.conds.length; q++) {
		if (implied[q] === proto) return true;
		if (isStatefulCond(r.conds[q]!)) return false;
	}
	return false;
}

/** Cheap test, no allocation: a protocol match and a header load that implies a protocol. */
function mayBeRedundant(r: nft.Rule, family: nft.Family): boolean {
	let proto = false;
	let header = false;
	for (let i = 0; i < r.conds.length; i++) {
		const c = r.conds[i]!;
		if (c.kind !== "rel") continue;
		if (!proto && protocolMatch(c, family) !== undefined) proto = true;
		else if (!header) {
			const p = payloadProtoOf(c.left);
			if (p !== undefined && IMPLIED[p] !== undefined) header = true;
		}
		if (proto && header) return true;
	}
	return false;
}

export function simplifyRule(r: nft.Rule, family: nft.Family): nft.Rule | undefined {
	if (!mayBeRedundant(r, family)) return undefined;
	const implied = impliedAt(r);
	const protos = new Set(implied.filter((x) => x !== undefined));
	if (protos.size !== 1) return undefined;
	const conds = r.conds.filter((c, i) => {
		const p = protocolMatch(c, family);
		return p === undefined || !removable(r, i, p, implied);
	});
	return conds.length === r.conds.length ? undefined : { ...r, conds };
}

/**
 * Chains with nothing to simplify, per family (`ip protocol` counts only in ip tables). The pass
 * runs twice; the second run looks only at chains the passes in between rebuilt.
 */
const CLEAN = new Map<nft.Family, WeakMarks<nft.Chain>>();

function rewrite(c: nft.Chain, t: nft.Table): { rules: nft.Rule[]; changes: Change[] } | undefined {
	// Nothing is allocated for a chain with nothing to simplify (kube-proxy: all 40k of them).
	let rules: nft.Rule[] | undefined;
	let changes: Change[] | undefined;
	for (let i = 0; i < c.rules.length; i++) {
		const r = c.rules[i]!;
		const s = simplifyRule(r, t.family);
		if (s === undefined) {
			rules?.push(r);
			continue;
		}
		rules ??= c.rules.slice(0, i);
		rules.push(s);
		(changes ??= []).push({
			pass: "redundant-match",
			kind: "rewrite",
			family: t.family,
			table: t.name,
			chain: c.name,
			before: [r],
			after: [s],
			reason: "the transport header match already requires this protocol",
		});
	}
	return rules === undefined ? undefined : { rules, changes: changes ?? [] };
}

function run(ruleset: nft.Ruleset): PassResult {
	const changes: Change[] = [];
	let tables: nft.Table[] | undefined;
	ruleset.tables.forEach((t, ti) => {
		let clean = CLEAN.get(t.family);
		if (clean === undefined) CLEAN.set(t.family, (clean = new WeakMarks()));
		const r = mapChains({ tables: [t] }, rewrite, clean);
		if (r.changes.length === 0) return;
		for (const x of r.changes) changes.push(x);
		tables ??= ruleset.tables.slice();
		tables[ti] = r.ruleset.tables[0]!;
	});
	return tables !== undefined ? { ruleset: { tables }, changes, diagnostics: [] } : unchanged(ruleset);
}

export const redundantMatch: Pass = { name: "redundant-match", level: 1, run };

/**
 * -m cluster -> `jhash ct original ip saddr mod N seed S == K-1` (node K is hash value K-1:
 * xt_cluster tests bit `hash` of the node mask). Both hash the original source address with the
 * kernel's jhash and reciprocal_scale; no conntrack entry never matches (nft: the ct load BREAKs).
 *
 * xt_cluster also rewrites pkt_type MULTICAST to HOST for a unicast destination, before it looks
 * at conntrack and whatever the hash says. That is a rule of its own that runs first with the
 * conditions written before the match (`clusterPreRules`); it is exact only when those conditions
 * are pure and do not read the pkttype the rewrite changes, otherwise the rule is refused.
 * For a connection made from an expectation (conntrack helpers) xt_cluster hashes the master
 * connection's address, which nft cannot read: that assumption is reported.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { addrSelector, one, protoCond, type Alts, type MatchOut, type RuleCtx } from "./context.js";
import { product } from "./conntrack.js";

export function lowerCluster(ctx: RuleCtx, m: ipt.ClusterMatch): MatchOut {
	if (ctx.fam === 6) {
		// xt_cluster_hash_ipv6 passes jhash2 a length of NF_CT_TUPLE_L3SIZE / sizeof(u32) = 1 word.
		ctx.diags.push(
			diagnostic(
				"inexpressible",
				"ip6tables' cluster match hashes only the first 32 bits of the IPv6 source (a kernel quirk: jhash2 over one word); nft's jhash of `ct original ip6 saddr` hashes all 128 bits, so nodes would get other connections",
				ctx.rule.span,
				"nft cannot hash part of a ct address; balance with `jhash ct original ip6 saddr mod N` on every node at once (a new node assignment) or keep this rule in ip6tables",
			),
		);
		return undefined;
	}
	const key: nft.Selector = { kind: "ct", key: "saddr", dir: "original", fam: ctx.fam === 4 ? "ip" : "ip6" };
	const hash: nft.Selector = { kind: "jhash", key, mod: BigInt(m.totalNodes), seed: BigInt(m.seed) };
	const nodes: bigint[] = [];
	for (let i = 0; i < m.totalNodes; i++) if (Math.floor(m.nodeMask / 2 ** i) % 2 === 1) nodes.push(BigInt(i));
	const value: nft.Value = nodes.length === 1 ? nft.num(nodes[0]!) : { kind: "set", elems: nodes.map((n) => nft.num(n)) };
	ctx.diags.push(
		diagnostic(
			"assumed_host_state",
			"cluster: nft hashes each connection's own original source; xt_cluster hashes an expected connection's master (conntrack helpers), so with helpers a related connection may go to another node",
			ctx.rule.span,
			"translated as if no conntrack helper creates expectations on this host",
		),
	);
	return one(nft.rel(hash, m.neg ? "!=" : "==", value));
}

/** Matches whose evaluation has effects, or that read the pkttype the rewrite changes. */
const NOT_BEFORE_CLUSTER: ReadonlySet<ipt.Match["kind"]> = new Set(["pkttype", "cluster", "limit", "hashlimit", "recent", "quota", "statistic", "connlimit", "nfacct", "connlabel"]);

/**
 * The pkttype rewrite of each cluster match, as rules that run before the rule: its conditions
 * up to the match, then `meta pkttype multicast` and a unicast destination. Undefined (reported)
 * when the rewrite cannot be placed exactly.
 */
export function clusterPreRules(ctx: RuleCtx, generic: Alts, matchAlts: readonly Alts[]): nft.Rule[] | undefined {
	const at = ctx.rule.matches.findIndex((m) => m.kind === "cluster");
	if (at < 0) return [];
	const before = ctx.rule.matches.slice(0, at);
	const bad = [...before, ...ctx.rule.matches.slice(at + 1).filter((m) => m.kind === "cluster")].find((m) => NOT_BEFORE_CLUSTER.has(m.kind));
	if (bad !== undefined) {
		ctx.diags.push(
			diagnostic(
				"inexpressible",
				`cluster after -m ${bad.kind}: xt_cluster rewrites the packet type in the middle of the rule, which nft can only do in a rule of its own before it`,
				ctx.rule.span,
				`move -m ${bad.kind} after -m cluster, or split the rule`,
			),
		);
		return undefined;
	}
	const mcast: nft.Value = ctx.fam === 4 ? { kind: "prefix", value: 0xe0000000n, len: 4 } : { kind: "prefix", value: 0xffn << 120n, len: 8 };
	const guard: nft.Cond[] = [
		nft.rel(nft.meta("pkttype"), "==", nft.num(nft.PKT_TYPES.multicast)),
		nft.rel(addrSelector(ctx.fam, "daddr"), "!=", mcast),
		{ kind: "side-set", key: "meta pkttype", value: nft.PKT_TYPES.host },
	];
	let alts: Alts = product(generic, ctx.rule.proto !== undefined ? one(protoCond(ctx.fam, ctx.rule.proto)) : one());
	for (const a of matchAlts.slice(0, at)) alts = product(alts, a);
	alts = product(alts, one(...guard));
	return alts.map((conds) => ({ conds, stmts: [], origins: [ctx.rule.span] }));
}

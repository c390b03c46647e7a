/**
 * One iptables rule -> nft rules (normally one; several when a match is a disjunction, see
 * context.ts). Order of conditions: -i, -o, -s, -d, -f, -p, then the matches as written, then
 * what the target needs; statements: counter, then the target.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import type { NfacctCatalogue } from "../ir/nfacct.js";
import type { IpsetCatalogue } from "../ir/ipset.js";
import { assertNever } from "../ir/span.js";
import { commentOf, lowerMatch } from "./matches.js";
import { one, protoCond, transportName, type Alts, type RuleCtx } from "./context.js";
import { product } from "./conntrack.js";
import { lowerGeneric } from "./generic.js";
import { planSkmark, stillNeeded } from "./socket.js";
import { lowerTarget } from "./targets.js";
import { clusterPreRules } from "./cluster.js";
import { mhHotdropCond } from "./mh.js";
import { isStatefulCond } from "../passes/facts.js";

export interface LowerOpts {
	readonly counters: boolean;
	/** `ipset save` of the host, for -m set / -j SET. */
	readonly ipsets?: IpsetCatalogue;
	/** `nfacct list` of the host, for -m nfacct. */
	readonly nfacct?: NfacctCatalogue;
}

export function lowerRule(ctx: RuleCtx, opts: LowerOpts): nft.Rule[] {
	const { rule } = ctx;
	// The parser already reported unsupported_extension for unknown parts; lowering skips the
	// rule so that the error stands once (see index.ts).
	if (rule.target?.kind === "unknown" || rule.matches.some((m) => m.kind === "unknown")) return [];

	const generic = lowerGeneric(ctx);
	if (generic === undefined) return [];
	let alts: Alts = generic;
	let failed = false;
	const matchAlts: Alts[] = [];
	for (const m of rule.matches) {
		const out = lowerMatch(ctx, m);
		if (out === undefined) failed = true;
		else matchAlts.push(out);
	}
	const target = rule.target === undefined ? { conds: [], stmts: [] } : lowerTarget(ctx, rule.target);
	if (failed || target === undefined) return [];
	if (target.omit === true || (target.countOnly === true && !opts.counters)) return [];

	let rest: Alts = one();
	for (const a of matchAlts) rest = product(rest, a);
	const proto = protocolCond(ctx, rest);
	alts = product(product(alts, proto === undefined ? one() : one(proto)), rest);
	alts = product(alts, one(...target.conds));
	// -m socket --restore-skmark writes the mark when the match succeeds (lower/socket.ts).
	const skmark = planSkmark(ctx, generic, matchAlts, target.conds);
	if (skmark.kind === "refused") return [];

	const comment = commentOf(ctx);
	const guard = hotdropGuard(ctx, generic, matchAlts, comment);
	if (guard === undefined) return [];
	// -m cluster rewrites the packet type before it tests anything: a rule in front (lower/cluster.ts).
	const pre = clusterPreRules(ctx, generic, matchAlts);
	if (pre === undefined) return [];
	// The socket match's own rule: it sets the mark even where a later match can never be true.
	const prelude: nft.Rule[] =
		skmark.kind === "prelude" ? skmark.alts.map((conds) => ({ conds, stmts: [skmark.stmt], ...(comment !== undefined ? { comment } : {}), origins: [rule.span] })) : [];
	if (alts.length === 0) {
		ctx.diags.push(diagnostic("lossy_translation", "this rule can never match; it is left out", rule.span));
		return [...guard, ...pre, ...prelude];
	}
	// Copies of a split rule could each update a named quota for one packet: its fate would change.
	if (alts.length > 1 && alts[0]?.some((c) => c.kind === "objref" && c.type === "quota")) {
		ctx.diags.push(diagnostic("inexpressible", "the rule needs several nft rules, and each would update the nfacct quota for the same packet", rule.span, "write the nfacct match as a rule of its own that jumps to a chain with the rest"));
		return [];
	}
	if (alts.length > 1 && alts[0]?.some((c) => c.kind === "objref"))
		ctx.diags.push(diagnostic("lossy_translation", "the rule was split in several nft rules; a packet that reaches the named counter in more than one copy is counted more than once", rule.span));
	if (alts.length > 1 && alts[0]?.some((c) => c.kind === "limit" || c.kind === "quota" || (c.kind === "rel" && isStateful(c.left)))) {
		ctx.diags.push(
			diagnostic(
				"lossy_translation",
				"the rule was split in several nft rules; each copy keeps its own limit/counter state",
				rule.span,
			),
		);
	}
	const out: nft.Rule[] = [...guard, ...pre, ...prelude];
	alts.forEach((conds, i) => {
		const stmts: nft.Stmt[] = skmark.kind === "inline" ? [skmark.stmt] : [];
		if (opts.counters) {
			// Input counters go to the first copy: together the copies count what the rule counted.
			const c = rule.counters;
			stmts.push(c !== undefined && i === 0 ? { kind: "counter", packets: c.packets, bytes: c.bytes } : { kind: "counter" });
		}
		stmts.push(...target.stmts);
		if (conds.length === 0 && stmts.length === 0) return; // matches everything, does nothing
		if (skmark.kind === "prelude" && !stillNeeded(conds, stmts)) return; // the prelude did it all
		out.push({
			conds,
			stmts,
			...(comment !== undefined ? { comment } : {}),
			origins: [rule.span],
		});
		// A target whose statement can end the rule early (TPROXY) continues in a second rule.
		if (target.fallback !== undefined)
			out.push({ conds, stmts: [...target.fallback], ...(comment !== undefined ? { comment } : {}), origins: [rule.span] });
	});
	return out;
}

/**
 * A match that drops packets on the spot (xt `hotdrop`) whatever the rule's target: a `drop` rule
 * in front with the conditions that come before the match. Only -m mh needs one (an MH whose
 * Payload Proto is not 59). Stateful conditions before it would run twice: refused.
 */
function hotdropGuard(ctx: RuleCtx, generic: Alts, matchAlts: readonly Alts[], comment: string | undefined): nft.Rule[] | undefined {
	const i = ctx.rule.matches.findIndex((m) => m.kind === "mh");
	if (i < 0) return [];
	let g = generic;
	for (const a of matchAlts.slice(0, i)) g = product(g, a);
	// Conditions whose answer is not a function of the packet alone (rate/quota state, set updates,
	// named counters, random draws) would be evaluated twice: once in the guard, once in the rule.
	if (g.some((conds) => conds.some(isStatefulCond))) {
		ctx.diags.push(
			diagnostic(
				"inexpressible",
				"-m mh after a stateful match: xt_mh drops an MH whose Payload Proto is not 59 (IPPROTO_NONE), which needs a separate nft rule that would run the stateful match twice",
				ctx.rule.span,
				"put -m mh before the stateful match",
			),
		);
		return undefined;
	}
	g = product(g, one(mhHotdropCond()));
	return g.map((conds) => ({ conds, stmts: [{ kind: "verdict", verdict: { kind: "drop" } }], ...(comment !== undefined ? { comment } : {}), origins: [ctx.rule.span] }));
}

function isStateful(e: nft.Expr): boolean {
	return e.kind === "numgen" || (e.kind === "and" && e.expr.kind === "numgen");
}

/**
 * `-p X`, unless every alternative already loads X's header (`tcp dport 22` carries nft's
 * implicit `meta l4proto tcp`). Kept otherwise, which also gives NAT port ranges and
 * `reject with tcp reset` the protocol nft requires.
 */
function protocolCond(ctx: RuleCtx, rest: Alts): nft.Cond | undefined {
	const p = ctx.rule.proto;
	if (p === undefined) return undefined;
	if (!p.neg) {
		const hdr = headerName(ctx.fam, p.value);
		if (hdr !== undefined && rest.length > 0 && rest.every((conds) => conds.some((c) => loadsHeader(c, hdr)))) {
			return undefined;
		}
	}
	return protoCond(ctx.fam, p);
}

function headerName(fam: ipt.Fam, proto: number): string | undefined {
	if (proto === 1 && fam === 4) return "icmp";
	if (proto === 108) return "comp";
	if (proto === 135 && fam === 6) return "mh";
	if (proto === 58 && fam === 6) return "icmpv6";
	if (proto === 50) return "esp";
	if (proto === 51 && fam === 4) return "ah";
	return transportName(proto);
}

function loadsHeader(c: nft.Cond, hdr: string): boolean {
	switch (c.kind) {
		case "rel":
			return exprLoads(c.left, hdr);
		case "exists":
			// `missing` is also true where the header cannot be loaded (other protocol).
			return c.present && exprLoads(c.left, hdr);
		case "limit":
		case "quota":
		case "objref":
		case "side-set":
			return false;
		case "dynset":
			// Kept explicit: the protocol must hold before the element is added.
			return false;
		default:
			return assertNever(c, "condition");
	}
}

function exprLoads(e: nft.Expr, hdr: string): boolean {
	switch (e.kind) {
		case "payload":
			return e.key.startsWith(`${hdr} `);
		case "and":
			return exprLoads(e.expr, hdr);
		case "concat":
			return e.parts.some((p) => exprLoads(p, hdr));
		case "tcpopt":
			return hdr === "tcp";
		case "sctpchunk":
			return hdr === "sctp";
		case "exthdr":
			// ipv6_find_hdr() reaches the MH only as the transport header after the extension headers.
			return e.hdr === "mh" && hdr === "mh";
		default:
			return false;
	}
}

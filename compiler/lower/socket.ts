/**
 * -m socket -> nft `socket`. xt_socket finds the socket of the packet (established, TIME_WAIT or
 * listening) and, without --nowildcard, skips FULL sockets bound to a wildcard address.
 * - --nowildcard: any socket: `socket transparent 0-1` (`transparent` loads for every socket kind,
 *   `wildcard` BREAKs on TIME_WAIT sockets); with --transparent `socket transparent 1`. Exact.
 * - otherwise `socket wildcard 0 [socket transparent 1]`: exact except for TIME_WAIT sockets,
 *   which xt_socket matches and nft's `socket wildcard` cannot load (reported as lossy).
 *
 * --restore-skmark (planSkmark) is a side effect of the MATCH: when it succeeds on a full socket,
 * skb->mark = sk->sk_mark, before the rule's later matches run and whether or not they pass.
 * nft writes it with `meta mark set socket mark`, which BREAKs on a TIME_WAIT socket (no sk_mark):
 * - without --nowildcard and nothing after the match that can fail, it goes in front of the
 *   rule's statements (TIME_WAIT sockets never get there: `socket wildcard` BREAKs first);
 * - otherwise a rule of its own comes first: the conditions up to the socket match and the mark
 *   statement; then the rule as a whole (conditions again, the later matches, the target). That
 *   is exact when evaluating the earlier conditions twice changes nothing: they are stateless and
 *   do not read the packet mark (which the first rule may have changed). Else refused.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { isStatefulCond } from "../passes/facts.js";
import { product } from "./conntrack.js";
import { one, protoCond, type Alts, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerSocket(ctx: RuleCtx, m: ipt.SocketMatch): MatchOut {
	const transparent: nft.Selector = { kind: "socket", key: "transparent" };
	if (m.nowildcard) return one(nft.rel(transparent, "==", m.transparent ? nft.num(1) : { kind: "range", lo: 0n, hi: 1n }));
	ctx.diags.push(
		diagnostic(
			"lossy_translation",
			"-m socket also matches TIME_WAIT sockets; nft's `socket wildcard` cannot test them, so late packets of closed connections do not match",
			ctx.rule.span,
			"with --nowildcard the translation is exact (`socket transparent`), if sockets bound to 0.0.0.0 may match too",
		),
	);
	const conds: nft.Cond[] = [nft.rel({ kind: "socket", key: "wildcard" }, "==", nft.num(0))];
	if (m.transparent) conds.push(nft.rel(transparent, "==", nft.num(1)));
	return one(...conds);
}

/** `meta mark set socket mark`. */
const SKMARK: nft.Stmt = { kind: "mark-set", target: "meta mark", value: { kind: "bitwise", src: "socket mark" } };

export type SkmarkPlan =
	| { readonly kind: "none" }
	/** Put `stmt` in front of the rule's statements. */
	| { readonly kind: "inline"; readonly stmt: nft.Stmt }
	/** Emit one rule per alternative `conds` with `stmt` before the rule itself. */
	| { readonly kind: "prelude"; readonly alts: Alts; readonly stmt: nft.Stmt }
	/** Refused; the diagnostic is reported. */
	| { readonly kind: "refused" };

function readsMark(e: nft.Expr): boolean {
	switch (e.kind) {
		case "meta":
			return e.key === "mark";
		case "fib":
			return e.flags.includes("mark");
		case "and":
			return readsMark(e.expr);
		case "concat":
			return e.parts.some(readsMark);
		default:
			return false;
	}
}

function condReadsMark(c: nft.Cond): boolean {
	switch (c.kind) {
		case "rel":
		case "exists":
			return readsMark(c.left);
		case "dynset":
			return c.key.some(readsMark);
		default:
			return false;
	}
}

/**
 * How the rule writes --restore-skmark. `head`: the generic conditions (-i … -f); `matchAlts`: the
 * lowered matches, in the order of ctx.rule.matches; `targetConds`: the target's guard.
 */
export function planSkmark(ctx: RuleCtx, head: Alts, matchAlts: readonly Alts[], targetConds: readonly nft.Cond[]): SkmarkPlan {
	const matches = ctx.rule.matches;
	const at = matches.findIndex((m) => m.kind === "socket" && m.restoreSkmark);
	if (at < 0) return { kind: "none" };
	const m = matches[at] as ipt.SocketMatch;
	// Comments lower to no condition; anything else after the match may fail after the mark was set.
	const last = targetConds.length === 0 && matches.slice(at + 1).every((x) => x.kind === "comment");
	if (!m.nowildcard && last) return { kind: "inline", stmt: SKMARK };
	let before: Alts = ctx.rule.proto === undefined ? head : product(head, one(protoCond(ctx.fam, ctx.rule.proto)));
	for (let i = 0; i < at; i++) before = product(before, matchAlts[i]!);
	const bad = before.flat().find((c) => isStatefulCond(c) || condReadsMark(c));
	if (bad !== undefined) {
		refuse(
			ctx,
			"unsupported_option",
			"socket --restore-skmark sets the mark in the middle of the rule; nft needs a rule of its own for it, which would evaluate the conditions before -m socket twice, and they are stateful or read the mark",
			"move -m socket --restore-skmark in front of the other matches, or split the rule in two",
		);
		return { kind: "refused" };
	}
	return { kind: "prelude", alts: product(before, matchAlts[at]!), stmt: SKMARK };
}

/** After a prelude, the rule itself matters only if it does something or has state to update. */
export function stillNeeded(conds: readonly nft.Cond[], stmts: readonly nft.Stmt[]): boolean {
	return stmts.length > 0 || conds.some(isStatefulCond);
}

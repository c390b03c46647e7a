/**
 * -m socket -> nft `socket`. xt_socket finds the socket of the packet (established, TIME_WAIT or
 * listening) and, without --nowildcard, skips FULL sockets bound to a wildcard address.
 * - --nowildcard: any socket: `socket transparent 0-1` (`transparent` loads for every socket kind,
 *   `wildcard` BREAKs on TIME_WAIT sockets); with --transparent `socket transparent 1`. Exact.
 * - otherwise `socket wildcard 0 [socket transparent 1]`: exact except for TIME_WAIT sockets,
 *   which xt_socket matches and nft's `socket wildcard` cannot load (reported as lossy).
 * --restore-skmark is a side effect: refused.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { one, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerSocket(ctx: RuleCtx, m: ipt.SocketMatch): MatchOut {
	if (m.restoreSkmark) return refuse(ctx, "unsupported_option", "socket --restore-skmark is not translated", "add `meta mark set socket mark` by hand");
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

/**
 * -m socket -> `socket transparent 1` / `socket wildcard 0`. xt_socket without --nowildcard
 * skips sockets bound to a wildcard address (`socket wildcard 0` requires a socket that is not);
 * with --nowildcard any socket matches. --restore-skmark is a side effect: refused.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { one, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerSocket(ctx: RuleCtx, m: ipt.SocketMatch): MatchOut {
	if (m.restoreSkmark) return refuse(ctx, "unsupported_option", "socket --restore-skmark is not translated", "add `meta mark set socket mark` by hand");
	const conds: nft.Cond[] = [];
	conds.push(nft.rel({ kind: "socket", key: "wildcard" }, m.nowildcard ? "<=" : "==", nft.num(m.nowildcard ? 1 : 0)));
	if (m.transparent) conds.push(nft.rel({ kind: "socket", key: "transparent" }, "==", nft.num(1)));
	return one(...conds);
}

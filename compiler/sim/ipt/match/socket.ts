/**
 * xt_socket (revisions 1-3): the packet's socket; without --nowildcard a FULL socket bound to the
 * wildcard address does not count; with --transparent only IP_TRANSPARENT ones (TIME_WAIT: its
 * tw_transparent) do. --restore-skmark: when the match succeeds on a full socket, the packet takes
 * the socket's mark (skb->mark = sk->sk_mark) right away, whatever the rule's later matches say.
 */
import type { SocketMatch } from "../../../ir/ipt.js";
import { packetSocket } from "../../sockets.js";
import type { Compiled } from "../types.js";

export function compileSocket(m: SocketMatch): Compiled {
	const { nowildcard, transparent, restoreSkmark } = m;
	return (pkt) => {
		const sk = packetSocket(pkt);
		if (sk === undefined) return false;
		if (!nowildcard && sk.full && sk.wildcard) return false;
		if (transparent && !sk.transparent) return false;
		if (restoreSkmark && sk.full) pkt.mark = (sk.mark ?? 0) >>> 0;
		return true;
	};
}

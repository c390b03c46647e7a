/**
 * xt_socket (revisions 1-3): the packet's socket; without --nowildcard a FULL socket bound to the
 * wildcard address does not count; with --transparent only IP_TRANSPARENT ones (TIME_WAIT: its
 * tw_transparent) do. --restore-skmark is not modelled.
 */
import type { SocketMatch } from "../../../ir/ipt.js";
import { packetSocket } from "../../sockets.js";
import type { Compiled } from "../types.js";

export function compileSocket(m: SocketMatch): Compiled {
	if (m.restoreSkmark) return { unsupported: "socket --restore-skmark is not modelled by the simulator" };
	const { nowildcard, transparent } = m;
	return (pkt) => {
		const sk = packetSocket(pkt);
		if (sk === undefined) return false;
		if (!nowildcard && sk.full && sk.wildcard) return false;
		return !transparent || sk.transparent;
	};
}

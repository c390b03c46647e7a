/** -m udp: ports. */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import { one, portCond, type MatchOut } from "./context.js";

export function lowerUdp(m: ipt.UdpMatch): MatchOut {
	const conds: nft.Cond[] = [];
	if (m.sport !== undefined) conds.push(portCond("udp sport", m.sport));
	if (m.dport !== undefined) conds.push(portCond("udp dport", m.dport));
	return one(...conds);
}

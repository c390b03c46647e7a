/** -m tcp: ports, flags, options. Payload matches carry nft's implicit `meta l4proto tcp`. */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, portCond, type MatchOut } from "./context.js";

export function lowerTcp(m: ipt.TcpMatch): MatchOut {
	const conds: nft.Cond[] = [];
	if (m.sport !== undefined) conds.push(portCond("tcp sport", m.sport));
	if (m.dport !== undefined) conds.push(portCond("tcp dport", m.dport));
	if (m.flags !== undefined) {
		const { mask, comp } = m.flags.value;
		conds.push(nft.rel({ kind: "and", expr: nft.payload("tcp flags"), mask: BigInt(mask) }, negOp(m.flags.neg), nft.num(comp)));
	}
	if (m.option !== undefined) {
		conds.push({ kind: "exists", left: { kind: "tcpopt", option: m.option.value }, present: !m.option.neg });
	}
	return one(...conds);
}

/** -m pkttype -> meta pkttype (iptables' "unicast" is PACKET_HOST, nft's `host`). */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, type MatchOut } from "./context.js";

const TYPE: Readonly<Record<ipt.PktType, bigint>> = {
	unicast: nft.PKT_TYPES.host,
	broadcast: nft.PKT_TYPES.broadcast,
	multicast: nft.PKT_TYPES.multicast,
};

export function lowerPkttype(m: ipt.PktTypeMatch): MatchOut {
	return one(nft.rel(nft.meta("pkttype"), negOp(m.type.neg), nft.num(TYPE[m.type.value])));
}

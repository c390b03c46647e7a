/** -m mac --mac-source -> ether saddr (nft adds the `meta iiftype ether` dependency). */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, type MatchOut } from "./context.js";

export function lowerMac(m: ipt.MacMatch): MatchOut {
	return one(nft.rel(nft.payload("ether saddr"), negOp(m.src.neg), nft.num(m.src.value)));
}

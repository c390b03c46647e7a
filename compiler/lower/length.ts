/**
 * -m length -> meta length. xt_length reads the IP total length (IPv6: payload length + 40);
 * at the netfilter hooks skb->len equals it, because the stack trims the skb to the header's length.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, rangeValue, type MatchOut } from "./context.js";

export function lowerLength(m: ipt.LengthMatch): MatchOut {
	return one(nft.rel(nft.meta("length"), negOp(m.length.neg), rangeValue(m.length.value)));
}

/**
 * -j TRACE -> `meta nftrace set 1`: both set skb->nf_trace, the flag every tracer reads (the
 * legacy tables' TRACE log lines as much as `nft monitor trace`).
 */
import type * as nft from "../ir/nft.js";

export function lowerTrace(): nft.Stmt[] {
	return [{ kind: "nftrace" }];
}

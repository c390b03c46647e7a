/**
 * -m quota --quota N -> `quota N bytes`; `! --quota N` -> `quota over N bytes`. xt_quota matches
 * while the bytes so far, this packet included, are <= N and then never again; nft_quota since
 * the "match correctly when the quota just depleted" fix (Linux 6.x) breaks when consumed > N:
 * the same. Older kernels (consumed >= N) miss the one packet that exactly uses up the quota.
 */
import type * as ipt from "../ir/ipt.js";
import { one, type MatchOut } from "./context.js";

export function lowerQuota(m: ipt.QuotaMatch): MatchOut {
	return one({ kind: "quota", bytes: m.bytes, over: m.neg });
}

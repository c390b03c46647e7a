/** -m limit: a token bucket; nft's `limit rate N/unit burst B packets` is the same model. */
import type * as ipt from "../ir/ipt.js";
import { one, type MatchOut } from "./context.js";

export function lowerLimit(m: ipt.LimitMatch): MatchOut {
	return one({ kind: "limit", rate: BigInt(m.rate), unit: m.unit, burst: BigInt(m.burst), over: false });
}

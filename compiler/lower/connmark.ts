/** -m connmark: (ctmark & mask) == value; no conntrack entry never matches, as in nft. */
import type * as ipt from "../ir/ipt.js";
import { one, type MatchOut } from "./context.js";
import { markCond } from "./mark.js";

export function lowerConnmark(m: ipt.ConnmarkMatch): MatchOut {
	return one(markCond({ kind: "ct", key: "mark" }, m.mark));
}

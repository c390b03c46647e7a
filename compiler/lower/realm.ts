/** -m realm -> `meta rtclassid` (the route's realm), masked when a mask is given. */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { one, type MatchOut } from "./context.js";
import { maskedCond } from "./devgroup.js";

export function lowerRealm(m: ipt.RealmMatch): MatchOut {
	return one(maskedCond(nft.meta("rtclassid"), m.realm.value, m.realm.neg));
}

/**
 * -m realm -> `meta rtclassid` (the route's realm), masked when a mask is given. xt_realm compares
 * the id as given with the masked realm, so an id with bits outside the mask never matches.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { NEVER, one, type MatchOut } from "./context.js";
import { maskedCond } from "./devgroup.js";

export function lowerRealm(m: ipt.RealmMatch): MatchOut {
	const { value, mask } = m.realm.value;
	if (((value & ~mask) >>> 0) !== 0) return m.realm.neg ? one() : NEVER;
	return one(maskedCond(nft.meta("rtclassid"), m.realm.value, m.realm.neg));
}

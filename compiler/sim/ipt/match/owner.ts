/**
 * xt_owner: only locally generated packets have a socket. Without one the match holds only when
 * every given test is negated ((match ^ invert) == 0 in the kernel).
 */
import type { OwnerMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function compileOwner(m: OwnerMatch): MatchFn {
	const tests = [m.uid, m.gid, m.socketExists].filter((t) => t !== undefined);
	const allNegated = tests.every((t) => t.neg);
	const uid = m.uid;
	const gid = m.gid;
	const sock = m.socketExists;
	return (pkt) => {
		if (pkt.uid === undefined) return allNegated;
		if (sock && sock.neg) return false;
		if (uid && (pkt.uid >= uid.value.lo && pkt.uid <= uid.value.hi) === uid.neg) return false;
		if (gid) {
			const g = pkt.gid ?? -1;
			if ((g >= gid.value.lo && g <= gid.value.hi) === gid.neg) return false;
		}
		return true;
	};
}

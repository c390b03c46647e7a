/**
 * xt_rpfilter (ipt_rpfilter / ip6t_rpfilter): the route back to the source must leave through the
 * input device (--loose: any device), and be a unicast route (--accept-local: or a local one on
 * that device). Always true for loopback input; IPv4 also for 0.0.0.0 to 255.255.255.255 or
 * 224.0.0.0/24, IPv6 for the unspecified source ::. --validmark routes by mark (no policy
 * routing is modelled: no effect).
 */
import type { Fam, RpfilterMatch } from "../../../ir/ipt.js";
import { fibLookup, isLinkLocal6 } from "../../fib.js";
import type { MatchFn } from "../types.js";

export function compileRpfilter(m: RpfilterMatch, fam: Fam): MatchFn {
	const { loose, acceptLocal, invert } = m;
	return (pkt, ctx) => {
		const iif = pkt.iif;
		if (iif === "lo") return !invert;
		if (fam === 4) {
			if (pkt.saddr >> 24n === 0n && (pkt.daddr === 0xffffffffn || pkt.daddr >> 8n === 0xe00000n)) return !invert;
		} else {
			if (pkt.saddr === 0n) return !invert;
			if (isLinkLocal6(pkt.saddr)) return iif !== undefined !== invert; // fe80::/64 is on every device
		}
		const r = fibLookup(ctx.host, fam, pkt.saddr);
		let ok: boolean;
		if (r === undefined) ok = false;
		else if (r.type === "local") ok = acceptLocal && (fam === 6 || r.dev === iif || loose); // v6: RTF_LOCAL -> --accept-local
		else if (r.type === "unicast") ok = r.dev === iif || loose;
		else ok = false;
		return ok !== invert;
	};
}

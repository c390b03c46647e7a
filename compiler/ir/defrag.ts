/**
 * Whether the kernel reassembles IPv4/IPv6 fragments before the rules see them. nf_defrag is
 * enabled in a namespace by conntrack (any stateful match or target, and the nat table itself)
 * and by xt_socket / TPROXY; without it, non-first fragments reach every table as they are.
 */
import type * as ipt from "./ipt.js";

const DEFRAG_MATCHES: ReadonlySet<ipt.Match["kind"]> = new Set(["conntrack", "state", "connmark", "connlimit", "helper", "socket"]);
const DEFRAG_TARGETS: ReadonlySet<ipt.Target["kind"]> = new Set([
	"connmark-set",
	"connmark-save",
	"connmark-restore",
	"notrack",
	"ct",
	"synproxy",
	"tproxy",
	"connsecmark",
]);

export function reassemblesFragments(rs: ipt.Ruleset): boolean {
	for (const t of rs.tables) {
		if (t.name === "nat") return true;
		for (const c of t.chains)
			for (const r of c.rules) {
				if (r.matches.some((m) => DEFRAG_MATCHES.has(m.kind))) return true;
				if (r.target && DEFRAG_TARGETS.has(r.target.kind)) return true;
			}
	}
	return false;
}

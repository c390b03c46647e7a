/**
 * xt_policy without element options: --dir in asks whether the packet was decapsulated by IPsec
 * (a secpath), --dir out whether its route is an IPsec route. `--pol none` is the negation.
 * (iptables always passes one, possibly empty, element for `--pol ipsec`, which any state matches.)
 */
import type { PolicyMatch } from "../../../ir/ipt.js";
import type { Compiled } from "../types.js";

export function compilePolicy(m: PolicyMatch): Compiled {
	if (m.elems.length > 0 || m.strict) return { unsupported: "policy element options (--reqid, --spi, --proto, --mode, --tunnel-*, --strict) are not modelled by the simulator" };
	const ipsec = m.pol === "ipsec";
	if (m.dir === "in") return (pkt) => (pkt.secpath === true) === ipsec;
	return (pkt) => (pkt.xfrmOut === true) === ipsec;
}

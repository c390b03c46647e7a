/**
 * -m addrtype -> fib. `--limit-iface-in` / `-out` restrict the route lookup to the packet's
 * interface (`fib daddr . iif type`). Several types are a set lookup (xt_addrtype tests
 * membership of the route type in the given mask).
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, type MatchOut } from "./context.js";

const TYPE: Readonly<Record<ipt.AddrTypeName, bigint>> = {
	UNSPEC: nft.FIB_ADDRTYPES.unspec,
	UNICAST: nft.FIB_ADDRTYPES.unicast,
	LOCAL: nft.FIB_ADDRTYPES.local,
	BROADCAST: nft.FIB_ADDRTYPES.broadcast,
	ANYCAST: nft.FIB_ADDRTYPES.anycast,
	MULTICAST: nft.FIB_ADDRTYPES.multicast,
	BLACKHOLE: nft.FIB_ADDRTYPES.blackhole,
	UNREACHABLE: nft.FIB_ADDRTYPES.unreachable,
	PROHIBIT: nft.FIB_ADDRTYPES.prohibit,
	THROW: nft.FIB_ADDRTYPES.throw,
	NAT: nft.FIB_ADDRTYPES.nat,
	XRESOLVE: nft.FIB_ADDRTYPES.xresolve,
};

export function lowerAddrtype(m: ipt.AddrTypeMatch): MatchOut {
	const conds: nft.Cond[] = [];
	const iface: nft.FibFlag[] = m.limitIface === "in" ? ["iif"] : m.limitIface === "out" ? ["oif"] : [];
	for (const [addr, types] of [
		["saddr", m.src],
		["daddr", m.dst],
	] as const) {
		if (types === undefined) continue;
		const sel: nft.Selector = { kind: "fib", flags: [addr, ...iface], result: "type" };
		const values = [...new Set(types.value.map((t) => TYPE[t]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
		const only = values[0];
		const v: nft.Value =
			values.length === 1 && only !== undefined ? nft.num(only) : { kind: "set", elems: values.map((x) => nft.num(x)) };
		conds.push(nft.rel(sel, negOp(types.neg), v));
	}
	return one(...conds);
}

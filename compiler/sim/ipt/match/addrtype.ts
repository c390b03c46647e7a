/**
 * xt_addrtype. IPv4: the address has exactly one type (inet_dev_addr_type) and the match tests
 * membership. IPv6 (match_type6) is different: MULTICAST / UNICAST / UNSPEC test the address
 * class (a local global address is also UNICAST), and LOCAL needs a route lookup; several types
 * in one option must all hold. --limit-iface-in/out restrict local/broadcast to that device.
 */
import type { AddrTypeMatch, AddrTypeName, Fam } from "../../../ir/ipt.js";
import type { EvalContext } from "../../model.js";
import type { Packet } from "../../packet.js";
import type { Compiled, MatchFn } from "../types.js";

type Kind = ReturnType<EvalContext["addrType"]>;

const V4_KIND: Readonly<Record<Kind, AddrTypeName>> = {
	local: "LOCAL",
	broadcast: "BROADCAST",
	multicast: "MULTICAST",
	unicast: "UNICAST",
	unspec: "UNSPEC",
};

const V6_UNSUPPORTED: readonly AddrTypeName[] = ["BROADCAST", "BLACKHOLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"];

function v4Test(types: readonly AddrTypeName[]): (k: Kind) => boolean {
	const set = new Set(types);
	return (k) => set.has(V4_KIND[k]);
}

function v6Test(types: readonly AddrTypeName[]): (k: Kind) => boolean {
	const set = new Set(types);
	return (k) => {
		if (set.has("MULTICAST") && k !== "multicast") return false;
		if (set.has("UNICAST") && k !== "unicast" && k !== "local") return false;
		if (set.has("UNSPEC") && k !== "unspec") return false;
		// Route-lookup types: the host model has no anycast/unreachable routes.
		if (set.has("LOCAL") || set.has("ANYCAST") || set.has("UNREACHABLE")) return set.has("LOCAL") && k === "local";
		return true;
	};
}

export function compileAddrtype(m: AddrTypeMatch, fam: Fam): Compiled {
	if (fam === 6) {
		const bad = [...(m.src?.value ?? []), ...(m.dst?.value ?? [])].find((t) => V6_UNSUPPORTED.includes(t));
		if (bad) return { unsupported: `addrtype ${bad} is not supported for IPv6 by the kernel` };
	}
	const mk = fam === 4 ? v4Test : v6Test;
	const src = m.src ? { test: mk(m.src.value), neg: m.src.neg } : undefined;
	const dst = m.dst ? { test: mk(m.dst.value), neg: m.dst.neg } : undefined;
	const limit = m.limitIface;
	const fn: MatchFn = (pkt: Packet, ctx: EvalContext) => {
		const dev = limit === "in" ? pkt.iif : limit === "out" ? pkt.oif : undefined;
		if (src && src.test(ctx.addrType(fam, pkt.saddr, dev)) === src.neg) return false;
		if (dst && dst.test(ctx.addrType(fam, pkt.daddr, dev)) === dst.neg) return false;
		return true;
	};
	return fn;
}

/**
 * Route lookups for an address as the FIB answers them (fib_lookup / ip6_route_lookup), used by
 * reverse-path checks on both sides (xt_rpfilter, nft `fib … oif`): local addresses (127/8 is
 * `lo`'s) give a LOCAL route, IPv4 subnet broadcast addresses a BROADCAST route on their device,
 * everything else the longest main-table prefix (UNICAST). IPv6 link-local addresses have a route
 * on every device.
 */
import type { Fam } from "../ir/ipt.js";
import { HostTables } from "./host.js";
import type { Host } from "./model.js";

export interface FibResult {
	readonly type: "local" | "broadcast" | "unicast";
	readonly dev: string;
}

const tables = new WeakMap<Host, HostTables>();

export function hostTables(host: Host): HostTables {
	let t = tables.get(host);
	if (t === undefined) {
		t = new HostTables(host);
		tables.set(host, t);
	}
	return t;
}

export function fibLookup(host: Host, fam: Fam, addr: bigint): FibResult | undefined {
	const t = hostTables(host);
	const local = t.localDev(fam, addr);
	if (local !== undefined) return { type: "local", dev: local };
	if (fam === 4 && t.addrType(4, addr) === "broadcast" && addr >> 24n !== 0n && addr !== 0xffffffffn) {
		for (const i of host.interfaces) if (t.addrType(4, addr, i.name) === "broadcast") return { type: "broadcast", dev: i.name };
	}
	const dev = t.mainRoute(fam, addr);
	return dev === undefined ? undefined : { type: "unicast", dev };
}

/** fe80::/10. */
export function isLinkLocal6(addr: bigint): boolean {
	return addr >> 118n === 0x3fan;
}

/** ipv6_addr_type() & IPV6_ADDR_LINKLOCAL: fe80::/10, or multicast of link-local scope (ffX2::). */
export function linkScope6(addr: bigint): boolean {
	return isLinkLocal6(addr) || (addr >> 120n === 0xffn && ((addr >> 112n) & 0xfn) === 2n);
}

/**
 * The host model: interfaces with addresses, a routing table, and the two questions the
 * packet path and the evaluators ask of it: where does this packet go (`lookupRoute`) and what
 * kind of address is this (`addrType`, the kernel's `inet_dev_addr_type` / `ipv6_addr_type`).
 *
 * The simulated host accepts martians (no rp_filter, route_localnet on) so that every rule a
 * ruleset holds is reachable by some packet.
 */
import type { Fam } from "../ir/ipt.js";
import { diagnostic, type Diagnostic } from "../ir/diagnostics.js";
import { FAM_BITS, allOnes, inPrefix, isMulticast, parseCidr, parseMac, prefixMask, V4_LOOPBACK } from "./addr.js";
import type { Host, HostInterface, Route } from "./model.js";

export type AddrKind = "local" | "broadcast" | "multicast" | "unicast" | "unspec";

/** An interface name no ruleset is expected to name; the corpus sends packets through it. */
export const SPARE_IFACE = "spare0";
export const UPLINK = "eth0";

/** A prefix a rule used together with an interface (docker: `-s 172.18.0.0/16 ! -o br-x`). */
export interface SubnetHint {
	readonly iface: string;
	readonly fam: Fam;
	readonly addr: bigint;
	readonly len: number;
}

export interface HostHints {
	/** Concrete interface names the rulesets mention (wildcards already expanded). */
	readonly ifaces: readonly string[];
	readonly addrs: readonly SubnetHint[];
	/** Device groups the rules compare with (devgroup): interfaces take them in turn. */
	readonly groups?: readonly number[];
}

const V4 = (a: number, b: number, c: number, d: number): bigint => BigInt(((a << 24) >>> 0) + (b << 16) + (c << 8) + d);

/**
 * A host derived from what the rulesets name: `lo`, the uplink `eth0` (public addresses and the
 * default routes), every named interface (docker0 gets docker's 172.17.0.1/16; others get the
 * subnet the rules use with them, else a fresh private one), and `spare0`, an interface no rule
 * names.
 */
export function defaultHost(names: HostHints): Host {
	const ifaceNames = [...new Set([UPLINK, ...names.ifaces, SPARE_IFACE])].filter((n) => n !== "lo");
	const used: { fam: Fam; addr: bigint; len: number }[] = [];
	const overlaps = (fam: Fam, addr: bigint, len: number): boolean =>
		used.some((u) => u.fam === fam && inPrefix(fam, addr, u.addr, Math.min(len, u.len)));
	const interfaces: HostInterface[] = [
		{ name: "lo", addrs: [{ fam: 4, addr: V4_LOOPBACK, len: 8 }, { fam: 6, addr: 1n, len: 128 }], mac: 0n },
	];
	let fresh4 = 0;
	let fresh6 = 0;
	const named = new Set(names.addrs.filter((h) => h.len === FAM_BITS[h.fam]).map((h) => `${h.fam}/${h.addr}`));
	ifaceNames.forEach((name, i) => {
		const addrs: { fam: Fam; addr: bigint; len: number }[] = [];
		const add = (fam: Fam, net: bigint, len: number): void => {
			// The host's own address must not be one the rules name as a single host (a container
			// behind the bridge, a DNAT target): that would make it local and change its path.
			let first = (net & prefixMask(fam, len)) + 1n;
			while (named.has(`${fam}/${first}`)) first++;
			addrs.push({ fam, addr: first, len });
			used.push({ fam, addr: net & prefixMask(fam, len), len });
		};
		if (name === UPLINK) {
			add(4, V4(198, 51, 100, 0), 24);
			add(6, 0x20010db8_00010000_00000000_00000000n, 64);
		}
		if (name === "docker0") add(4, V4(172, 17, 0, 0), 16);
		for (const fam of [4, 6] as const) {
			for (const h of pickHints(names.addrs, name, fam)) {
				if (!overlaps(fam, h.addr, h.len)) add(fam, h.addr, h.len);
			}
			if (!addrs.some((a) => a.fam === fam)) {
				if (fam === 4) {
					const docker = name.startsWith("br-") || name.startsWith("docker");
					let net: bigint;
					do {
						net = docker ? V4(172, 18 + fresh4, 0, 0) : V4(10, 200 + (fresh4 % 50), Math.floor(fresh4 / 50), 0);
						fresh4++;
					} while (overlaps(4, net, docker ? 16 : 24));
					add(4, net, docker ? 16 : 24);
				} else {
					let net: bigint;
					do {
						net = (0xfd00n << 112n) | (BigInt(fresh6 + 1) << 80n);
						fresh6++;
					} while (overlaps(6, net, 64));
					add(6, net, 64);
				}
			}
		}
		const groups = names.groups ?? [];
		const group = groups.length > 0 ? groups[i % groups.length] : undefined;
		interfaces.push({ name, addrs, mac: 0x020000000000n + BigInt(i + 1), ...(group !== undefined ? { group } : {}) });
	});
	const routes: Route[] = [
		{ fam: 4, dst: 0n, len: 0, dev: UPLINK },
		{ fam: 6, dst: 0n, len: 0, dev: UPLINK },
	];
	return { interfaces, routes: withConnected(interfaces, routes) };
}

/** The hints for one interface, best first: real subnets (/8../30), then /24 or /64 around hosts. */
function pickHints(hints: readonly SubnetHint[], iface: string, fam: Fam): { addr: bigint; len: number }[] {
	const bits = FAM_BITS[fam];
	const strong: { addr: bigint; len: number }[] = [];
	const weak: { addr: bigint; len: number }[] = [];
	for (const h of hints) {
		if (h.iface !== iface || h.fam !== fam) continue;
		if (h.len >= (fam === 4 ? 8 : 16) && h.len <= bits - 2) strong.push({ addr: h.addr & prefixMask(fam, h.len), len: h.len });
		else if (h.len > bits - 2) {
			const len = fam === 4 ? 24 : 64;
			weak.push({ addr: h.addr & prefixMask(fam, len), len });
		}
	}
	const out = strong.length > 0 ? strong : weak;
	// The widest subnet first: it is the interface's own network; narrower ones nest in it.
	return out.sort((a, b) => a.len - b.len);
}

/** Routes plus the connected route of every interface address (the kernel adds those itself). */
function withConnected(interfaces: readonly HostInterface[], routes: readonly Route[]): Route[] {
	const out = [...routes];
	for (const i of interfaces) {
		if (i.name === "lo") continue;
		for (const a of i.addrs) {
			const dst = a.addr & prefixMask(a.fam, a.len);
			if (!out.some((r) => r.fam === a.fam && r.dst === dst && r.len === a.len)) out.push({ fam: a.fam, dst, len: a.len, dev: i.name });
		}
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Lookups

export type RouteResult = { readonly kind: "local" } | { readonly kind: "via"; readonly dev: string } | { readonly kind: "none" };

/** Precomputed tables for one host (the path builds one per run, the evaluators share it). */
export class HostTables {
	readonly host: Host;
	private readonly local: readonly [Map<bigint, string>, Map<bigint, string>] = [new Map(), new Map()];
	private readonly bcast4 = new Map<bigint, string>();
	private readonly routes: Route[];

	constructor(host: Host) {
		this.host = host;
		for (const i of host.interfaces) {
			for (const a of i.addrs) {
				this.local[a.fam === 4 ? 0 : 1].set(a.addr, i.name);
				if (a.fam === 4 && a.len < 31) {
					const last = (a.addr & prefixMask(4, a.len)) | (allOnes(4) ^ prefixMask(4, a.len));
					this.bcast4.set(last, i.name);
				}
			}
		}
		this.routes = [...host.routes].sort((a, b) => b.len - a.len);
	}

	/** Which interface holds this address as a local address (127/8 is `lo`'s). */
	localDev(fam: Fam, addr: bigint): string | undefined {
		const d = this.local[fam === 4 ? 0 : 1].get(addr);
		if (d !== undefined) return d;
		if (fam === 4 && addr >> 24n === 127n) return "lo";
		return undefined;
	}

	/**
	 * The kernel's address type. IPv4 follows `inet_dev_addr_type`: 0.0.0.0/8 and
	 * 255.255.255.255 are BROADCAST, multicast before any table lookup, then the local table
	 * (local addresses, subnet broadcasts); with `dev` the local-table entry only counts when its
	 * device is `dev`. IPv6: `::` is unspec, ff00::/8 multicast, local addresses local.
	 */
	addrType(fam: Fam, addr: bigint, dev?: string): AddrKind {
		if (fam === 4) {
			if (addr >> 24n === 0n || addr === 0xffffffffn) return "broadcast";
			if (isMulticast(4, addr)) return "multicast";
			// Longest match in the local table: an interface address (/32), then a subnet broadcast
			// (/32, lo's 127.255.255.255 too), then lo's `local 127.0.0.0/8`.
			const l = this.local[0].get(addr);
			if (l !== undefined) return dev === undefined || dev === l ? "local" : "unicast";
			const b = this.bcast4.get(addr);
			if (b !== undefined) return dev === undefined || dev === b ? "broadcast" : "unicast";
			if (addr >> 24n === 127n) return dev === undefined || dev === "lo" ? "local" : "unicast";
			return "unicast";
		}
		if (addr === 0n) return "unspec";
		if (isMulticast(6, addr)) return "multicast";
		const l = this.localDev(6, addr);
		if (l !== undefined) return dev === undefined || dev === l || l === "lo" ? "local" : "unicast";
		return "unicast";
	}

	/** Main-table lookup (longest prefix). */
	mainRoute(fam: Fam, daddr: bigint): string | undefined {
		for (const r of this.routes) if (r.fam === fam && inPrefix(fam, daddr, r.dst, r.len)) return r.dev;
		return undefined;
	}

	/** Input routing: local delivery (local, broadcast, multicast) or forward. */
	routeInput(fam: Fam, daddr: bigint): RouteResult {
		const t = this.addrType(fam, daddr);
		if (t === "local" || t === "broadcast" || t === "multicast") return { kind: "local" };
		if (t === "unspec") return { kind: "none" };
		const dev = this.mainRoute(fam, daddr);
		return dev === undefined ? { kind: "none" } : { kind: "via", dev };
	}

	/** Output routing: local destinations leave through `lo`. */
	routeOutput(fam: Fam, daddr: bigint): string | undefined {
		if (this.addrType(fam, daddr) === "local") return "lo";
		if (fam === 4 && daddr === 0xffffffffn) return this.mainRoute(4, 0n);
		// A subnet broadcast leaves through its interface (lo's 127.255.255.255 loops back).
		const b = fam === 4 ? this.bcast4.get(daddr) : undefined;
		if (b !== undefined) return b;
		return this.mainRoute(fam, daddr);
	}

	/** First address of the family on an interface (MASQUERADE's choice, REDIRECT's target). */
	firstAddr(dev: string, fam: Fam): bigint | undefined {
		const i = this.host.interfaces.find((x) => x.name === dev);
		return i?.addrs.find((a) => a.fam === fam)?.addr;
	}

	/**
	 * MASQUERADE's new source. IPv4 follows inet_select_addr(out, nexthop, RT_SCOPE_UNIVERSE): a
	 * global-scope address of the out interface (127/8 is host scope), the one whose subnet holds
	 * the next hop first; without one (lo), the first global address of any interface in host
	 * order. IPv6 keeps the interface's first address.
	 */
	masqueradeAddr(dev: string, fam: Fam, nexthop: bigint): bigint | undefined {
		if (fam === 6) {
			// ipv6_dev_get_saddr (RFC 6724), roughly: the destination itself when it is ours, else a
			// global address (not ::1, not link-local) of the interface, the one on the next hop's
			// prefix first, else any interface's.
			if (this.localDev(6, nexthop) !== undefined && nexthop !== 1n) return nexthop;
			const g6 = (i: HostInterface | undefined): { addr: bigint; len: number }[] =>
				(i?.addrs ?? []).filter((a) => a.fam === 6 && a.addr !== 1n && a.addr >> 118n !== 0x3fan);
			const own6 = g6(this.host.interfaces.find((x) => x.name === dev));
			const p6 = own6.find((a) => inPrefix(6, nexthop, a.addr, a.len)) ?? own6[0];
			if (p6) return p6.addr;
			for (const i of this.host.interfaces) {
				const g = g6(i)[0];
				if (g) return g.addr;
			}
			return undefined;
		}
		const global = (i: HostInterface | undefined): { addr: bigint; len: number }[] =>
			(i?.addrs ?? []).filter((a) => a.fam === 4 && a.addr >> 24n !== 127n);
		const own = global(this.host.interfaces.find((x) => x.name === dev));
		const pick = own.find((a) => inPrefix(4, nexthop, a.addr, a.len)) ?? own[0];
		if (pick) return pick.addr;
		for (const i of this.host.interfaces) {
			const g = global(i)[0];
			if (g) return g.addr;
		}
		return undefined;
	}

	hasIface(name: string): boolean {
		return this.host.interfaces.some((i) => i.name === name);
	}
}

// ---------------------------------------------------------------------------------------------
// --host file

/**
 * Validates a `--host` description:
 * `{ "interfaces": [{ "name": "eth0", "addrs": ["198.51.100.10/24", "2001:db8::1/64"],
 *    "mac": "02:00:00:00:00:01", "bridge": "br0" }], "routes": [{ "dst": "0.0.0.0/0", "dev": "eth0" }] }`.
 * Connected routes are added for every address; `lo` is added when missing.
 */
export function hostFromJson(json: unknown, file = "<host>"): { host?: Host; diagnostics: Diagnostic[] } {
	const ds: Diagnostic[] = [];
	const bad = (msg: string): { diagnostics: Diagnostic[] } => {
		ds.push(diagnostic("host_file_invalid", `${file}: ${msg}`));
		return { diagnostics: ds };
	};
	if (!isObj(json)) return bad("expected an object with `interfaces` and optional `routes`");
	const ifs = json["interfaces"];
	if (!Array.isArray(ifs)) return bad("`interfaces` must be an array");
	const interfaces: HostInterface[] = [];
	for (const [k, raw] of ifs.entries()) {
		if (!isObj(raw)) return bad(`interfaces[${k}] must be an object`);
		const name = raw["name"];
		if (typeof name !== "string" || !/^[^\s/:]{1,15}$/.test(name)) return bad(`interfaces[${k}].name must be an interface name (1-15 characters)`);
		if (interfaces.some((i) => i.name === name)) return bad(`interface ${name} given twice`);
		const addrsRaw = raw["addrs"] ?? [];
		if (!Array.isArray(addrsRaw)) return bad(`interfaces[${k}].addrs must be an array of "addr/len" strings`);
		const addrs: { fam: Fam; addr: bigint; len: number }[] = [];
		for (const a of addrsRaw) {
			const c = typeof a === "string" ? parseCidr(a) : undefined;
			if (!c) return bad(`interfaces[${k}].addrs: ${JSON.stringify(a)} is not an address with prefix length`);
			addrs.push(c);
		}
		const macRaw = raw["mac"];
		let mac: bigint | undefined;
		if (macRaw !== undefined) {
			mac = typeof macRaw === "string" ? parseMac(macRaw) : undefined;
			if (mac === undefined) return bad(`interfaces[${k}].mac must look like 02:00:00:00:00:01`);
		}
		const bridge = raw["bridge"];
		if (bridge !== undefined && typeof bridge !== "string") return bad(`interfaces[${k}].bridge must be a string`);
		const group = raw["group"];
		if (group !== undefined && !(typeof group === "number" && Number.isInteger(group) && group >= 0 && group <= 0xffffffff)) return bad(`interfaces[${k}].group must be a device group number (0..4294967295)`);
		interfaces.push({ name, addrs, ...(mac !== undefined ? { mac } : {}), ...(bridge !== undefined ? { bridge } : {}), ...(group !== undefined ? { group } : {}) });
	}
	if (!interfaces.some((i) => i.name === "lo")) {
		interfaces.unshift({ name: "lo", addrs: [{ fam: 4, addr: V4_LOOPBACK, len: 8 }, { fam: 6, addr: 1n, len: 128 }], mac: 0n });
	}
	const routesRaw = json["routes"] ?? [];
	if (!Array.isArray(routesRaw)) return bad("`routes` must be an array");
	const routes: Route[] = [];
	for (const [k, r] of routesRaw.entries()) {
		if (!isObj(r)) return bad(`routes[${k}] must be an object`);
		const dst = typeof r["dst"] === "string" ? (r["dst"] === "default" ? undefined : parseCidr(r["dst"])) : undefined;
		const dev = r["dev"];
		if (typeof dev !== "string" || !interfaces.some((i) => i.name === dev)) return bad(`routes[${k}].dev must name one of the interfaces`);
		if (r["dst"] === "default") {
			routes.push({ fam: 4, dst: 0n, len: 0, dev }, { fam: 6, dst: 0n, len: 0, dev });
			continue;
		}
		if (!dst) return bad(`routes[${k}].dst must be "addr/len" or "default"`);
		routes.push({ fam: dst.fam, dst: dst.addr & prefixMask(dst.fam, dst.len), len: dst.len, dev });
	}
	for (const key of Object.keys(json)) {
		if (key !== "interfaces" && key !== "routes") return bad(`unknown key \`${key}\``);
	}
	return { host: { interfaces, routes: withConnected(interfaces, routes) }, diagnostics: ds };
}

function isObj(x: unknown): x is Record<string, unknown> {
	return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * A host namespace shaped like the simulator's host model, plus one peer namespace holding the
 * far end of every interface's veth pair.
 *
 * - Every modelled interface (eth0, docker0, br-…, spare0) is a veth of that very name in the
 *   host namespace, with the model's MAC and addresses (`brd +`, as docker and ip set them, so
 *   the subnet broadcast is a local broadcast as in the model); its peer `p<N>` sits in the peer
 *   namespace, which has no addresses and no rules: the replay driver writes frames into it and
 *   the host sees them arrive on the modelled interface.
 * - Docker bridges are modelled as plain veths carrying the bridge's address. Routing is what
 *   the rules see of a bridge (`-i docker0`, `-o br-x`, the connected /16 route); a real bridge
 *   would add bridge ports and br_netfilter, which the model does not have. Interfaces that are
 *   bridge ports in a --host file are refused.
 * - The host side has ARP/ND off: forwarded packets leave at once (to the interface's own MAC)
 *   instead of waiting for a neighbour that the peer namespace would never answer.
 * - Sysctls follow the model: forwarding on, no reverse-path filter, martian local/loopback
 *   sources accepted (accept_local, route_localnet), no ICMP rate limits and no redirects (they
 *   would hide or add packets), no IPv6 autoconfiguration noise.
 */
import type { Fam } from "../ir/ipt.js";
import { formatAddr, formatMac, prefixMask } from "../sim/addr.js";
import type { Host } from "../sim/model.js";
import { KernelSetupError, run, runIn } from "./netns.js";

export interface Topology {
	readonly hostNs: string;
	readonly peerNs: string;
	/** Model interface -> its peer's name in the peer namespace. */
	readonly ports: Readonly<Record<string, string>>;
	/** Model interface -> the host side's MAC (frames from the peer are sent to it). */
	readonly hostMacs: Readonly<Record<string, string>>;
}

const HOST_SYSCTLS = [
	"net.ipv4.ip_forward=1",
	"net.ipv6.conf.all.forwarding=1",
	"net.ipv4.conf.all.rp_filter=0",
	"net.ipv4.conf.default.rp_filter=0",
	"net.ipv4.conf.all.accept_local=1",
	"net.ipv4.conf.default.accept_local=1",
	"net.ipv4.conf.all.route_localnet=1",
	"net.ipv4.conf.default.route_localnet=1",
	"net.ipv4.conf.all.send_redirects=0",
	"net.ipv4.conf.default.send_redirects=0",
	"net.ipv4.icmp_ratelimit=0",
	"net.ipv4.icmp_msgs_per_sec=1000000",
	"net.ipv4.icmp_msgs_burst=1000000",
	"net.ipv6.icmp.ratelimit=0",
	"net.ipv6.conf.default.addr_gen_mode=1",
	"net.ipv6.conf.default.accept_ra=0",
	"net.ipv6.conf.default.accept_dad=0",
	"net.ipv6.conf.default.dad_transmits=0",
];

const PEER_SYSCTLS = ["net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"];

/** MAC of a modelled interface; interfaces without one get a stable local address. */
function macOf(mac: bigint | undefined, i: number): string {
	return formatMac(mac !== undefined && mac !== 0n ? mac : 0x02fe00000000n + BigInt(i + 1));
}

/** Builds the namespaces' contents (they exist already, empty). */
export function buildTopology(hostNs: string, peerNs: string, host: Host): Topology {
	must(runIn(hostNs, "sysctl", ["-q", "-w", ...HOST_SYSCTLS]), "host sysctls");
	must(runIn(peerNs, "sysctl", ["-q", "-w", ...PEER_SYSCTLS]), "peer sysctls");
	const hostCmds: string[] = ["link set lo up"];
	const peerCmds: string[] = ["link set lo up"];
	const ports: Record<string, string> = {};
	const hostMacs: Record<string, string> = {};
	host.interfaces.forEach((iface, i) => {
		if (iface.name === "lo") return;
		if (iface.bridge !== undefined) throw new KernelSetupError(`interface ${iface.name} is a port of bridge ${iface.bridge}: bridge ports are not replayed`);
		const peer = `p${i}`;
		const mac = macOf(iface.mac, i);
		ports[iface.name] = peer;
		hostMacs[iface.name] = mac;
		hostCmds.push(`link add ${iface.name} address ${mac} type veth peer name ${peer} netns ${peerNs}`);
		hostCmds.push(`link set ${iface.name} arp off`);
		for (const a of iface.addrs) {
			hostCmds.push(a.fam === 4 ? `addr add ${formatAddr(4, a.addr)}/${a.len} brd + dev ${iface.name}` : `addr add ${formatAddr(6, a.addr)}/${a.len} dev ${iface.name} nodad`);
		}
		hostCmds.push(`link set ${iface.name} up`);
		peerCmds.push(`link set ${peer} up`);
	});
	must(run("ip", ["-n", hostNs, "-batch", "-"], hostCmds.join("\n") + "\n"), "host interfaces");
	must(run("ip", ["-n", peerNs, "-batch", "-"], peerCmds.join("\n") + "\n"), "peer interfaces");
	// Routes beyond the connected ones the kernel made for the addresses (the model's default route
	// is on-link, without a gateway, like the model's).
	const routeCmds: string[] = [];
	for (const r of host.routes) {
		if (connected(host, r.fam, r.dst, r.len, r.dev)) continue;
		// Batch lines take no -4/-6: the address spells the family (0.0.0.0/0, ::/0 for defaults).
		routeCmds.push(`route replace ${formatAddr(r.fam, r.dst)}/${r.len} dev ${r.dev}`);
	}
	if (routeCmds.length > 0) must(run("ip", ["-n", hostNs, "-batch", "-"], routeCmds.join("\n") + "\n"), "routes");
	return { hostNs, peerNs, ports, hostMacs };
}

function connected(host: Host, fam: Fam, dst: bigint, len: number, dev: string): boolean {
	return host.interfaces.some((i) => i.name === dev && i.addrs.some((a) => a.fam === fam && a.len === len && (a.addr & prefixMask(fam, len)) === dst));
}

function must(r: { ok: boolean; stderr: string }, what: string): void {
	if (!r.ok) throw new KernelSetupError(`${what}: ${r.stderr.trim()}`);
}

/** NFLOG groups of the observer (unusual numbers, so a ruleset's own NFLOG rules do not collide). */
export const OBSERVER_GROUPS = { input: 65101, output: 65102, postrouting: 65103 } as const;
export const OBSERVER_TABLE = "ipt2nft_observe";

/**
 * The observer, loaded after the rules under test: input at INT_MAX (after every table and
 * conntrack confirmation; it then drops the packet so the host stack never answers it, which
 * would add resets and close connections the flows still use), postrouting at INT_MAX (after
 * source NAT), output at INT_MIN (before any rule: REJECT's answers are seen even when the
 * output rules drop them).
 */
export function observerRuleset(): string {
	const g = OBSERVER_GROUPS;
	return `table inet ${OBSERVER_TABLE} {
	chain input {
		type filter hook input priority 2147483647; policy accept;
		log group ${g.input} drop
	}
	chain output {
		type filter hook output priority -2147483648; policy accept;
		log group ${g.output}
	}
	chain postrouting {
		type filter hook postrouting priority 2147483647; policy accept;
		log group ${g.postrouting}
	}
}
`;
}

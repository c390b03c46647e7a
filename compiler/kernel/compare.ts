/**
 * What the kernel shows of a packet's outcome, as one comparable key, computed both from a
 * simulator outcome (what the kernel should show) and from the replay driver's observation.
 *
 * Visible: delivered locally / forwarded or sent out of which interface, with the header as it
 * left (addresses, ports, TTL, DSCP, mark); rejected with which ICMP code or a TCP reset; an
 * ICMP time-exceeded; or nothing ("silent": dropped). Not visible: where a drop happened, log
 * lines, the ct mark. The kernel sends no ICMP error about an ICMP error or to a broadcast, and
 * no reset for a reset or for a non-TCP packet: those rejects are silent on the wire.
 */
import type { Fam } from "../ir/ipt.js";
import { formatAddr, parseAddr } from "../sim/addr.js";
import { HostTables } from "../sim/host.js";
import type { Host } from "../sim/model.js";
import type { PacketOutcome, ScenarioOutcome } from "../sim/outcome.js";
import { formatEndpoint } from "../sim/outcome.js";
import type { Packet } from "../sim/packet.js";

/** One packet as the replay driver reports it. */
export interface KernelPacket {
	readonly role: "packet" | "first" | "reply" | "follow-up";
	readonly fate: "delivered" | "forwarded" | "sent" | "rejected" | "expired" | "silent";
	readonly iif?: string;
	readonly oif?: string;
	readonly saddr?: string;
	readonly daddr?: string;
	readonly sport?: number;
	readonly dport?: number;
	readonly ttl?: number;
	readonly dscp?: number;
	readonly mark?: number;
	/** `icmp:TYPE/CODE` or `tcp-reset`. */
	readonly with?: string;
	/** The kernel refused the send (a locally generated packet dropped in OUTPUT: EPERM). */
	readonly sendError?: string;
}

export interface KernelScenario {
	readonly id: number;
	readonly packets: readonly KernelPacket[];
}

const REJECT_CODES: Readonly<Record<string, string>> = {
	"icmp-net-unreachable": "icmp:3/0",
	"icmp-host-unreachable": "icmp:3/1",
	"icmp-proto-unreachable": "icmp:3/2",
	"icmp-port-unreachable": "icmp:3/3",
	"icmp-net-prohibited": "icmp:3/9",
	"icmp-host-prohibited": "icmp:3/10",
	"icmp-admin-prohibited": "icmp:3/13",
	"icmp6-no-route": "icmp:1/0",
	"icmp6-adm-prohibited": "icmp:1/1",
	"icmp6-addr-unreachable": "icmp:1/3",
	"icmp6-port-unreachable": "icmp:1/4",
	"icmp6-policy-fail": "icmp:1/5",
	"icmp6-reject-route": "icmp:1/6",
	"tcp-reset": "tcp-reset",
};

/**
 * ICMP messages the kernel never answers with an ICMP error: for IPv4 icmp_pointers[] marks the
 * unassigned types 1, 2, 6, 7, 9, 10 and everything above 18 as errors too.
 */
function isIcmpError(p: { fam: Fam; proto: number; icmpType: number }): boolean {
	return p.fam === 4 ? p.proto === 1 && ([1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12].includes(p.icmpType) || p.icmpType > 18) : p.proto === 58 && p.icmpType < 128;
}

const ECHO_REPLY: Readonly<Record<string, number>> = { "4/8": 0, "4/13": 14, "6/128": 129 };

/** The packets the simulator evaluated for each role (replies derived as path.ts does). */
function inputs(first: Packet, o: ScenarioOutcome): Packet[] {
	const out: Packet[] = [first];
	const f = o.packets[0];
	if (f && o.packets.length > 1) {
		out.push({
			...first,
			saddr: f.daddr,
			daddr: f.saddr,
			sport: f.dport,
			dport: f.sport,
			tcpFlags: first.tcpFlags & 0x02 ? 0x12 : 0x10,
			icmpType: ECHO_REPLY[`${first.fam}/${first.icmpType}`] ?? first.icmpType,
		});
		out.push({ ...first, tcpFlags: 0x10 });
	}
	return out;
}

/** Keys of the packets the kernel should show for a simulated scenario outcome. */
export function expectedKeys(first: Packet, o: ScenarioOutcome, host: Host): string[] {
	const tables = new HostTables(host);
	const ins = inputs(first, o);
	return o.packets.map((po, i) => expectedKey(po, ins[i] ?? first, tables));
}

function expectedKey(o: PacketOutcome, input: Packet, tables: HostTables): string {
	const f = o.fate;
	switch (f.kind) {
		case "dropped":
		case "queued":
		case "unroutable":
		// SYNPROXY scenarios are skipped by the plan; silent is what the replay's observer sees.
		case "stolen":
			return `${o.role}: silent`;
		case "expired":
			return `${o.role}: ${isIcmpError(input) ? "silent" : "expired"}`;
		case "rejected": {
			const code = REJECT_CODES[f.with] ?? f.with;
			const t = tables.addrType(input.fam, input.daddr);
			// Nor to a broadcast, and IPv6 answers nothing to the unspecified source `::`.
			const toBroadcast = t === "broadcast" || t === "multicast" || (input.fam === 6 && input.saddr === 0n);
			if (code === "tcp-reset") return `${o.role}: ${input.proto !== 6 || input.tcpFlags & 0x04 || toBroadcast ? "silent" : "rejected tcp-reset"}`;
			// IPv6 REJECT needs a transport header to quote (reject6_csum_ok: none after "no next header").
			const noHeader = input.fam === 6 && input.proto === 59;
			return `${o.role}: ${isIcmpError(input) || toBroadcast || noHeader ? "silent" : `rejected ${code}`}`;
		}
		case "delivered":
			return `${o.role}: delivered ${header(o.fam, o.proto, o.saddr, o.sport, o.daddr, o.dport, o.ttl, o.dscp, o.mark)}`;
		case "forwarded":
		case "sent":
			return `${o.role}: ${f.kind} ${f.oif} ${header(o.fam, o.proto, o.saddr, o.sport, o.daddr, o.dport, o.ttl, o.dscp, o.mark)}`;
	}
}

function header(fam: Fam, proto: number, saddr: bigint, sport: number, daddr: bigint, dport: number, ttl: number, dscp: number, mark: number): string {
	let s = `${formatEndpoint(fam, saddr, sport, proto)} > ${formatEndpoint(fam, daddr, dport, proto)} ttl ${ttl}`;
	if (dscp !== 0) s += ` dscp ${dscp}`;
	if (mark !== 0) s += ` mark 0x${(mark >>> 0).toString(16)}`;
	return s;
}

/** Keys of what the kernel showed. `fam`/`proto` come from the replayed scenario. */
export function kernelKeys(k: KernelScenario, fam: Fam, proto: number): string[] {
	return k.packets.map((p) => kernelKey(p, fam, proto));
}

function addr(s: string | undefined, fam: Fam): bigint {
	const a = s === undefined ? undefined : parseAddr(s);
	return a !== undefined && a.fam === fam ? a.addr : -1n;
}

export function kernelKey(p: KernelPacket, fam: Fam, proto: number): string {
	switch (p.fate) {
		case "silent":
		case "expired":
			return `${p.role}: ${p.fate}`;
		case "rejected":
			return `${p.role}: rejected ${p.with ?? "?"}`;
		case "delivered":
		case "forwarded":
		case "sent": {
			const h = header(fam, proto, addr(p.saddr, fam), p.sport ?? 0, addr(p.daddr, fam), p.dport ?? 0, p.ttl ?? 0, p.dscp ?? 0, p.mark ?? 0);
			return p.fate === "delivered" ? `${p.role}: delivered ${h}` : `${p.role}: ${p.fate} ${p.oif ?? "?"} ${h}`;
		}
	}
}

/** Readable address (for reports). */
export function showAddr(fam: Fam, a: bigint): string {
	return formatAddr(fam, a);
}

// ---------------------------------------------------------------------------------------------
// The driver's JSON (validated: it crosses a process boundary)

const FATES: ReadonlySet<string> = new Set(["delivered", "forwarded", "sent", "rejected", "expired", "silent"]);
const ROLES: ReadonlySet<string> = new Set(["packet", "first", "reply", "follow-up"]);

function isObj(x: unknown): x is Record<string, unknown> {
	return typeof x === "object" && x !== null && !Array.isArray(x);
}

function kernelPacketFrom(x: unknown): KernelPacket | undefined {
	if (!isObj(x) || typeof x["role"] !== "string" || !ROLES.has(x["role"]) || typeof x["fate"] !== "string" || !FATES.has(x["fate"])) return undefined;
	const str = (k: string): string | undefined => (typeof x[k] === "string" ? (x[k] as string) : undefined);
	const num = (k: string): number | undefined => (typeof x[k] === "number" ? (x[k] as number) : undefined);
	const out: Record<string, unknown> = { role: x["role"], fate: x["fate"] };
	for (const k of ["iif", "oif", "saddr", "daddr", "with", "sendError"]) if (str(k) !== undefined) out[k] = str(k);
	for (const k of ["sport", "dport", "ttl", "dscp", "mark"]) if (num(k) !== undefined) out[k] = num(k);
	return out as unknown as KernelPacket;
}

/** Parses the driver's output: side name -> scenarios. */
export function parseDriverOutput(json: unknown): { sides: Map<string, KernelScenario[]>; late: number } | undefined {
	if (!isObj(json) || !isObj(json["sides"])) return undefined;
	const sides = new Map<string, KernelScenario[]>();
	for (const [name, list] of Object.entries(json["sides"])) {
		if (!Array.isArray(list)) return undefined;
		const scns: KernelScenario[] = [];
		for (const s of list) {
			if (!isObj(s) || typeof s["id"] !== "number" || !Array.isArray(s["packets"])) return undefined;
			const packets: KernelPacket[] = [];
			for (const p of s["packets"]) {
				const kp = kernelPacketFrom(p);
				if (!kp) return undefined;
				packets.push(kp);
			}
			scns.push({ id: s["id"], packets });
		}
		sides.set(name, scns);
	}
	return { sides, late: typeof json["late"] === "number" ? json["late"] : 0 };
}

// ---------------------------------------------------------------------------------------------
// Ports a NAT statement chose from a range

/** `--to-ports 1024-65535`, `--to-source 1.2.3.4:1000-2000`, nft `to :1024-65535`. */
const NAT_PORT_RANGE = /(?:--to-ports\s+|:)(\d+)-(\d+)\b/;

/**
 * Whether a NAT rule with a port range bound this scenario: the kernel then picks a port by hash
 * or at random (nf_nat_l4proto_unique_tuple) where the simulator takes the range's first.
 */
export function natChoosesPorts(o: ScenarioOutcome): boolean {
	return o.packets.some((p) => p.trace.some((t) => NAT_PORT_RANGE.test(t.rule)));
}

/**
 * Masks every port in keys (`addr:port`, `[v6]:port`): once NAT chose a port from a range, the
 * chosen value shows up at other places in the reply and follow-up, and may equal an original.
 */
export function maskPorts(keys: readonly string[]): string[] {
	return keys.map((k) => k.replace(/:\d+(?=\s|$)/g, ":*"));
}

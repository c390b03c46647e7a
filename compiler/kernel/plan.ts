/**
 * Which scenarios a kernel replay can reproduce, and as what.
 *
 * Some packet fields are inputs the simulator may set freely but the kernel decides itself: the
 * mark of an arriving packet (always 0 on the wire), the socket owner of a locally generated
 * one (the driver sends as root), the state of rate limits, the conntrack state of a lone packet
 * (the kernel computes it: new, or invalid without a connection), a length below the headers.
 * A scenario is replayed with those fields set as the kernel will see them only when the
 * simulator's prediction does not change by that (so the comparison still tests the corpus's
 * question); otherwise it is skipped and counted under the field that mattered. Packets the
 * driver cannot send faithfully at all (fragments, martians, multicast, unknown protocols, lone
 * packets arriving on lo) are skipped and counted too. Nothing is dropped silently.
 */
import type { Fam } from "../ir/ipt.js";
import { inPrefix, isMulticast, prefixMask } from "../sim/addr.js";
import { HostTables } from "../sim/host.js";
import type { Host, SimSide } from "../sim/model.js";
import type { Distribution } from "../sim/outcome.js";
import { clonePacket, type CtState, type Packet } from "../sim/packet.js";
import type { Scenario } from "../sim/scenario.js";
import { simulate } from "../sim/verify.js";

export interface PlannedScenario {
	/** The scenario as replayed (fields normalised to what the kernel will see). */
	readonly scenario: Scenario;
	/** The corpus's scenario it came from. */
	readonly original: Scenario;
	/** The simulator's prediction for the replayed scenario, per side. */
	readonly sim: { readonly old: Distribution; readonly new: Distribution };
}

export interface Plan {
	readonly replay: readonly PlannedScenario[];
	/** Reason -> scenarios skipped for it. */
	readonly skipped: ReadonlyMap<string, number>;
	/** Reason -> packets those scenarios held (flows count 3). */
	readonly skippedPackets: ReadonlyMap<string, number>;
}

export interface PlanContext {
	readonly oldSide: SimSide;
	readonly newSide: SimSide;
	readonly host: Host;
	/** Interfaces the topology has (packets arrive only on these). */
	readonly ifaces: ReadonlySet<string>;
	/** Either side makes the kernel track connections (nat table, ct matches). */
	readonly conntrack: boolean;
}

/**
 * Protocols the driver crafts: tcp, udp, icmp/icmpv6, sctp (INIT chunk), gre, and any other
 * protocol as a bare payload, except those whose header the rules read but the driver does not
 * build (dccp, udplite ports) and IPv6 extension headers (the kernel would parse the payload).
 */
function crafted(fam: Fam, proto: number): boolean {
	if (proto === 33 || proto === 136) return false;
	if (fam === 6 && [0, 43, 44, 51, 60, 135, 139, 140, 253, 254].includes(proto)) return false;
	return proto >= 0 && proto <= 255;
}

export function planReplay(scenarios: readonly Scenario[], ctx: PlanContext): Plan {
	const tables = new HostTables(ctx.host);
	const replay: PlannedScenario[] = [];
	const skipped = new Map<string, number>();
	const skippedPackets = new Map<string, number>();
	const skip = (scn: Scenario, reason: string): void => {
		skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
		skippedPackets.set(reason, (skippedPackets.get(reason) ?? 0) + (scn.kind === "flow" ? 3 : 1));
	};
	const sim = (scn: Scenario): { old: Distribution; new: Distribution } => ({
		old: simulate([ctx.oldSide], ctx.host, scn),
		new: simulate([ctx.newSide], ctx.host, scn),
	});
	for (const scn of scenarios) {
		const why = unsendable(scn, ctx, tables);
		if (why !== undefined) {
			skip(scn, why);
			continue;
		}
		const norm = normalise(scn, ctx);
		const orig = sim(scn);
		const pred = sim(norm);
		if (!sameSim(orig, pred)) {
			skip(scn, culprit(scn, ctx, orig, sim));
			continue;
		}
		// Rate limits: the kernel's token buckets run on their own; replay only what they cannot change.
		if (!sameSim(pred, sim({ ...norm, pkt: { ...norm.pkt, overLimit: true } }))) {
			skip(scn, "a rate-limited match decides it (the kernel's limit state is not controlled)");
			continue;
		}
		const random = [pred.old, pred.new].some((d) => d.entries.length !== 1 || d.truncated);
		if (random) {
			skip(scn, "random match (statistic/numgen): compared as distributions only by the simulator");
			continue;
		}
		const fates = [pred.old, pred.new].flatMap((d) => d.entries[0]!.outcome.packets.map((p) => p.fate.kind));
		if (fates.includes("unroutable")) {
			skip(scn, "unroutable in the model");
			continue;
		}
		if (fates.includes("queued")) {
			skip(scn, "queued (no NFQUEUE listener in the replay)");
			continue;
		}
		if (fates.includes("stolen")) {
			skip(scn, "taken over by SYNPROXY (its cookies and answers are not observed)");
			continue;
		}
		if ([pred.old, pred.new].some((d) => d.entries[0]!.outcome.packets.some((p) => p.dups !== undefined))) {
			skip(scn, "copied to a gateway by TEE / dup (the observer does not tell copies apart; the simulator compares them)");
			continue;
		}
		// A flow's reply comes back from outside to where the first packet came from.
		if (scn.kind === "flow") {
			const bad = [pred.old, pred.new].some((d) => {
				const f = d.entries[0]!.outcome.packets[0]!;
				if (f.fate.kind !== "forwarded" && f.fate.kind !== "sent") return false;
				return martian(f.fam, f.daddr, f.saddr, false) !== undefined || isMulticast(f.fam, f.saddr) || (f.fam === 6 && subnetAnycast(ctx.host, f.saddr));
			});
			if (bad) {
				skip(scn, "the reply would arrive with a martian address (e.g. to ::1 from outside)");
				continue;
			}
		}
		replay.push({ scenario: norm, original: scn, sim: pred });
	}
	return { replay, skipped, skippedPackets };
}

/**
 * Equal predictions, marks aside: the replay compares the kernel with the prediction for the
 * normalised packet; this check only asks whether normalising changed the decision (a packet
 * arriving with mark 0 instead of the corpus's mark leaves with a different mark, trivially).
 */
function sameSim(a: { old: Distribution; new: Distribution }, b: { old: Distribution; new: Distribution }): boolean {
	const k = (d: Distribution): string => d.entries.map((e) => `${e.p}:${e.key.replace(/\b(m|ct)=\d+/g, "")}`).join(";");
	return k(a.old) === k(b.old) && k(a.new) === k(b.new);
}

/** Packets the driver cannot put on the wire as the simulator means them. */
function unsendable(scn: Scenario, ctx: PlanContext, tables: HostTables): string | undefined {
	const p = scn.pkt;
	if (p.fragOffset > 0 || p.moreFragments) return "fragment";
	if (!crafted(p.fam, p.proto)) return `protocol ${p.proto} is not crafted`;
	if (isMulticast(p.fam, p.daddr)) return "multicast destination (group membership is not modelled)";
	const local = p.iif === undefined;
	if (!local && !ctx.ifaces.has(p.iif!)) return `arrives on ${p.iif}, which has no peer`;
	const m = martian(p.fam, p.saddr, p.daddr, local);
	if (m !== undefined) return m;
	if (local && p.fam === 4 && tables.addrType(4, p.daddr) === "broadcast") return "locally generated broadcast (the kernel loops a copy back)";
	if (local && p.saddr === 0n) return "locally generated with an all-zero source (the raw socket fills one in)";
	if (scn.kind === "flow" && p.fam === 6 && subnetAnycast(ctx.host, p.saddr)) return "IPv6 subnet-router anycast source in a flow (the reply to it is delivered locally on a forwarding host)";
	if (p.fam === 6 && subnetAnycast(ctx.host, p.daddr)) return "IPv6 subnet-router anycast destination (local on a forwarding host; the model has no anycast)";
	// SCTP and GRE have their own conntrack helpers (association states, PPTP keys) that the
	// model treats as plain portless/ported protocols; measured apart, see the kernel report.
	if (ctx.conntrack && p.proto === 132) return "sctp with conntrack (association tracking is not modelled)";
	if (ctx.conntrack && p.proto === 47) return "gre with conntrack (GRE/PPTP tracking is not modelled)";
	if (scn.kind === "flow" && ctx.conntrack && loneCtState(p) !== "new") return "flow starting with a packet conntrack does not open a connection with";
	return undefined;
}

/**
 * Addresses the kernel refuses before or at routing (the simulated host accepts martians so
 * that every rule stays reachable; the replay host drops them like any Linux host).
 */
function martian(fam: Fam, saddr: bigint, daddr: bigint, local: boolean): string | undefined {
	if (fam === 4) {
		if (inPrefix(4, daddr, 0n, 8)) return "martian destination 0.0.0.0/8";
		if (local) return undefined;
		if (isMulticast(4, saddr) || saddr === 0xffffffffn || inPrefix(4, saddr, 0n, 8)) return "martian source (multicast, broadcast or 0.0.0.0/8)";
		return undefined;
	}
	const ll = (a: bigint): boolean => a >> 118n === 0x3fan; // fe80::/10
	const mapped = (a: bigint): boolean => a >> 32n === 0xffffn; // ::ffff:0:0/96
	if (daddr === 0n) return "unspecified IPv6 destination";
	if (ll(saddr) || ll(daddr)) return "link-local IPv6 address (the replay host has none)";
	if (mapped(saddr) || mapped(daddr)) return "IPv4-mapped IPv6 address (dropped by ip6_rcv)";
	if (!local && saddr === 0n) return "unspecified IPv6 source from outside (never forwarded)";
	if (!local && (isMulticast(6, saddr) || saddr === 1n || daddr === 1n)) return "martian IPv6 source or loopback from outside (dropped by ip6_rcv)";
	return undefined;
}

/** `prefix::` of an IPv6 subnet of the host: a forwarding Linux host joins it as anycast. */
function subnetAnycast(host: Host, addr: bigint): boolean {
	return host.interfaces.some((i) => i.addrs.some((a) => a.fam === 6 && a.len < 127 && a.addr !== 1n && addr === (a.addr & prefixMask(6, a.len))));
}

/** What conntrack says of a packet it has no entry for (nf_conntrack_in, per protocol). */
export function loneCtState(p: Packet): "new" | "invalid" | "untracked" {
	// IPv6 "no next header": conntrack finds no transport protocol (ipv6_skip_exthdr < 0).
	if (p.fam === 6 && p.proto === 59) return "invalid";
	switch (p.proto) {
		case 6: {
			// tcp_error's valid flag combinations (PSH, ECE, CWR ignored); tcp_new starts from
			// SYN, or from a bare ACK with nf_conntrack_tcp_loose (the default).
			const f = p.tcpFlags & ~(0x08 | 0x40 | 0x80);
			return f === 0x02 || f === 0x22 || f === 0x10 || f === 0x30 ? "new" : "invalid";
		}
		case 1:
			return [8, 13, 15, 17].includes(p.icmpType) ? "new" : "invalid";
		case 58:
			// icmpv6_error leaves MLD and neighbour discovery untracked (noct_valid_new).
			if ([130, 131, 132, 133, 134, 135, 136, 143].includes(p.icmpType)) return "untracked";
			return p.icmpType === 128 || p.icmpType === 139 ? "new" : "invalid";
		default:
			return "new";
	}
}

/** Bytes of the headers the driver builds (the padding fills up to `length`). */
export function headerLength(p: Packet): number {
	const l3 = p.fam === 4 ? 20 : 40;
	switch (p.proto) {
		case 6: {
			const OPT: Record<number, number> = { 2: 4, 4: 2, 8: 10, 3: 3 };
			const opts = p.tcpOptions.reduce((n, k) => n + (OPT[k] ?? 0), 0);
			return l3 + 20 + Math.ceil(opts / 4) * 4;
		}
		case 17:
		case 1:
		case 58:
			return l3 + 8;
		case 132:
			return l3 + 12 + 20;
		case 47:
			return l3 + 4;
		default:
			// A bare payload of at least 4 bytes: the driver fixes its checksum in the first two.
			return l3 + 4;
	}
}

const CT_REASON = "conntrack state without the connection it belongs to";

interface Normaliser {
	readonly reason: string;
	readonly applies: (p: Packet, scn: Scenario, ctx: PlanContext) => boolean;
	readonly apply: (p: Packet, scn: Scenario, ctx: PlanContext) => void;
}

/** Packet fields the driver puts on the wire (or the kernel decides, handled below). */
const WIRE_FIELDS: ReadonlySet<string> = new Set([
	"fam", "saddr", "daddr", "proto", "sport", "dport", "tcpFlags", "tcpOptions", "icmpType", "icmpCode", "length",
	"fragOffset", "moreFragments", "ttl", "dscp", "ecn", "iif", "oif", "srcMac", "pkttype", "mark", "uid", "gid", "ct",
	"overLimit", "mssClamp", "timeNs",
]);

/** Optional packet details (routing header, SPI, cpu, realm, secpath…) the replay does not reproduce. */
function extraFields(p: Packet): string[] {
	return Object.entries(p)
		.filter(([k, v]) => !WIRE_FIELDS.has(k) && v !== undefined)
		.map(([k]) => k);
}

const NORMALISERS: readonly Normaliser[] = [
	{
		reason: "packet details the replay does not put on the wire (IPv6 routing header, SPI, cpu, realm, secpath…)",
		applies: (p) => extraFields(p).length > 0,
		apply: (p) => {
			for (const k of extraFields(p)) delete (p as unknown as Record<string, unknown>)[k];
		},
	},
	{
		// The kernel's clock is the real one; a time match must not decide the replayed packet.
		reason: "wall-clock time (the kernel's clock is now, not the corpus's)",
		applies: () => true,
		apply: (p) => {
			p.timeNs = BigInt(Date.now()) * 1_000_000n;
		},
	},
	{
		reason: "mark set before the packet arrived (the wire carries none)",
		applies: (p) => p.iif !== undefined && p.mark !== 0,
		apply: (p) => {
			p.mark = 0;
		},
	},
	{
		reason: "socket owner uid/gid (the driver sends as root)",
		applies: (p) => p.iif === undefined && (p.uid !== 0 || p.gid !== 0),
		apply: (p) => {
			p.uid = 0;
			p.gid = 0;
		},
	},
	{
		reason: "over a rate limit in the corpus",
		applies: (p) => p.overLimit,
		apply: (p) => {
			p.overLimit = false;
		},
	},
	{
		reason: "length shorter than the headers",
		applies: (p) => p.length < headerLength(p),
		apply: (p) => {
			p.length = headerLength(p);
		},
	},
	{
		reason: "length above the interfaces' MTU (1500)",
		applies: (p) => p.length > 1500,
		apply: (p) => {
			p.length = 1500;
		},
	},
	{
		reason: CT_REASON,
		applies: (p, scn) => scn.kind === "packet" && (p.ct.state !== loneCtState(p) || p.ct.mark !== 0 || p.ct.status !== 0 || p.ct.dir !== "original"),
		apply: (p) => {
			p.ct = { state: loneCtState(p) as CtState, status: 0, mark: 0, dir: "original", expire: p.ct.expire, zone: 0 };
		},
	},
];

function normaliseWith(scn: Scenario, ctx: PlanContext, ns: readonly Normaliser[]): Scenario {
	const p = clonePacket(scn.pkt);
	if (p.iif === undefined) p.srcMac = undefined;
	else {
		p.uid = undefined;
		p.gid = undefined;
	}
	for (const n of ns) if (n.applies(p, scn, ctx)) n.apply(p, scn, ctx);
	return { ...scn, pkt: p };
}

export function normalise(scn: Scenario, ctx: PlanContext): Scenario {
	return normaliseWith(scn, ctx, NORMALISERS);
}

/** The first field whose normalisation alone changes the prediction. */
function culprit(
	scn: Scenario,
	ctx: PlanContext,
	orig: { old: Distribution; new: Distribution },
	sim: (s: Scenario) => { old: Distribution; new: Distribution },
): string {
	for (const n of NORMALISERS) {
		if (!n.applies(scn.pkt, scn, ctx)) continue;
		if (sameSim(orig, sim(normaliseWith(scn, ctx, [n])))) continue;
		if (n === NORMALISERS[0]) return `packet details the replay does not put on the wire: ${extraFields(scn.pkt).join(", ")}`;
		if (n.reason !== CT_REASON) return n.reason;
		const ct = scn.pkt.ct;
		const lone = loneCtState(scn.pkt);
		return ct.state === lone
			? `conntrack ${ct.state}${ct.dir === "reply" ? " (reply direction)" : ""} with status/ct mark of an existing entry`
			: `conntrack state ${ct.state}${ct.dir === "reply" ? " (reply)" : ""} without its connection (alone, the kernel says ${lone})`;
	}
	return "several kernel-decided fields together";
}

/**
 * Packet corpus: deterministic for a seed. Half of the packets are boundary-driven (a rule's
 * joint values from `probes`, or single boundary values: prefix edges, port edges ±1, marks,
 * named interfaces), the rest seeded-random; some scenarios are flows (first/reply/follow-up)
 * so NAT and conntrack state get exercised. `packets` bounds the total packet count.
 */
import type { Fam, PktType } from "../ir/ipt.js";
import { allOnes, inPrefix, isMulticast, prefixMask } from "./addr.js";
import type { BoundaryValues, Probe } from "./boundary.js";
import { defaultHost, HostTables, SPARE_IFACE, UPLINK } from "./host.js";
import { makePacket } from "./make.js";
import type { Host } from "./model.js";
import { CT_STATUS, hasPorts, type CtState, type Packet } from "./packet.js";
import { Prng } from "./prng.js";
import { ExtGen } from "./ext-values.js";
import type { Scenario } from "./scenario.js";

export interface CorpusOptions {
	readonly packets: number;
	readonly seed: number;
	/** The host the packets meet (defaults to defaultHost over the boundary's interfaces). */
	readonly host?: Host;
	/** Share of scenarios that are 3-packet flows (default 0.3). */
	readonly flowShare?: number;
	/**
	 * The host runs conntrack, whose defrag hook (priority -400) reassembles fragments before any
	 * table sees them: generate no non-first fragments then.
	 */
	readonly defragmented?: boolean;
}

export interface Corpus {
	readonly seed: number;
	readonly packets: number;
	readonly scenarios: readonly Scenario[];
}

const WELL_KNOWN = [22, 25, 53, 80, 123, 443, 8080];
const FLAGS = [0x02, 0x12, 0x10, 0x18, 0x11, 0x04, 0x14, 0x01, 0x00, 0x29, 0x3f];
const ICMP4 = [0, 3, 8, 11];
const ICMP6 = [1, 2, 3, 128, 129, 133, 134, 135, 136];

export function generateCorpus(bv: BoundaryValues, opts: CorpusOptions): Corpus {
	const host = opts.host ?? defaultHost({ ifaces: bv.ifaces, addrs: [] });
	const g = new Gen(bv, host, new Prng(opts.seed ^ 0x1f2e3d4c), opts.defragmented ?? false, new ExtGen(bv.ext, opts.seed));
	const flowShare = opts.flowShare ?? 0.3;
	const scenarios: Scenario[] = [];
	let used = 0;
	let id = 0;
	while (used < opts.packets) {
		const flow = opts.packets - used >= 3 && g.rng.chance(flowShare);
		const boundary = g.rng.chance(0.5);
		const pkt = g.packet(boundary, flow);
		scenarios.push({ id: id++, kind: flow ? "flow" : "packet", pkt });
		used += flow ? 3 : 1;
	}
	return { seed: opts.seed, packets: used, scenarios };
}

class Gen {
	readonly rng: Prng;
	private readonly bv: BoundaryValues;
	private readonly tables: HostTables;
	private readonly host: Host;
	private readonly fams: Fam[];
	private readonly ifaces: string[];
	private readonly local: Record<Fam, bigint[]>;
	private readonly subnets: Record<Fam, { addr: bigint; len: number }[]>;
	/** Probes in a seeded shuffled order, visited round-robin so N >= #probes covers every rule. */
	private readonly probes: Probe[];
	private probeAt = 0;
	private readonly defragmented: boolean;

	/** Optional packet details (own PRNG: see ext-values.ts). */
	private readonly ext: ExtGen;

	constructor(bv: BoundaryValues, host: Host, rng: Prng, defragmented: boolean, ext: ExtGen) {
		this.ext = ext;
		this.defragmented = defragmented;
		this.bv = bv;
		this.rng = rng;
		this.tables = new HostTables(host);
		this.host = host;
		this.fams = bv.fams.size > 0 ? [...bv.fams].sort() : [4];
		const names = host.interfaces.map((i) => i.name).filter((n) => n !== "lo");
		// Named interfaces the host has, plus one no rule names.
		this.ifaces = [...new Set([...bv.ifaces.filter((n) => names.includes(n)), ...names.filter((n) => n === SPARE_IFACE || n === UPLINK)])];
		if (this.ifaces.length === 0) this.ifaces = names.length > 0 ? names : [UPLINK];
		this.probes = [...(bv.probes ?? [])];
		for (let i = this.probes.length - 1; i > 0; i--) {
			const j = rng.int(0, i);
			[this.probes[i], this.probes[j]] = [this.probes[j]!, this.probes[i]!];
		}
		this.local = { 4: [], 6: [] };
		this.subnets = { 4: [], 6: [] };
		for (const i of host.interfaces) {
			for (const a of i.addrs) {
				this.local[a.fam].push(a.addr);
				if (i.name !== "lo") this.subnets[a.fam].push({ addr: a.addr & prefixMask(a.fam, a.len), len: a.len });
			}
		}
	}

	private addr(fam: Fam): bigint {
		const r = this.rng;
		const pool = fam === 4 ? this.bv.addrs4 : this.bv.addrs6;
		const x = r.next();
		if (x < 0.5 && pool.length > 0) return r.pick(pool);
		if (x < 0.65 && this.local[fam].length > 0) return r.pick(this.local[fam]);
		if (x < 0.72) return r.pick(fam === 4 ? [0n, 0xffffffffn, 0xe0000001n, 0x7f000001n, 0x7f0000ffn] : [0n, 1n, 0xff020000000000000000000000000001n, 0xfe800000000000000000000000000001n]);
		if (x < 0.85 && this.subnets[fam].length > 0) {
			const s = r.pick(this.subnets[fam]);
			const host = r.bigBits(fam === 4 ? 32 : 128) & (allOnes(fam) ^ prefixMask(fam, s.len));
			return s.addr | host;
		}
		return r.bigBits(fam === 4 ? 32 : 128);
	}

	private port(): number {
		const r = this.rng;
		const x = r.next();
		if (x < 0.6 && this.bv.ports.length > 0) return r.pick(this.bv.ports);
		if (x < 0.8) return r.pick(WELL_KNOWN);
		return r.int(0, 65535);
	}

	private proto(fam: Fam): number {
		const r = this.rng;
		const icmp = fam === 4 ? 1 : 58;
		if (r.chance(0.5) && this.bv.protos.length > 0) return r.pick(this.bv.protos);
		return r.pick([6, 6, 17, 17, icmp, 132, 47]);
	}

	private pkttype(fam: Fam, daddr: bigint): PktType {
		if (isMulticast(fam, daddr)) return "multicast";
		if (fam === 4 && this.tables.addrType(4, daddr) === "broadcast") return "broadcast";
		return "unicast";
	}

	packet(boundary: boolean, flow: boolean): Packet {
		const r = this.rng;
		const probe = boundary && this.probes.length > 0 && r.chance(0.7) ? this.nextProbe() : undefined;
		const fam: Fam = probe?.fam ?? r.pick(this.fams);
		const localGen = probe?.local ?? (probe?.iif !== undefined ? false : r.chance(0.2));
		const proto = probe?.proto ?? this.proto(fam);
		const alts = probe?.alts;
		let saddr = this.near(probe?.saddr, alts?.saddr) ?? this.addr(fam);
		const daddr =
			this.near(probe?.daddr, alts?.daddr) ??
			(probe?.oif !== undefined ? this.addrVia(fam, probe.oif) : undefined) ??
			(probe?.toHost && r.chance(0.85) && this.local[fam].length > 0 ? r.pick(this.local[fam]) : undefined) ??
			this.addr(fam);
		if (localGen && probe?.saddr === undefined && r.chance(0.7) && this.local[fam].length > 0) saddr = r.pick(this.local[fam]);
		const frag = !flow && !this.defragmented && r.chance(0.04);
		const fragOffset = frag ? (r.chance(0.5) ? 1 : r.int(2, 8191)) : 0;
		const ports = hasPorts(proto) && fragOffset === 0;
		const tcpFlags =
			proto === 6 && fragOffset === 0
				? flow
					? 0x02
					: probe?.tcpFlags !== undefined && r.chance(0.85)
						? probe.tcpFlags
						: r.chance(0.5) && this.bv.tcpFlags.length > 0
							? r.pick(this.bv.tcpFlags)
							: r.pick(FLAGS)
				: 0;
		const icmpTypes = [...(fam === 4 ? ICMP4 : ICMP6), ...this.bv.icmpTypes];
		const marks = this.bv.marks;
		const mark = probe?.mark ?? (r.chance(0.5) ? 0 : marks.length > 0 && r.chance(0.8) ? r.pick(marks) : r.u32());
		// Rule-aimed packets mostly start connections (the rules after `ct state established accept`).
		const ctProbe = probe === undefined ? undefined : (probe.ctState ?? "new");
		const ct = !flow && ctProbe !== undefined && r.chance(0.7) ? this.ctIn(ctProbe, marks) : this.ct(flow, marks);
		const helper = this.ext.helper(flow);
		if (helper !== undefined && (ct.state === "related" || ct.state === "established")) ct.helper = helper;
		const iif = localGen ? undefined : (probe?.iif ?? r.pick(this.ifaces));
		const lengths = this.bv.lengths ?? [];
		const ids = this.bv.ids ?? [];
		const macs = this.bv.macs ?? [];
		const ttls = this.bv.ttls ?? [];
		const dscps = this.bv.dscps ?? [];
		return this.ext.finish(makePacket({
			fam,
			saddr,
			daddr,
			proto,
			sport: ports ? (this.near(probe?.sport, alts?.sport) ?? this.port()) : 0,
			dport: ports ? (this.near(probe?.dport, alts?.dport) ?? this.port()) : 0,
			tcpFlags,
			tcpOptions: tcpFlags & 0x02 ? [2, 4, 8, 3].filter(() => r.chance(0.7)) : [],
			icmpType: proto === 1 || proto === 58 ? (probe?.icmpType !== undefined && r.chance(0.7) ? probe.icmpType : r.pick(icmpTypes)) : 0,
			icmpCode: proto === 1 || proto === 58 ? (r.chance(0.8) ? 0 : r.int(0, 15)) : 0,
			length: lengths.length > 0 && r.chance(0.3) ? Math.max(20, r.pick(lengths)) : r.int(40, 1500),
			fragOffset,
			moreFragments: frag && r.chance(0.5),
			ttl: ttls.length > 0 && r.chance(0.3) ? Math.max(0, Math.min(255, r.pick(ttls))) : r.chance(0.05) ? 1 : 64,
			dscp: dscps.length > 0 && r.chance(0.3) ? r.pick(dscps) : r.chance(0.1) ? r.int(0, 63) : 0,
			ecn: r.chance(0.1) ? r.int(0, 3) : 0,
			iif,
			oif: undefined,
			srcMac: localGen ? undefined : macs.length > 0 && r.chance(0.4) ? r.pick(macs) : 0x020000000000n | r.bigBits(24),
			pkttype: this.pkttype(fam, daddr),
			mark: mark >>> 0,
			uid: localGen ? (ids.length > 0 && r.chance(0.5) ? r.pick(ids) : r.pick([0, 33, 1000])) : undefined,
			gid: localGen ? (ids.length > 0 && r.chance(0.5) ? r.pick(ids) : r.pick([0, 33, 1000])) : undefined,
			ct,
			overLimit: r.chance(0.1),
			...this.ext.fields(fam, proto, localGen, flow),
		}));
	}

	/**
	 * Probes round-robin; each visit of a probe takes its next variant: the exact fields, then one
	 * field moved to one of its edge values (the rest exact), in turn. So every edge of every rule
	 * is met by a rule-aimed packet once the corpus has (1 + edges) packets per probe.
	 */
	private nextProbe(): Probe {
		const n = this.probes.length;
		const base = this.probes[this.probeAt % n]!;
		const visit = Math.floor(this.probeAt / n);
		this.probeAt++;
		const alts = base.alts;
		if (alts === undefined) return base;
		const fields = (["saddr", "daddr", "sport", "dport"] as const).filter((f) => (alts[f]?.length ?? 0) > 0);
		let k = visit % (1 + fields.reduce((a, f) => a + alts[f]!.length, 0));
		const exact: Probe = { ...base, alts: {} };
		if (k === 0) return exact;
		k--;
		for (const f of fields) {
			const xs = alts[f]!;
			if (k < xs.length) return { ...exact, [f]: xs[k] };
			k -= xs.length;
		}
		return exact;
	}

	/**
	 * A probe's field: the exact value most of the time, else one of the values around the rule's
	 * edges (so a prefix or port off by one meets a packet on the edge it moved).
	 */
	private near<T>(exact: T | undefined, alts: readonly T[] | undefined): T | undefined {
		const r = this.rng;
		if (alts !== undefined && alts.length > 0 && (exact === undefined ? r.chance(0.5) : r.chance(0.4))) return r.pick(alts);
		return exact;
	}

	/** A destination the host routes out of `dev` (a rule's `-o dev` is only met by such packets). */
	private addrVia(fam: Fam, dev: string): bigint | undefined {
		const r = this.rng;
		if (!r.chance(0.7)) return undefined;
		const i = this.host.interfaces.find((x) => x.name === dev);
		const a = i?.addrs.filter((x) => x.fam === fam && x.len < (fam === 4 ? 31 : 127));
		if (dev === "lo" || a === undefined || a.length === 0) return this.local[fam].length > 0 ? r.pick(this.local[fam]) : undefined;
		const s = r.pick(a);
		const net = s.addr & prefixMask(fam, s.len);
		const hostBits = allOnes(fam) ^ prefixMask(fam, s.len);
		const pick = net | (r.bigBits(fam === 4 ? 32 : 128) & hostBits);
		return pick === s.addr ? net | 2n : pick;
	}

	private ct(flow: boolean, marks: readonly number[]): Packet["ct"] {
		const r = this.rng;
		if (flow) return { state: "new", status: 0, mark: 0, dir: "original", expire: 300, zone: 0 };
		const x = r.next();
		const state: CtState = x < 0.35 ? "new" : x < 0.7 ? "established" : x < 0.8 ? "related" : "invalid";
		return this.ctIn(state, marks);
	}

	private ctIn(state: CtState, marks: readonly number[]): Packet["ct"] {
		const r = this.rng;
		const dir = state === "established" && r.chance(0.3) ? "reply" : "original";
		const status =
			state === "established" ? CT_STATUS.seenReply | CT_STATUS.assured | CT_STATUS.confirmed : state === "related" ? CT_STATUS.expected : 0;
		const mark = state === "new" || state === "invalid" ? 0 : marks.length > 0 && r.chance(0.5) ? r.pick(marks) : 0;
		return { state, status, mark: mark >>> 0, dir, expire: r.int(0, 432000), zone: 0 };
	}
}

/** True when an address lies in one of the host's subnets (for tests and reports). */
export function inHostSubnet(host: Host, fam: Fam, addr: bigint): boolean {
	return host.interfaces.some((i) => i.addrs.some((a) => a.fam === fam && inPrefix(fam, addr, a.addr, a.len)));
}

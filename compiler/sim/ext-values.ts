/**
 * Values for the packet's optional details (packet.ts: SPI, routing header, fragment id, DCCP type,
 * CPU, realm, cgroup, master helper, IPsec, options headers, MH, IPComp CPI, TCP MSS): the constants rulesets compare them with (both
 * boundary extractors add them) and the generator that puts them on corpus packets.
 * The generator draws from its own PRNG so packets of rulesets that use none of these details are
 * exactly what they were before these fields existed.
 */
import type { Fam } from "../ir/ipt.js";
import type { Packet, SockInfo } from "./packet.js";
import { Prng } from "./prng.js";
import { addCtDetails, mergeCtExt, type CtExtValues } from "./ct-ext.js";
import { packetWire } from "./wire.js";

export interface ExtValues {
	spis: number[];
	fragIds: number[];
	rtTypes: number[];
	rtSegsleft: number[];
	/** Raw Hdr Ext Len values. */
	rtHdrlens: number[];
	dccpTypes: number[];
	cpus: number[];
	realms: number[];
	cgroups: number[];
	helpers: string[];
	/** Connection counts around connlimit / ct count limits. */
	connCounts: number[];
	/** Seconds since the epoch a rule compares with (date edges). */
	dates: number[];
	/** Seconds of the day a rule compares with. */
	hours: number[];
	/** Some rule asks about the clock. */
	clock: boolean;
	/** Some rule asks about IPsec (secpath / xfrm route). */
	ipsec: boolean;
	/** Ports and addresses TPROXY rules redirect to (port 0: the packet's own). */
	listenPorts: number[];
	listenAddrs: bigint[];
	/** Some rule looks sockets up (TPROXY). */
	sockets: boolean;
	/** Some rule asks about routing or fragment header details. */
	exthdrs: boolean;
	/** Some rule asks about IPv6 Hop-by-Hop / Destination Options headers; their raw Hdr Ext Len values. */
	optsHdrs: boolean;
	hbhLens: number[];
	dstLens: number[];
	/** Mobility Header types a rule compares with. */
	mhTypes: number[];
	/** IPComp CPIs a rule compares with. */
	cpis: number[];
	/** TCP MSS option values a rule compares with. */
	msss: number[];
	/** Conntrack counters, labels, cluster hashing (sim/ct-ext.ts); absent: no rule asks. */
	ct?: CtExtValues;
	/** 32-bit words raw reads (-m u32, `@nh`/`@th`) compare; placed in the payload where it lies there. Absent: none. */
	u32Words?: U32Word[];
}

/** A word value at a byte offset from the network header (nh), the transport header (th) or the payload start (pl). */
export interface U32Word {
	readonly base: "nh" | "th" | "pl";
	readonly off: number;
	readonly value: number;
}

export function emptyExt(): ExtValues {
	return { spis: [], fragIds: [], rtTypes: [], rtSegsleft: [], rtHdrlens: [], dccpTypes: [], cpus: [], realms: [], cgroups: [], helpers: [], connCounts: [], dates: [], hours: [], clock: false, ipsec: false, listenPorts: [], listenAddrs: [], sockets: false, exthdrs: false, optsHdrs: false, hbhLens: [], dstLens: [], mhTypes: [], cpis: [], msss: [] };
}

const uniq = <T extends number | string>(xs: readonly T[]): T[] => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export function mergeExt(xs: readonly (ExtValues | undefined)[]): ExtValues | undefined {
	const present = xs.filter((x): x is ExtValues => x !== undefined);
	if (present.length === 0) return undefined;
	const out = emptyExt();
	const words = new Map<string, U32Word>();
	for (const x of present) {
		for (const w of x.u32Words ?? []) words.set(`${w.base},${w.off},${w.value}`, w);
		out.spis.push(...x.spis);
		out.fragIds.push(...x.fragIds);
		out.rtTypes.push(...x.rtTypes);
		out.rtSegsleft.push(...x.rtSegsleft);
		out.rtHdrlens.push(...x.rtHdrlens);
		out.dccpTypes.push(...x.dccpTypes);
		out.cpus.push(...x.cpus);
		out.realms.push(...x.realms);
		out.cgroups.push(...x.cgroups);
		out.helpers.push(...x.helpers);
		out.connCounts.push(...x.connCounts);
		out.dates.push(...x.dates);
		out.hours.push(...x.hours);
		out.clock ||= x.clock;
		out.ipsec ||= x.ipsec;
		out.listenPorts.push(...x.listenPorts);
		out.listenAddrs.push(...x.listenAddrs);
		out.sockets ||= x.sockets;
		out.exthdrs ||= x.exthdrs;
		out.optsHdrs ||= x.optsHdrs;
		out.hbhLens.push(...x.hbhLens);
		out.dstLens.push(...x.dstLens);
		out.mhTypes.push(...x.mhTypes);
		out.cpis.push(...x.cpis);
		out.msss.push(...x.msss);
	}
	return {
		spis: uniq(out.spis),
		fragIds: uniq(out.fragIds),
		rtTypes: uniq(out.rtTypes),
		rtSegsleft: uniq(out.rtSegsleft),
		rtHdrlens: uniq(out.rtHdrlens),
		dccpTypes: uniq(out.dccpTypes),
		cpus: uniq(out.cpus),
		realms: uniq(out.realms),
		cgroups: uniq(out.cgroups),
		helpers: uniq(out.helpers),
		connCounts: uniq(out.connCounts),
		dates: uniq(out.dates),
		hours: uniq(out.hours),
		clock: out.clock,
		ipsec: out.ipsec,
		listenPorts: uniq(out.listenPorts),
		listenAddrs: [...new Set(out.listenAddrs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
		sockets: out.sockets,
		exthdrs: out.exthdrs,
		optsHdrs: out.optsHdrs,
		hbhLens: uniq(out.hbhLens),
		dstLens: uniq(out.dstLens),
		mhTypes: uniq(out.mhTypes),
		cpis: uniq(out.cpis),
		msss: uniq(out.msss),
		...withCt(mergeCtExt(present.map((x) => x.ct))),
		...(words.size > 0 ? { u32Words: [...words.values()].sort((a, b) => a.off - b.off || a.value - b.value || (a.base < b.base ? -1 : a.base > b.base ? 1 : 0)) } : {}),
	};
}

function withCt(ct: CtExtValues | undefined): { ct?: CtExtValues } {
	return ct === undefined ? {} : { ct };
}

/** Edges of a 32-bit interval (lo-1, lo, hi, hi+1), clamped. */
export function u32Edges(lo: number, hi: number): number[] {
	return [lo - 1, lo, hi, hi + 1].filter((x) => x >= 0 && x <= 0xffffffff);
}

/** Values around a masked compare: the value, a bit outside the mask, the lowest mask bit flipped. */
export function maskedEdges(value: number, mask: number): number[] {
	const v = (value & mask) >>> 0;
	const low = mask & -mask;
	const out = [value >>> 0, v, (v | (~mask >>> 0 & 0xff)) >>> 0];
	if (low !== 0) out.push((v ^ low) >>> 0);
	return out;
}

/** Names the kernel's conntrack helpers use (a packet's master helper is one of these or a rule's). */
const KNOWN_HELPERS = ["ftp", "sip", "tftp", "irc"];

/** Draws the optional details for one packet. */
export class ExtGen {
	private readonly rng: Prng;
	private readonly ext: ExtValues | undefined;
	constructor(ext: ExtValues | undefined, seed: number) {
		this.ext = ext;
		this.rng = new Prng(seed ^ 0x5eed0e47);
	}

	/** Fields to spread into a packet of this family and protocol (`local`: locally generated). */
	fields(fam: Fam, proto: number, local: boolean, flow: boolean): Partial<Packet> {
		const x = this.ext;
		if (x === undefined) return {};
		const r = this.rng;
		const pick = (xs: readonly number[], other: () => number): number => (xs.length > 0 && r.chance(0.7) ? r.pick(xs) : other());
		const out: { -readonly [K in keyof Packet]?: Packet[K] } = {};
		if ((proto === 50 || proto === 51) && (x.spis.length > 0 || r.chance(0.5))) out.spi = pick(x.spis, () => r.u32());
		if (proto === 33) out.dccpType = pick(x.dccpTypes, () => r.int(0, 15));
		if (fam === 6 && x.exthdrs) {
			if (r.chance(0.4)) out.rt = { type: pick(x.rtTypes, () => r.pick([0, 2, 3, 4])), segsleft: pick(x.rtSegsleft, () => r.int(0, 255)) & 0xff, hdrlen: pick(x.rtHdrlens, () => r.int(0, 16)) & 0xff };
			out.fragId = pick(x.fragIds, () => r.u32());
			if (r.chance(0.2)) out.fragRes = r.int(1, 255);
			if (r.chance(0.2)) out.fragRes2 = r.int(1, 3);
		}
		if (fam === 6 && x.optsHdrs) {
			if (r.chance(0.5)) out.hbhLen = pick(x.hbhLens, () => r.int(0, 4)) & 0xff;
			if (r.chance(0.5)) out.dstLen = pick(x.dstLens, () => r.int(0, 4)) & 0xff;
		}
		if (proto === 135) {
			out.mhType = pick(x.mhTypes, () => r.int(0, 12)) & 0xff;
			// RFC 6275 wants Payload Proto 59; ip6t_mh drops any other value.
			if (r.chance(0.15)) out.mhProto = r.pick([0, 6, 17, 58]);
		}
		if (proto === 108) out.cpi = pick(x.cpis, () => r.int(0, 0xffff)) & 0xffff;
		if (proto === 6 && x.msss.length > 0) out.mss = pick(x.msss, () => r.int(536, 1460)) & 0xffff;
		if (x.cpus.length > 0) out.cpu = pick(x.cpus, () => r.int(0, 7));
		if (x.realms.length > 0) out.realm = pick(x.realms, () => r.int(0, 255));
		if (x.cgroups.length > 0 && local) out.cgroup = pick(x.cgroups, () => r.u32());
		if (x.clock) out.timeNs = this.time(x);
		if (x.connCounts.length > 0) out.connCount = pick(x.connCounts, () => r.int(1, 8));
		if (x.ipsec) {
			out.secpath = r.chance(0.5);
			out.xfrmOut = r.chance(0.5);
		}
		void flow;
		return out;
	}

	/** A clock reading: on a rule's date edge, or a day in 2019..2037 at one of its times of day. */
	private time(x: ExtValues): bigint {
		const r = this.rng;
		const sub = BigInt(r.pick([0, 500_000_000, 999_999_999, r.int(0, 999_999_999)]));
		let sec: number;
		if (x.dates.length > 0 && r.chance(0.4)) sec = r.pick(x.dates);
		else {
			const day = r.int(17897, 24836); // 2019-01-01 … 2037-12-31
			sec = day * 86400 + (x.hours.length > 0 && r.chance(0.7) ? r.pick(x.hours) : r.int(0, 86399));
		}
		return BigInt(Math.max(0, sec)) * 1_000_000_000n + sub;
	}

	/**
	 * Details that depend on the finished packet: the sockets the host has for it (an established
	 * or TIME_WAIT socket of its tuple; listeners on the rules' ports, on its own port, bound to the
	 * rules' addresses or the wildcard, transparent or not).
	 */
	finish(pkt: Packet): Packet {
		const x = this.ext;
		if (x?.ct !== undefined) addCtDetails(x.ct, this.rng, pkt);
		if (x?.u32Words !== undefined && x.u32Words.length > 0 && this.rng.chance(0.6)) placeWord(pkt, this.rng.pick(x.u32Words), this.rng);
		if (x === undefined || !x.sockets || (pkt.proto !== 6 && pkt.proto !== 17)) return pkt;
		const r = this.rng;
		const sock = (): SockInfo => ({ transparent: r.chance(0.6), wildcard: r.chance(0.3), full: pkt.proto !== 6 || r.chance(0.8), mark: r.chance(0.5) ? 0 : r.int(1, 255) });
		const listeners: { port: number; addr?: bigint; sk: SockInfo }[] = [];
		for (const port of [...x.listenPorts.filter((p) => p !== 0), pkt.dport]) {
			if (!r.chance(0.6)) continue;
			const addr = r.chance(0.5) ? undefined : x.listenAddrs.length > 0 && r.chance(0.6) ? r.pick(x.listenAddrs) : pkt.daddr;
			listeners.push({ port, ...(addr !== undefined ? { addr } : {}), sk: { ...sock(), full: true } });
		}
		pkt.sockets = { ...(r.chance(0.3) ? { established: sock() } : {}), listeners };
		return pkt;
	}

	/** The master's helper for a single packet's connection (flows start new: no master). */
	helper(flow: boolean): string | undefined {
		const x = this.ext;
		if (x === undefined || x.helpers.length === 0 || flow || !this.rng.chance(0.6)) return undefined;
		return this.rng.pick([...x.helpers, ...KNOWN_HELPERS]);
	}
}

/** Payloads longer than this are not built (the word is left to chance). */
const MAX_PAYLOAD_OFF = 4096;

/**
 * Puts a word a raw read compares into the packet's payload when the read lands there (header
 * bytes come from the packet's fields), and sets the length on or just around the read's end.
 */
function placeWord(pkt: Packet, w: U32Word, r: Prng): void {
	const wire = packetWire({ ...pkt, payload: undefined });
	// u32's header skip reads behind the IP header also on later fragments (where nft has no @th).
	const base = w.base === "nh" ? 0 : w.base === "th" ? (wire.thoff ?? wire.l3len) : wire.payloadOff;
	if (base === undefined) return;
	const abs = base + w.off;
	if (abs < wire.payloadOff || abs - wire.payloadOff > MAX_PAYLOAD_OFF) return;
	const payload: number[] = new Array<number>(abs - wire.payloadOff).fill(0);
	payload.push((w.value >>> 24) & 0xff, (w.value >>> 16) & 0xff, (w.value >>> 8) & 0xff, w.value & 0xff);
	pkt.payload = payload;
	const end = abs + 4;
	const lens = [end, end, end + r.int(1, 64), end - 1];
	pkt.length = Math.min(0xffff, Math.max(pkt.length < end || r.chance(0.5) ? r.pick(lens) : pkt.length, 20));
}

/**
 * Corpus values for the conntrack details of connbytes/connlabel/cluster (packet.ts CtInfo acct,
 * labels; the packet type xt_cluster rewrites): the edges both boundary extractors collect, and
 * the generator that puts them on single-packet scenarios (flows count their own packets).
 */
import type { Prng } from "./prng.js";
import type { CtAcct, Packet } from "./packet.js";

export interface CtExtValues {
	/** Counter values around the edges of packet-count, byte-count and average-size tests. */
	acctPackets: bigint[];
	acctBytes: bigint[];
	acctAvg: bigint[];
	/** Label bits a rule tests or sets. */
	labelBits: number[];
	/** Some rule hashes the connection for a cluster (and may rewrite the packet type). */
	cluster: boolean;
}

const U64_MAX = (1n << 64n) - 1n;

export function emptyCtExt(): CtExtValues {
	return { acctPackets: [], acctBytes: [], acctAvg: [], labelBits: [], cluster: false };
}

/** Values on both sides of each end of [lo, hi] (and one step further, since conntrack adds the packet itself). */
export function counterEdges(lo: bigint, hi: bigint): bigint[] {
	const out: bigint[] = [];
	for (const e of [lo, hi]) for (const d of [-2n, -1n, 0n, 1n]) if (e + d >= 0n && e + d <= U64_MAX) out.push(e + d);
	return out;
}

const uniqBig = (xs: readonly bigint[]): bigint[] => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export function mergeCtExt(xs: readonly (CtExtValues | undefined)[]): CtExtValues | undefined {
	const present = xs.filter((x): x is CtExtValues => x !== undefined);
	if (present.length === 0) return undefined;
	return {
		acctPackets: uniqBig(present.flatMap((x) => x.acctPackets)),
		acctBytes: uniqBig(present.flatMap((x) => x.acctBytes)),
		acctAvg: uniqBig(present.flatMap((x) => x.acctAvg)),
		labelBits: [...new Set(present.flatMap((x) => x.labelBits))].sort((a, b) => a - b),
		cluster: present.some((x) => x.cluster),
	};
}

function tracked(p: Packet): boolean {
	return p.ct.state !== "invalid" && p.ct.state !== "untracked";
}

/**
 * Puts counters, labels and (for cluster rules) a multicast packet type on a packet. Counters
 * are what the rules see, this packet included; the path subtracts the packet before conntrack
 * adds it again (sim/path.ts), so a counter below the packet's own share rises to it.
 */
export function addCtDetails(x: CtExtValues, r: Prng, pkt: Packet): void {
	if (x.cluster && pkt.iif !== undefined && r.chance(0.3)) pkt.pkttype = "multicast";
	if (!tracked(pkt)) return;
	if (x.labelBits.length > 0 && r.chance(0.8)) {
		let labels = 0n;
		for (const b of x.labelBits) if (r.chance(0.5)) labels |= 1n << BigInt(b);
		if (r.chance(0.2)) labels |= 1n << BigInt(r.int(0, 127));
		pkt.ct.labels = labels;
	}
	const kinds = [x.acctPackets.length > 0 ? "packets" : "", x.acctBytes.length > 0 ? "bytes" : "", x.acctAvg.length > 0 ? "avgpkt" : ""].filter((k) => k !== "");
	if (kinds.length === 0 || !r.chance(0.85)) return;
	const small = (): bigint => BigInt(r.int(0, 12));
	let op = small();
	let rp = small();
	let ob = op * BigInt(r.int(20, 1500));
	let rb = rp * BigInt(r.int(20, 1500));
	const toward = r.int(0, 2); // 0: the original direction's counters, 1: the reply's, 2: split over both
	const split = (t: bigint): [bigint, bigint] => {
		const a = t <= 1n ? (r.chance(0.5) ? t : 0n) : BigInt(r.int(0, 3)) * (t / 4n);
		return [a, t - a];
	};
	const kind = r.pick(kinds);
	if (kind === "packets") {
		const t = r.pick(x.acctPackets);
		if (toward === 0) op = t;
		else if (toward === 1) rp = t;
		else [op, rp] = split(t);
	} else if (kind === "bytes") {
		const t = r.pick(x.acctBytes);
		if (toward === 0) ob = t;
		else if (toward === 1) rb = t;
		else [ob, rb] = split(t);
		// A small byte count on the packet's own side is only reachable by a small packet.
		const own = pkt.ct.dir === "original" ? ob : rb;
		const min = pkt.fam === 4 ? 20 : 40;
		if (own < BigInt(pkt.length) && own >= BigInt(min)) pkt.length = Number(own);
	} else {
		// bytes / packets lands on the average exactly, or just below the next one.
		const avg = r.pick(x.acctAvg);
		const p = BigInt(r.pick([1, 2, 3, 7, 100]));
		const b = avg * p + (r.chance(0.5) ? 0n : p - 1n);
		if (toward === 0) [op, ob] = [p, b];
		else if (toward === 1) [rp, rb] = [p, b];
		else {
			const [p1, p2] = split(p);
			op = p1;
			rp = p2;
			ob = avg * p1;
			rb = b - ob;
		}
	}
	const acct: CtAcct = { origPackets: op, origBytes: ob, replyPackets: rp, replyBytes: rb };
	pkt.ct.acct = acct;
}

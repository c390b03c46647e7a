/**
 * Boundary values: the constants a ruleset compares packets against, so the corpus can put
 * packets on both sides of every edge. Both evaluators' extractors (`iptBoundaryValues`,
 * `nftBoundaryValues`) return this shape; the corpus generator merges them.
 *
 * Conventions (both extractors follow them, so the two sides probe the same packets):
 * - addresses: for a prefix, its first and last address and the addresses just outside
 *   (first-1, last+1), plus the address itself for host routes; for ranges the edges ±1.
 * - ports (and other 16-bit intervals): lo-1, lo, hi, hi+1, clamped to 0..65535.
 * - ifaces: concrete names; a wildcard `eth+` / `"eth*"` contributes `wildcardMember("eth")`.
 * - marks: value, value with all bits outside the mask set, value with the lowest mask bit
 *   flipped, for both meta mark and ct mark.
 * - tcpFlags: whole flag bytes: the compared value and the value with each masked bit flipped.
 */
import type { Fam } from "../ir/ipt.js";
import { mergeExt, type ExtValues } from "./ext-values.js";
import type { CtState } from "./packet.js";

export interface BoundaryValues {
	fams: Set<Fam>;
	addrs4: bigint[];
	addrs6: bigint[];
	ports: number[];
	ifaces: string[];
	marks: number[];
	protos: number[];
	icmpTypes: number[];
	tcpFlags: number[];
	/**
	 * Optional: value combinations one rule tests together (e.g. kube-proxy's `-d 10.96.0.1/32
	 * -p tcp --dport 1081`), so the corpus hits them jointly, not only one field at a time.
	 */
	probes?: Probe[];
	/** Optional extras: packet lengths, uid/gid values, MAC addresses, TTLs, DSCP values. */
	lengths?: number[];
	ids?: number[];
	macs?: bigint[];
	ttls?: number[];
	dscps?: number[];
	/** Optional: values for the packet's optional details (SPI, extension headers, realm…). */
	ext?: ExtValues;
}

/** Fields one rule constrains together; absent fields are free. */
export interface Probe {
	readonly fam: Fam;
	readonly saddr?: bigint;
	readonly daddr?: bigint;
	readonly proto?: number;
	readonly sport?: number;
	readonly dport?: number;
	readonly iif?: string;
	readonly oif?: string;
	readonly mark?: number;
	/** The rule needs a locally generated packet (OUTPUT) or an arriving one (PREROUTING, INPUT, FORWARD). */
	readonly local?: boolean;
	/** The rule is on the input path (INPUT): only packets to the host's own addresses reach it. */
	readonly toHost?: boolean;
	/** A conntrack state the rule accepts (ct state / -m state / --ctstate). */
	readonly ctState?: CtState;
	/** A TCP flag byte the rule accepts (--tcp-flags, --syn). */
	readonly tcpFlags?: number;
	readonly icmpType?: number;
	/**
	 * Values just inside and just outside the rule's edges for the fields above (prefix first/last
	 * and first-1/last+1, port lo-1/lo/hi/hi+1), so rule-aimed packets also land next to the rule:
	 * that is where a prefix length or a port off by one shows.
	 */
	readonly alts?: ProbeAlts;
}

export interface ProbeAlts {
	readonly saddr?: readonly bigint[];
	readonly daddr?: readonly bigint[];
	readonly sport?: readonly number[];
	readonly dport?: readonly number[];
}

export function emptyBoundary(): BoundaryValues {
	return {
		fams: new Set(),
		addrs4: [],
		addrs6: [],
		ports: [],
		ifaces: [],
		marks: [],
		protos: [],
		icmpTypes: [],
		tcpFlags: [],
		probes: [],
		lengths: [],
		ids: [],
		macs: [],
		ttls: [],
		dscps: [],
	};
}

/** The one concrete interface standing for a wildcard prefix (`eth+` -> `eth0`). */
export function wildcardMember(prefix: string): string {
	return prefix.length >= 15 ? prefix : prefix + "0";
}

function uniqSorted<T extends number | bigint>(xs: readonly T[]): T[] {
	return [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** push(...xs) without the argument limit (kube-proxy rulesets have >100k boundary values). */
function pushAll<T>(out: T[], xs: readonly T[]): void {
	for (const x of xs) out.push(x);
}

/** Union of boundary sets, deduplicated and sorted (so the corpus does not depend on order). */
export function mergeBoundary(...bvs: readonly BoundaryValues[]): BoundaryValues {
	const out = emptyBoundary();
	for (const b of bvs) {
		for (const f of b.fams) out.fams.add(f);
		pushAll(out.addrs4, b.addrs4);
		pushAll(out.addrs6, b.addrs6);
		pushAll(out.ports, b.ports);
		pushAll(out.ifaces, b.ifaces);
		pushAll(out.marks, b.marks);
		pushAll(out.protos, b.protos);
		pushAll(out.icmpTypes, b.icmpTypes);
		pushAll(out.tcpFlags, b.tcpFlags);
		pushAll(out.probes!, b.probes ?? []);
		pushAll(out.lengths!, b.lengths ?? []);
		pushAll(out.ids!, b.ids ?? []);
		pushAll(out.macs!, b.macs ?? []);
		pushAll(out.ttls!, b.ttls ?? []);
		pushAll(out.dscps!, b.dscps ?? []);
	}
	return {
		fams: new Set([...out.fams].sort()),
		addrs4: uniqSorted(out.addrs4),
		addrs6: uniqSorted(out.addrs6),
		ports: uniqSorted(out.ports),
		ifaces: [...new Set(out.ifaces)].sort(),
		marks: uniqSorted(out.marks),
		protos: uniqSorted(out.protos),
		icmpTypes: uniqSorted(out.icmpTypes),
		tcpFlags: uniqSorted(out.tcpFlags),
		probes: out.probes!,
		lengths: uniqSorted(out.lengths!),
		ids: uniqSorted(out.ids!),
		macs: uniqSorted(out.macs!),
		ttls: uniqSorted(out.ttls!),
		dscps: uniqSorted(out.dscps!),
		...withExt(mergeExt(bvs.map((b) => b.ext))),
	};
}

function withExt(ext: ExtValues | undefined): { ext?: ExtValues } {
	return ext === undefined ? {} : { ext };
}

// ---------------------------------------------------------------------------------------------
// Helpers for extractors (both sides use them so edges are computed one way)

/** Edges of an inclusive interval of width `bits`, clamped. */
export function intervalEdges(lo: number, hi: number, max = 65535): number[] {
	return [lo - 1, lo, hi, hi + 1].filter((x) => x >= 0 && x <= max);
}

export function prefixEdges(fam: Fam, addr: bigint, mask: bigint): bigint[] {
	const all = fam === 4 ? 0xffffffffn : (1n << 128n) - 1n;
	const first = addr & mask;
	const last = first | (all & ~mask);
	const out = [first, last];
	if (first > 0n) out.push(first - 1n);
	if (last < all) out.push(last + 1n);
	return out;
}

export function rangeEdges(fam: Fam, lo: bigint, hi: bigint): bigint[] {
	const all = fam === 4 ? 0xffffffffn : (1n << 128n) - 1n;
	const out = [lo, hi];
	if (lo > 0n) out.push(lo - 1n);
	if (hi < all) out.push(hi + 1n);
	return out;
}

/** Marks around a value/mask comparison. */
export function markEdges(value: number, mask: number): number[] {
	const v = (value & mask) >>> 0;
	const out = [v, (v | ~mask) >>> 0];
	const low = mask & -mask;
	if (low !== 0) out.push((v ^ low) >>> 0);
	return out;
}

/** Flag bytes around a (flags & mask) == comp comparison. */
export function flagEdges(mask: number, comp: number): number[] {
	const out = [comp & 0xff];
	for (let b = 1; b <= 0x80; b <<= 1) if (mask & b) out.push((comp ^ b) & 0xff);
	return out;
}

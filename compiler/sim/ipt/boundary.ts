/**
 * What an iptables ruleset compares packets against (for the corpus) and which interfaces and
 * subnets it names (for the default host).
 */
import type * as ipt from "../../ir/ipt.js";
import type { Fam } from "../../ir/ipt.js";
import { assertNever } from "../../ir/span.js";
import {
	emptyBoundary,
	flagEdges,
	intervalEdges,
	markEdges,
	mergeBoundary,
	prefixEdges,
	rangeEdges,
	wildcardMember,
	type BoundaryValues,
	type Probe,
	type ProbeAlts,
} from "../boundary.js";
import type { CtState } from "../packet.js";
import type { HostHints, SubnetHint } from "../host.js";
import { emptyExt, maskedEdges, u32Edges, type ExtValues } from "../ext-values.js";
import { counterEdges, emptyCtExt, type CtExtValues } from "../ct-ext.js";
import { foldU32, type U32Fold } from "../../ir/u32.js";
import { addU32Values } from "../u32-values.js";

export function iptBoundaryValues(rs: ipt.Ruleset): BoundaryValues {
	const b = emptyBoundary();
	const addr = (fam: Fam, xs: bigint[]): void => {
		(fam === 4 ? b.addrs4 : b.addrs6).push(...xs);
	};
	const am = (a: ipt.AddrMask): void => addr(a.fam, prefixEdges(a.fam, a.addr, a.mask));
	const ports = (p: ipt.PortRange): void => {
		b.ports.push(...intervalEdges(p.lo, p.hi));
	};
	const iface = (i: ipt.Iface): void => {
		b.ifaces.push(i.wildcard ? wildcardMember(i.name) : i.name);
	};
	for (const t of rs.tables) {
		const fam: Fam = t.family === "ip" ? 4 : 6;
		b.fams.add(fam);
		for (const c of t.chains) {
			for (const r of c.rules) {
				if (r.src) am(r.src.value);
				if (r.dst) am(r.dst.value);
				if (r.iif) iface(r.iif.value);
				if (r.oif) iface(r.oif.value);
				if (r.proto) b.protos.push(r.proto.value);
				for (const m of r.matches) matchValues(m, b, am, addr, ports);
				if (r.target) targetValues(r.target, b, fam, addr, ports);
			}
		}
		// A loop, not push(...): kube-proxy tables have more probes than the call stack takes arguments.
		for (const p of tableProbes(t, fam)) b.probes!.push(p);
	}
	return mergeBoundary(b);
}

/** Entries kept per chain: enough to reach a user chain the ways its main callers do. */
const MAX_ENTRIES = 3;

/**
 * One probe per rule and way into its chain: a rule in a user chain inherits the fields of the
 * rules that jump there (`-A INPUT -i eth0 -j LanIn` gives every LanIn rule `iif eth0`), and a rule
 * reached from OUTPUT asks for a locally generated packet. Without the caller's fields a probe
 * aimed at `-s 192.168.13.0/24 -p tcp --dport 22` mostly arrives on an interface that never
 * reaches the rule.
 */
function tableProbes(t: ipt.Table, fam: Fam): Probe[] {
	const byName = new Map(t.chains.map((c) => [c.name, c] as const));
	const entries = new Map<string, Probe[]>();
	const queue: string[] = [];
	for (const c of t.chains) {
		if (!c.builtin) continue;
		const local = c.name === "OUTPUT" ? true : c.name === "POSTROUTING" ? undefined : false;
		entries.set(c.name, [local === undefined ? { fam } : c.name === "INPUT" ? { fam, local, toHost: true } : { fam, local }]);
		queue.push(c.name);
	}
	// Breadth first from the base chains: the shortest ways in come first.
	for (let q = 0; q < queue.length; q++) {
		const name = queue[q]!;
		const c = byName.get(name);
		if (!c) continue;
		for (const r of c.rules) {
			const to = r.target && (r.target.kind === "jump" || r.target.kind === "goto") ? r.target.chain : undefined;
			if (to === undefined || !byName.has(to)) continue;
			const list = entries.get(to) ?? [];
			if (list.length >= MAX_ENTRIES) continue;
			const fresh = list.length === 0;
			for (const e of entries.get(name) ?? []) if (list.length < MAX_ENTRIES) list.push(mergeProbe(e, probeOf(r, fam)));
			entries.set(to, list);
			if (fresh) queue.push(to);
		}
	}
	const out: Probe[] = [];
	for (const c of t.chains) {
		const ins = entries.get(c.name) ?? [{ fam }];
		for (const r of c.rules) for (const e of ins) out.push(mergeProbe(e, probeOf(r, fam)));
	}
	return out;
}

/** The rule's own fields win; the caller's fill the rest. */
function mergeProbe(outer: Probe, inner: Probe): Probe {
	const alts = outer.alts || inner.alts ? { ...outer.alts, ...inner.alts } : undefined;
	const m: Probe = { ...outer, ...definedOnly(inner) };
	return alts ? { ...m, alts } : m;
}

function definedOnly(p: Probe): Partial<Probe> {
	return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Partial<Probe>;
}

function matchValues(
	m: ipt.Match,
	b: BoundaryValues,
	am: (a: ipt.AddrMask) => void,
	addr: (fam: Fam, xs: bigint[]) => void,
	ports: (p: ipt.PortRange) => void,
): void {
	switch (m.kind) {
		case "tcp":
			b.protos.push(6);
			if (m.sport) ports(m.sport.value);
			if (m.dport) ports(m.dport.value);
			if (m.flags) b.tcpFlags.push(...flagEdges(m.flags.value.mask, m.flags.value.comp));
			return;
		case "udp":
			b.protos.push(17);
			if (m.sport) ports(m.sport.value);
			if (m.dport) ports(m.dport.value);
			return;
		case "icmp":
		case "icmpv6":
			b.protos.push(m.kind === "icmp" ? 1 : 58);
			if (m.spec.value !== "any") b.icmpTypes.push(m.spec.value.type);
			return;
		case "multiport":
			for (const p of m.ports.value) ports(p);
			return;
		case "conntrack":
			for (const a of [m.origSrc, m.origDst, m.replSrc, m.replDst]) if (a) am(a.value);
			for (const p of [m.origSrcPort, m.origDstPort, m.replSrcPort, m.replDstPort]) if (p) ports(p.value);
			if (m.proto) b.protos.push(m.proto.value);
			return;
		case "mark":
		case "connmark":
			b.marks.push(...markEdges(m.mark.value.value, m.mark.value.mask));
			return;
		case "iprange":
			for (const r of [m.src, m.dst]) if (r) addr(r.value.fam, rangeEdges(r.value.fam, r.value.lo, r.value.hi));
			return;
		case "length":
			b.lengths!.push(...intervalEdges(m.length.value.lo, m.length.value.hi));
			return;
		case "owner":
			for (const r of [m.uid, m.gid]) if (r) b.ids!.push(...intervalEdges(r.value.lo, r.value.hi, 0xffffffff));
			return;
		case "mac":
			b.macs!.push(m.src.value, m.src.value ^ 1n);
			return;
		case "hl":
			b.ttls!.push(m.value - 1, m.value, m.value + 1);
			return;
		case "dscp":
			b.dscps!.push(m.dscp.value);
			return;
		case "sctp":
			b.protos.push(132);
			if (m.sport) ports(m.sport.value);
			if (m.dport) ports(m.dport.value);
			return;
		case "rt": {
			const x = ext(b);
			x.exthdrs = true;
			if (m.type) x.rtTypes.push(m.type.value, m.type.value + 1);
			if (m.segsleft) x.rtSegsleft.push(...u32Edges(m.segsleft.value.lo, Math.min(m.segsleft.value.hi, 256)));
			if (m.len) x.rtHdrlens.push(...[m.len.value / 8 - 1, m.len.value / 8].filter((n) => Number.isInteger(n) && n >= 0 && n <= 255));
			return;
		}
		case "frag": {
			const x = ext(b);
			x.exthdrs = true;
			if (m.id) x.fragIds.push(...u32Edges(m.id.value.lo, m.id.value.hi));
			return;
		}
		case "hbh":
		case "dst": {
			const x = ext(b);
			x.optsHdrs = true;
			// --hbh-len is in bytes: the raw lengths on both sides of it.
			if (m.len) (m.kind === "hbh" ? x.hbhLens : x.dstLens).push(...[m.len.value / 8 - 2, m.len.value / 8 - 1, m.len.value / 8].filter((n) => Number.isInteger(n) && n >= 0 && n <= 255));
			return;
		}
		case "mh": {
			b.protos.push(135);
			const x = ext(b);
			if (m.type) x.mhTypes.push(...u32Edges(m.type.value.lo, m.type.value.hi).filter((n) => n <= 255));
			return;
		}
		case "ipcomp": {
			b.protos.push(108);
			const x = ext(b);
			if (m.spi) x.cpis.push(...u32Edges(m.spi.value.lo, m.spi.value.hi).filter((n) => n <= 0xffff), 0xffff);
			return;
		}
		case "ipv6header": {
			// Chains that end in ESP, "no next header" or AH, and every extension header the model has.
			b.protos.push(50, 51, 59);
			const x = ext(b);
			x.optsHdrs = true;
			x.exthdrs = true;
			return;
		}
		case "tcpmss":
			b.protos.push(6);
			ext(b).msss.push(...u32Edges(m.mss.value.lo, m.mss.value.hi).filter((n) => n <= 0xffff));
			return;
		case "ah":
		case "esp":
			b.protos.push(m.kind === "esp" ? 50 : 51);
			if (m.spi) ext(b).spis.push(...u32Edges(m.spi.value.lo, m.spi.value.hi));
			else ext(b);
			return;
		case "dccp":
			b.protos.push(33);
			if (m.sport) ports(m.sport.value);
			if (m.dport) ports(m.dport.value);
			if (m.types) ext(b).dccpTypes.push(...m.types.value, ...m.types.value.map((t) => (t + 1) & 15));
			return;
		case "helper":
			ext(b).helpers.push(m.name.value);
			return;
		case "realm":
			ext(b).realms.push(...maskedEdges(m.realm.value.value, m.realm.value.mask));
			return;
		case "cpu":
			ext(b).cpus.push(m.cpu.value, m.cpu.value + 1);
			return;
		case "cgroup":
			if (m.classid) ext(b).cgroups.push(m.classid.value, m.classid.value + 1);
			return;
		case "policy":
			ext(b).ipsec = true;
			return;
		case "time": {
			const x = ext(b);
			x.clock = true;
			for (const d of [m.dateStart, m.dateStop]) if (d !== undefined) x.dates.push(d - 1, d, d + 1);
			for (const t of [m.timeStart, m.timeStop]) x.hours.push(...[t - 1, t, t + 1].map((v) => (v + 86400) % 86400));
			return;
		}
		case "connlimit":
			ext(b).connCounts.push(m.limit, m.limit + 1);
			return;
		case "tos":
		case "ecn":
		case "rpfilter":
		case "physdev":
		case "string":
		case "devgroup":
		case "socket":
			ext(b).sockets = true;
			return;
		case "connbytes": {
			const c = ctExt(b);
			const lo = m.from < m.to ? m.from : m.to;
			const hi = m.from < m.to ? m.to : m.from;
			(m.mode === "packets" ? c.acctPackets : m.mode === "bytes" ? c.acctBytes : c.acctAvg).push(...counterEdges(lo, hi));
			return;
		}
		case "connlabel":
			ctExt(b).labelBits.push(m.bit);
			return;
		case "cluster":
			ctExt(b).cluster = true;
			return;
		case "u32":
			u32MatchValues(m, b);
			return;
		case "nfacct":
		case "recent":
		case "set":
		case "hashlimit":
		case "quota":
		case "state":
		case "addrtype":
		case "comment":
		case "limit":
		case "pkttype":
		case "statistic":
		case "unknown":
			return;
		default:
			return assertNever(m, "match");
	}
}

/** The conntrack details' values (sim/ct-ext.ts), created on first use. */
function ctExt(b: BoundaryValues): CtExtValues {
	const x = ext(b);
	x.ct ??= emptyCtExt();
	return x.ct;
}

/** The boundary's optional-detail values, created on first use. */
function ext(b: BoundaryValues): ExtValues {
	b.ext ??= emptyExt();
	return b.ext;
}

function targetValues(t: ipt.Target, b: BoundaryValues, fam: Fam, addr: (fam: Fam, xs: bigint[]) => void, ports: (p: ipt.PortRange) => void): void {
	switch (t.kind) {
		case "dnat":
		case "snat":
			if (t.range.addrLo !== undefined) addr(t.fam, [t.range.addrLo, t.range.addrHi ?? t.range.addrLo]);
			if (t.range.portLo !== undefined) ports({ lo: t.range.portLo, hi: t.range.portHi ?? t.range.portLo });
			return;
		case "masquerade":
		case "redirect":
			if (t.ports) ports(t.ports);
			return;
		case "mark":
		case "connmark-set":
			b.marks.push(t.value >>> 0, (t.value ^ t.mask) >>> 0);
			return;
		case "tproxy": {
			const x = ext(b);
			x.sockets = true;
			x.listenPorts.push(t.port);
			if (t.addr !== undefined) x.listenAddrs.push(t.addr);
			if (t.mark) b.marks.push(t.mark.value >>> 0, (t.mark.value ^ t.mark.mask) >>> 0);
			return;
		}
		default:
			void fam;
			return;
	}
}

/** The positive fields of one rule, taken together, with the values around its edges. */
function probeOf(r: ipt.Rule, fam: Fam): Probe {
	const p: { -readonly [K in keyof Probe]: Probe[K] } = { fam };
	const alts: { -readonly [K in keyof ProbeAlts]: ProbeAlts[K] } = {};
	if (r.src && !r.src.neg) p.saddr = r.src.value.addr;
	if (r.dst && !r.dst.neg) p.daddr = r.dst.value.addr;
	if (r.src) alts.saddr = prefixEdges(fam, r.src.value.addr, r.src.value.mask);
	if (r.dst) alts.daddr = prefixEdges(fam, r.dst.value.addr, r.dst.value.mask);
	if (r.proto && !r.proto.neg) p.proto = r.proto.value;
	if (r.iif && !r.iif.neg) p.iif = r.iif.value.wildcard ? wildcardMember(r.iif.value.name) : r.iif.value.name;
	if (r.oif && !r.oif.neg) p.oif = r.oif.value.wildcard ? wildcardMember(r.oif.value.name) : r.oif.value.name;
	for (const m of r.matches) {
		if (m.kind === "tcp" || m.kind === "udp") {
			if (m.dport && !m.dport.neg) p.dport = m.dport.value.lo;
			if (m.sport && !m.sport.neg) p.sport = m.sport.value.lo;
			if (m.dport) alts.dport = intervalEdges(m.dport.value.lo, m.dport.value.hi);
			if (m.sport) alts.sport = intervalEdges(m.sport.value.lo, m.sport.value.hi);
			if (m.kind === "tcp" && m.flags && !m.flags.neg) p.tcpFlags = m.flags.value.comp;
		}
		if (m.kind === "multiport" && m.ports.value[0]) {
			if (!m.ports.neg && m.dir !== "src") p.dport = m.ports.value[0].lo;
			const edges = m.ports.value.flatMap((x) => intervalEdges(x.lo, x.hi));
			if (m.dir === "src") alts.sport = edges;
			else alts.dport = edges;
		}
		if ((m.kind === "icmp" || m.kind === "icmpv6") && !m.spec.neg && m.spec.value !== "any") p.icmpType = m.spec.value.type;
		if (m.kind === "mark" && !m.mark.neg) p.mark = m.mark.value.value;
		if ((m.kind === "state" || m.kind === "conntrack") && m.state && !m.state.neg) {
			const s = CT_STATE[m.state.value[0] ?? "SNAT"];
			if (s !== undefined) p.ctState = s;
		}
	}
	if (Object.keys(alts).length > 0) p.alts = alts;
	return p;
}

const CT_STATE: Readonly<Record<ipt.CtStateName, CtState | undefined>> = {
	NEW: "new",
	ESTABLISHED: "established",
	RELATED: "related",
	INVALID: "invalid",
	UNTRACKED: "untracked",
	SNAT: undefined,
	DNAT: undefined,
};

/** Interfaces named anywhere, and the prefixes used in the same rule as an interface. */
export function iptHostHints(rs: ipt.Ruleset): HostHints {
	const ifaces = new Set<string>();
	const addrs: SubnetHint[] = [];
	const groups = new Set<number>();
	for (const t of rs.tables) {
		for (const c of t.chains) {
			for (const r of c.rules) {
				for (const m of r.matches) {
					if (m.kind !== "devgroup") continue;
					for (const g of [m.src, m.dst]) if (g) for (const v of maskedEdges(g.value.value, g.value.mask)) groups.add(v);
				}
				const names: string[] = [];
				for (const i of [r.iif, r.oif]) {
					if (!i) continue;
					const n = i.value.wildcard ? wildcardMember(i.value.name) : i.value.name;
					ifaces.add(n);
					names.push(n);
				}
				// DNAT targets are hosts behind the box, never the box itself (no interface: they only
				// keep the host's own addresses off them).
				if (r.target?.kind === "dnat" && r.target.range.addrLo !== undefined) {
					addrs.push({ iface: "", fam: r.target.fam, addr: r.target.range.addrLo, len: r.target.fam === 4 ? 32 : 128 });
				}
				for (const n of names) {
					for (const a of [r.src, r.dst]) {
						if (a && a.value.prefixLen !== undefined) addrs.push({ iface: n, fam: a.value.fam, addr: a.value.addr, len: a.value.prefixLen });
					}
				}
			}
		}
	}
	return { ifaces: [...ifaces].sort(), addrs, ...(groups.size > 0 ? { groups: [...groups].sort((x, y) => x - y) } : {}) };
}

/** -m u32: each test's final read, relative to where the corpus can place it (u32-values.ts). */
function u32MatchValues(m: ipt.U32Match, b: BoundaryValues): void {
	const all: U32Fold = { mask: 0xffffffffn, shift: 0 };
	for (const t of m.tests) {
		const ats = t.ops.flatMap((o, i) => (o.op === "@" ? [i] : []));
		const last = ats[ats.length - 1];
		const f = foldU32(t.ops.slice(last === undefined ? 0 : last + 1)) ?? all;
		if (last === undefined) addU32Values(b, "nh", t.start, f, t.ranges);
		else addU32Values(b, ats.length === 1 ? "th" : "pl", t.ops[last]!.n, f, t.ranges);
	}
}

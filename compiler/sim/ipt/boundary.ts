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
} from "../boundary.js";
import type { HostHints, SubnetHint } from "../host.js";

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
				b.probes!.push(probeOf(r, fam));
			}
		}
	}
	return mergeBoundary(b);
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
		case "dccp":
			b.protos.push(m.kind === "sctp" ? 132 : 33);
			if (m.sport) ports(m.sport.value);
			if (m.dport) ports(m.dport.value);
			return;
		case "tos":
		case "ecn":
		case "rt":
		case "frag":
		case "ah":
		case "esp":
		case "rpfilter":
		case "physdev":
		case "policy":
		case "time":
		case "string":
		case "helper":
		case "devgroup":
		case "realm":
		case "cpu":
		case "cgroup":
		case "nfacct":
		case "socket":
		case "recent":
		case "connlimit":
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
		default:
			void fam;
			return;
	}
}

/** The positive fields of one rule, taken together. */
function probeOf(r: ipt.Rule, fam: Fam): Probe {
	const p: { -readonly [K in keyof Probe]: Probe[K] } = { fam };
	if (r.src && !r.src.neg) p.saddr = r.src.value.addr;
	if (r.dst && !r.dst.neg) p.daddr = r.dst.value.addr;
	if (r.proto && !r.proto.neg) p.proto = r.proto.value;
	if (r.iif && !r.iif.neg) p.iif = r.iif.value.wildcard ? wildcardMember(r.iif.value.name) : r.iif.value.name;
	if (r.oif && !r.oif.neg) p.oif = r.oif.value.wildcard ? wildcardMember(r.oif.value.name) : r.oif.value.name;
	for (const m of r.matches) {
		if ((m.kind === "tcp" || m.kind === "udp") && m.dport && !m.dport.neg) p.dport = m.dport.value.lo;
		if ((m.kind === "tcp" || m.kind === "udp") && m.sport && !m.sport.neg) p.sport = m.sport.value.lo;
		if (m.kind === "multiport" && !m.ports.neg && m.ports.value[0] && m.dir !== "src") p.dport = m.ports.value[0].lo;
		if (m.kind === "mark" && !m.mark.neg) p.mark = m.mark.value.value;
	}
	return p;
}

/** Interfaces named anywhere, and the prefixes used in the same rule as an interface. */
export function iptHostHints(rs: ipt.Ruleset): HostHints {
	const ifaces = new Set<string>();
	const addrs: SubnetHint[] = [];
	for (const t of rs.tables) {
		for (const c of t.chains) {
			for (const r of c.rules) {
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
	return { ifaces: [...ifaces].sort(), addrs };
}

/** A difference between two sides on one scenario, for humans and for JSON. */
import { formatAddr } from "./addr.js";
import { formatDistribution, formatEndpoint, type Distribution, type PacketOutcome } from "./outcome.js";
import type { Packet } from "./packet.js";
import type { Scenario } from "./scenario.js";
import { formatSpan } from "../ir/span.js";

export interface Difference {
	readonly scenario: Scenario;
	readonly oldName: string;
	readonly newName: string;
	readonly old: Distribution;
	readonly new: Distribution;
}

export function formatPacket(p: Packet): string {
	const where = p.iif === undefined ? "locally generated" : `in on ${p.iif}`;
	const l4 = p.proto === 6 ? "tcp" : p.proto === 17 ? "udp" : p.proto === 1 ? "icmp" : p.proto === 58 ? "icmpv6" : `proto ${p.proto}`;
	let s = `${l4} ${formatEndpoint(p.fam, p.saddr, p.sport, p.proto)} -> ${formatEndpoint(p.fam, p.daddr, p.dport, p.proto)} ${where}`;
	if (p.proto === 6) s += ` flags 0x${p.tcpFlags.toString(16)}`;
	if (p.proto === 1 || p.proto === 58) s += ` type ${p.icmpType} code ${p.icmpCode}`;
	if (p.fragOffset !== 0) s += ` fragment offset ${p.fragOffset}`;
	if (p.mark !== 0) s += ` mark 0x${p.mark.toString(16)}`;
	s += ` ct ${p.ct.state}${p.ct.dir === "reply" ? " (reply)" : ""}`;
	if (p.ct.mark !== 0) s += ` ctmark 0x${p.ct.mark.toString(16)}`;
	if (p.uid !== undefined) s += ` uid ${p.uid}`;
	if (p.overLimit) s += " over-limit";
	return s;
}

export function formatDifference(d: Difference): string {
	const head = `scenario #${d.scenario.id} (${d.scenario.kind}): ${formatPacket(d.scenario.pkt)}`;
	return [head, `${d.oldName}:`, indent(formatDistribution(d.old)), `${d.newName}:`, indent(formatDistribution(d.new))].join("\n");
}

function indent(s: string): string {
	return s
		.split("\n")
		.map((l) => "  " + l)
		.join("\n");
}

/** JSON-ready (bigints as strings, addresses printed). */
export function differenceToJson(d: Difference): unknown {
	const p = d.scenario.pkt;
	const dist = (x: Distribution): unknown => ({
		truncated: x.truncated,
		outcomes: x.entries.map((e) => ({ p: e.p, key: e.key, packets: e.outcome.packets.map(outcomeJson) })),
	});
	return {
		scenario: {
			id: d.scenario.id,
			kind: d.scenario.kind,
			packet: {
				...Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v])),
				saddr: formatAddr(p.fam, p.saddr),
				daddr: formatAddr(p.fam, p.daddr),
				srcMac: p.srcMac?.toString(16),
				ct: { ...p.ct, orig: undefined, reply: undefined },
			},
			text: formatPacket(p),
		},
		[d.oldName]: dist(d.old),
		[d.newName === d.oldName ? `${d.newName}-new` : d.newName]: dist(d.new),
	};
}

function outcomeJson(o: PacketOutcome): unknown {
	return {
		role: o.role,
		fate: o.fate,
		saddr: formatAddr(o.fam, o.saddr),
		daddr: formatAddr(o.fam, o.daddr),
		sport: o.sport,
		dport: o.dport,
		mark: o.mark,
		ctMark: o.ctMark,
		ctState: o.ctState,
		logs: o.logs,
		trace: o.trace.map((t) => ({ ...t, at: t.span ? formatSpan(t.span) : undefined })),
	};
}

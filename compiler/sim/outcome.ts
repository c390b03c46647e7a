/**
 * What happened to a packet, in a form two rulesets can be compared on: the fate, the packet as
 * it left (addresses and ports after NAT, mark, ct mark, MSS clamp, TTL/DSCP), and the log lines.
 * The trace (rules hit, with their source spans) is carried along for humans but never compared,
 * and neither are chain labels: `ip filter INPUT` and `table inet fw chain input` are the
 * same place.
 *
 * REJECT kinds are spelled as iptables spells them (`icmp-port-unreachable`, `tcp-reset`,
 * `icmp6-adm-prohibited`, ...); the nft evaluator maps `reject with ...` onto these names.
 */
import { assertNever, formatSpan } from "../ir/span.js";
import type { Fam, PktType } from "../ir/ipt.js";
import { formatAddr } from "./addr.js";
import type { DupAction, Hook, LogLine, TraceStep } from "./model.js";
import type { CtState } from "./packet.js";

export type Fate =
	| { readonly kind: "dropped"; readonly hook: Hook; readonly chain: string }
	| { readonly kind: "rejected"; readonly hook: Hook; readonly chain: string; readonly with: string }
	| { readonly kind: "queued"; readonly hook: Hook; readonly chain: string; readonly num: number; readonly bypass: boolean }
	/** Taken over by kernel code both sides share (SYNPROXY); `by` describes what it sends. */
	| { readonly kind: "stolen"; readonly hook: Hook; readonly chain: string; readonly by: string }
	| { readonly kind: "delivered" }
	| { readonly kind: "forwarded"; readonly oif: string }
	| { readonly kind: "sent"; readonly oif: string }
	/** Routing found no way (no route, or NAT had no address to use). */
	| { readonly kind: "unroutable"; readonly hook: Hook | "routing"; readonly reason: string }
	/** TTL / hop limit ran out while forwarding. */
	| { readonly kind: "expired" };

/** A copy sent to a gateway (TEE / `dup`), with the hook that sent it. */
export interface DupLine extends DupAction {
	readonly hook: Hook;
}

export interface PacketOutcome {
	/** `first`, `reply`, `follow-up` within a flow; `packet` for a single packet. */
	readonly role: "packet" | "first" | "reply" | "follow-up";
	readonly fate: Fate;
	readonly fam: Fam;
	readonly proto: number;
	readonly saddr: bigint;
	readonly daddr: bigint;
	readonly sport: number;
	readonly dport: number;
	readonly mark: number;
	readonly ctMark: number;
	readonly ctState: CtState;
	readonly ttl: number;
	readonly dscp: number;
	readonly mssClamp?: number | "pmtu";
	/** The TCP option kinds left after TCPOPTSTRIP / `reset tcp option` (only when one ran). */
	readonly tcpOptions?: readonly number[];
	/** Security marks of the packet and of its connection; absent: 0. */
	readonly secmark?: number;
	readonly ctSecmark?: number;
	/** The helper attached to the packet's connection itself (CT --helper, `ct helper set`); absent: none. */
	readonly ctHelper?: string;
	/** The connection's label bits (connlabel --set, `ct label set`); absent: none. */
	readonly ctLabels?: bigint;
	/** The packet type when a rule changed it (xt_cluster, `meta pkttype set`); absent: unchanged. */
	readonly pkttype?: PktType;
	readonly logs: readonly LogLine[];
	/** Copies sent to gateways, in order (compared whatever the packet's own fate); absent: none. */
	readonly dups?: readonly DupLine[];
	/** Every rule and policy hit, with source spans (not compared). */
	readonly trace: readonly TraceStep[];
}

export interface ScenarioOutcome {
	readonly packets: readonly PacketOutcome[];
}

/** Whether a fate lets the packet on (its rewritten header and marks then matter). */
function passes(f: Fate): boolean {
	return f.kind === "delivered" || f.kind === "forwarded" || f.kind === "sent";
}

function fateKey(f: Fate): string {
	switch (f.kind) {
		case "dropped":
			return `dropped@${f.hook}`;
		case "rejected":
			return `rejected@${f.hook}:${f.with}`;
		case "queued":
			return `queued@${f.hook}:${f.num}${f.bypass ? "+bypass" : ""}`;
		case "stolen":
			return `stolen@${f.hook}:${f.by}`;
		case "delivered":
			return "delivered";
		case "forwarded":
			return `forwarded:${f.oif}`;
		case "sent":
			return `sent:${f.oif}`;
		case "unroutable":
			return `unroutable@${f.hook}:${f.reason}`;
		case "expired":
			return "expired";
		default:
			return assertNever(f, "fate");
	}
}

/** A stable key of everything compared; equal keys mean equal outcomes. */
export function packetKey(o: PacketOutcome): string {
	const logs = o.logs.map((l) => `${l.kind}(${l.level},${JSON.stringify(l.prefix)})`).join(",");
	let k = `${o.role}:${fateKey(o.fate)}`;
	if (passes(o.fate)) {
		k += ` ${o.fam}/${o.proto} ${o.saddr}:${o.sport}>${o.daddr}:${o.dport} m=${o.mark} ct=${o.ctMark} ttl=${o.ttl} dscp=${o.dscp}`;
		if (o.mssClamp !== undefined) k += ` mss=${o.mssClamp}`;
		if (o.tcpOptions !== undefined) k += ` opts=${o.tcpOptions.join(",")}`;
		if (o.secmark !== undefined) k += ` sec=${o.secmark}`;
		if (o.ctSecmark !== undefined) k += ` ctsec=${o.ctSecmark}`;
		if (o.ctHelper !== undefined) k += ` helper=${o.ctHelper}`;
		if (o.ctLabels !== undefined) k += ` labels=${o.ctLabels.toString(16)}`;
		if (o.pkttype !== undefined) k += ` pkttype=${o.pkttype}`;
	} else if (o.fate.kind === "queued") {
		k += ` m=${o.mark}`;
	}
	if (o.dups !== undefined) k += ` dups=[${o.dups.map(dupText).join(",")}]`;
	return logs.length > 0 ? `${k} logs=[${logs}]` : k;
}

function dupText(d: DupLine): string {
	return `${d.hook}>${d.gateway}${d.dev !== undefined ? `%${d.dev}` : ""} m=${d.mark}`;
}

export function outcomeKey(o: ScenarioOutcome): string {
	return o.packets.map(packetKey).join(" | ");
}

export function outcomesEqual(a: ScenarioOutcome, b: ScenarioOutcome): boolean {
	return outcomeKey(a) === outcomeKey(b);
}

// ---------------------------------------------------------------------------------------------
// Distributions

export interface Weighted {
	readonly p: number;
	readonly outcome: ScenarioOutcome;
	readonly key: string;
}

export interface Distribution {
	/** Sorted by key; probabilities sum to 1 (unless truncated). */
	readonly entries: readonly Weighted[];
	/** True when the random branches were too many to enumerate; the rest is missing. */
	readonly truncated: boolean;
}

/**
 * Doubles carry ~1e-16 relative error per product, and a scenario sums at most a few thousand
 * branches; kernel random matches differ from each other by multiples of 2^-32 (~2.3e-10), so the
 * tolerance must sit well between the two to tell `statistic` 1/3 from `numgen mod 3`.
 */
export const P_TOLERANCE = 1e-12;

export function distributionsEqual(a: Distribution, b: Distribution, tol = P_TOLERANCE): boolean {
	const ka = new Map(a.entries.map((e) => [e.key, e.p]));
	const kb = new Map(b.entries.map((e) => [e.key, e.p]));
	for (const [k, p] of ka) if (Math.abs(p - (kb.get(k) ?? 0)) > tol) return false;
	for (const [k, p] of kb) if (Math.abs(p - (ka.get(k) ?? 0)) > tol) return false;
	return true;
}

// ---------------------------------------------------------------------------------------------
// Printing

export function formatFate(f: Fate): string {
	switch (f.kind) {
		case "dropped":
			return `dropped in ${f.chain} (${f.hook})`;
		case "rejected":
			return `rejected with ${f.with} in ${f.chain} (${f.hook})`;
		case "queued":
			return `queued to ${f.num}${f.bypass ? " (bypass)" : ""} in ${f.chain} (${f.hook})`;
		case "stolen":
			return `taken by ${f.by} in ${f.chain} (${f.hook})`;
		case "delivered":
			return "delivered locally";
		case "forwarded":
			return `forwarded out ${f.oif}`;
		case "sent":
			return `sent out ${f.oif}`;
		case "unroutable":
			return `unroutable at ${f.hook}: ${f.reason}`;
		case "expired":
			return "TTL expired while forwarding";
		default:
			return assertNever(f, "fate");
	}
}

export function formatEndpoint(fam: Fam, addr: bigint, port: number, proto: number): string {
	const a = formatAddr(fam, addr);
	const withPort = proto === 6 || proto === 17 || proto === 132 || proto === 136 || proto === 33;
	if (!withPort) return a;
	return fam === 6 ? `[${a}]:${port}` : `${a}:${port}`;
}

export function formatPacketOutcome(o: PacketOutcome, opts: { trace?: boolean } = {}): string {
	const lines: string[] = [];
	let head = `${o.role}: ${formatFate(o.fate)}`;
	if (passes(o.fate)) {
		head += ` as ${formatEndpoint(o.fam, o.saddr, o.sport, o.proto)} -> ${formatEndpoint(o.fam, o.daddr, o.dport, o.proto)}`;
		if (o.mark !== 0) head += ` mark 0x${o.mark.toString(16)}`;
		if (o.ctMark !== 0) head += ` ctmark 0x${o.ctMark.toString(16)}`;
		if (o.mssClamp !== undefined) head += ` mss ${o.mssClamp}`;
		if (o.tcpOptions !== undefined) head += ` tcp options [${o.tcpOptions.join(",")}]`;
		if (o.secmark !== undefined) head += ` secmark ${o.secmark}`;
		if (o.ctSecmark !== undefined) head += ` ct secmark ${o.ctSecmark}`;
		if (o.ctHelper !== undefined) head += ` ct helper ${o.ctHelper}`;
		if (o.ctLabels !== undefined) head += ` ct label 0x${o.ctLabels.toString(16)}`;
		if (o.pkttype !== undefined) head += ` pkttype ${o.pkttype}`;
	}
	lines.push(head);
	for (const d of o.dups ?? []) lines.push(`  copy to ${formatAddr(o.fam, d.gateway)}${d.dev !== undefined ? ` via ${d.dev}` : ""} in ${d.hook}${d.mark !== 0 ? ` mark 0x${d.mark.toString(16)}` : ""}`);
	for (const l of o.logs) lines.push(`  ${l.kind === "log" ? `log level ${l.level}` : `nflog group ${l.level}`} prefix ${JSON.stringify(l.prefix)}`);
	if (opts.trace ?? true) for (const t of o.trace) lines.push(`  ${formatStep(t)}`);
	return lines.join("\n");
}

export function formatStep(t: TraceStep): string {
	const where = t.span ? `${formatSpan(t.span)}: ` : "";
	return `${where}[${t.side}] ${t.chain}: ${t.rule}${t.verdict ? ` -> ${t.verdict}` : ""}`;
}

export function formatScenarioOutcome(o: ScenarioOutcome, opts: { trace?: boolean } = {}): string {
	return o.packets.map((p) => formatPacketOutcome(p, opts)).join("\n");
}

export function formatDistribution(d: Distribution, opts: { trace?: boolean } = {}): string {
	if (d.entries.length === 1 && !d.truncated) return formatScenarioOutcome(d.entries[0]!.outcome, opts);
	const parts = d.entries.map((e) => `with p=${e.p.toFixed(12).replace(/0+$/, "").replace(/\.$/, "")}:\n${indent(formatScenarioOutcome(e.outcome, opts))}`);
	if (d.truncated) parts.push("(more random branches not enumerated)");
	return parts.join("\n");
}

function indent(s: string): string {
	return s
		.split("\n")
		.map((l) => "  " + l)
		.join("\n");
}

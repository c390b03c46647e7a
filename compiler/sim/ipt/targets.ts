/** Target kinds as action codes, and their static payloads (built once per rule). */
import type { Fam, Target } from "../../ir/ipt.js";
import type { EvalContext } from "../model.js";
import type { Packet } from "../packet.js";
import { tproxySocket } from "../sockets.js";
import { hasEntry } from "./match/conntrack.js";
import { xtSynproxy } from "../synproxy.js";
import { assertNever } from "../../ir/span.js";
import type { ChainOutcome, LogLine, NatAction } from "../model.js";

export const A_NONE = 0;
export const A_ACCEPT = 1;
export const A_DROP = 2;
export const A_OUTCOME = 3; // reject / queue: a precomputed ChainOutcome
export const A_RETURN = 4;
export const A_JUMP = 5;
export const A_GOTO = 6;
export const A_LOG = 7;
export const A_MARK = 8;
export const A_CTMARK_SET = 9;
export const A_CTMARK_SAVE = 10;
export const A_CTMARK_RESTORE = 11;
export const A_NAT = 12;
export const A_NOTRACK = 13;
export const A_MSS = 14;
export const A_UNSUPPORTED = 15;
export const A_HL = 16; // value; mask 0 set, 1 inc, 2 dec
export const A_TOS = 17; // tos' = (tos & ~mask) ^ value
export const A_CT_ZONE = 18; // value: the zone of the conntrack template (raw table, before conntrack)
export const A_FN = 19; // fn: a target with its own code; returns the chain outcome, or undefined to go on

export interface TargetPlan {
	readonly action: number;
	readonly chain?: string;
	readonly outcome?: ChainOutcome;
	readonly log?: LogLine;
	readonly nat?: NatAction;
	readonly value?: number;
	readonly mask?: number;
	readonly mss?: number | "pmtu";
	/** A_FN: the target's effect; its result ends the chain (undefined: the rule is non-terminal). */
	readonly fn?: (pkt: Packet, ctx: EvalContext) => ChainOutcome | undefined;
	readonly verdict: string;
	/** Why the simulator cannot model it (also: a target in a table the kernel refuses it in). */
	readonly unsupported?: string;
}

const NAT_TABLE_ONLY = "is only valid in the nat table";
const ACCEPT_OUTCOME: ChainOutcome = { kind: "accept" };
const DROP_OUTCOME: ChainOutcome = { kind: "drop" };

export function planTarget(t: Target | undefined, table: string, fam: Fam): TargetPlan {
	if (t === undefined) return { action: A_NONE, verdict: "(no target)" };
	switch (t.kind) {
		case "accept":
			return { action: A_ACCEPT, verdict: "ACCEPT" };
		case "drop":
			return { action: A_DROP, verdict: "DROP" };
		case "return":
			return { action: A_RETURN, verdict: "RETURN" };
		case "jump":
			return { action: A_JUMP, chain: t.chain, verdict: `jump ${t.chain}` };
		case "goto":
			return { action: A_GOTO, chain: t.chain, verdict: `goto ${t.chain}` };
		case "reject":
			return { action: A_OUTCOME, outcome: { kind: "reject", with: t.with }, verdict: `REJECT ${t.with}` };
		case "log":
			return { action: A_LOG, log: { kind: "log", prefix: t.prefix ?? "", level: t.level }, verdict: "LOG" };
		case "nflog":
			return { action: A_LOG, log: { kind: "nflog", prefix: t.prefix ?? "", level: t.group }, verdict: "NFLOG" };
		case "dnat":
		case "snat": {
			const r = t.range;
			const nat: NatAction = {
				kind: t.kind,
				...(r.addrLo !== undefined ? { addrLo: r.addrLo, addrHi: r.addrHi ?? r.addrLo } : {}),
				...(r.portLo !== undefined ? { portLo: r.portLo, portHi: r.portHi ?? r.portLo } : {}),
			};
			const plan = { action: A_NAT, nat, verdict: t.kind.toUpperCase() };
			return table === "nat" ? plan : { ...plan, unsupported: `${t.kind.toUpperCase()} ${NAT_TABLE_ONLY}` };
		}
		case "masquerade":
		case "redirect": {
			const nat: NatAction = { kind: t.kind, ...(t.ports ? { portLo: t.ports.lo, portHi: t.ports.hi } : {}) };
			const plan = { action: A_NAT, nat, verdict: t.kind.toUpperCase() };
			return table === "nat" ? plan : { ...plan, unsupported: `${t.kind.toUpperCase()} ${NAT_TABLE_ONLY}` };
		}
		case "mark":
			return { action: A_MARK, value: t.value >>> 0, mask: t.mask >>> 0, verdict: "MARK" };
		case "connmark-set":
			if (t.shift !== undefined) return connmarkShift(t);
			return { action: A_CTMARK_SET, value: t.value >>> 0, mask: t.mask >>> 0, verdict: "CONNMARK set" };
		case "connmark-save":
			if (t.shift !== undefined) return connmarkShift(t);
			return { action: A_CTMARK_SAVE, value: t.nfmask >>> 0, mask: t.ctmask >>> 0, verdict: "CONNMARK save" };
		case "connmark-restore":
			if (t.shift !== undefined) return connmarkShift(t);
			return { action: A_CTMARK_RESTORE, value: t.nfmask >>> 0, mask: t.ctmask >>> 0, verdict: "CONNMARK restore" };
		case "tee": {
			// xt_TEE: nf_dup_ipv4/6 sends a copy; the packet goes on (XT_CONTINUE).
			const { gateway, oif } = t;
			const fn = (pkt: Packet, ctx: EvalContext): undefined => {
				ctx.dup?.({ gateway, ...(oif !== undefined ? { dev: oif } : {}), mark: pkt.mark >>> 0 });
				return undefined;
			};
			return { action: A_FN, fn, verdict: "TEE" };
		}
		case "trace": {
			// skb->nf_trace changes nothing an outcome holds.
			const plan: TargetPlan = { action: A_NONE, verdict: "TRACE" };
			return table === "raw" ? plan : { ...plan, unsupported: "TRACE is only valid in the raw table" };
		}
		case "notrack": {
			const plan = { action: A_NOTRACK, verdict: "NOTRACK" };
			return table === "raw" ? plan : { ...plan, unsupported: "NOTRACK / CT --notrack is only valid in the raw table" };
		}
		case "tcpmss":
			return { action: A_MSS, mss: t.mss, verdict: `TCPMSS ${t.mss}` };
		case "nfqueue":
			// --queue-balance spreads flows by hash; the simulator queues to the first number.
			return { action: A_OUTCOME, outcome: { kind: "queue", num: t.num, bypass: t.bypass }, verdict: `NFQUEUE ${t.num}` };
		case "hl-set":
			return { action: A_HL, value: t.value, mask: t.op === "set" ? 0 : t.op === "inc" ? 1 : 2, verdict: `${fam === 4 ? "TTL" : "HL"} ${t.op} ${t.value}` };
		case "dscp-set":
			// As a TOS rewrite: keep the ECN bits, set the six DSCP bits.
			return { action: A_TOS, value: (t.dscp << 2) & 0xfc, mask: 0xfc, verdict: `DSCP ${t.dscp}` };
		case "tos-set":
			return { action: A_TOS, value: t.value & 0xff, mask: t.mask & 0xff, verdict: "TOS" };
		case "checksum-fill":
		case "classify":
		case "audit":
			// No effect on anything an outcome holds (checksums, skb->priority, audit records).
			return { action: A_NONE, verdict: t.kind.toUpperCase() };
		case "ct":
			if (t.helper !== undefined) {
				if (t.zone !== undefined) return { action: A_UNSUPPORTED, verdict: "CT", unsupported: "CT --helper with --zone is not modelled by the simulator" };
				const helper = t.helper;
				// xt_CT: a template only for a packet without conntrack yet; the first CT/NOTRACK wins.
				const fn = (pkt: Packet): undefined => {
					if (pkt.ct.state === "invalid" && pkt.ct.tmpl !== true) {
						pkt.ct.tmpl = true;
						pkt.ct.tmplHelper = helper;
					}
					return undefined;
				};
				return { action: A_FN, fn, verdict: `CT --helper ${helper}` };
			}
			if (t.zone === undefined) {
				// A template without options: it still keeps later CT/NOTRACK targets from acting.
				const fn = (pkt: Packet): undefined => {
					if (pkt.ct.state === "invalid") pkt.ct.tmpl = true;
					return undefined;
				};
				return { action: A_FN, fn, verdict: "CT" };
			}
			if (t.zone.id === "mark" || t.zone.dir !== undefined) return { action: A_UNSUPPORTED, verdict: "CT", unsupported: "CT --zone mark / --zone-orig / --zone-reply are not modelled by the simulator" };
			// xt_CT attaches the template only to a packet conntrack has not seen yet.
			return { action: A_CT_ZONE, value: t.zone.id & 0xffff, verdict: `CT --zone ${t.zone.id}` };
		case "tproxy": {
			// xt_TPROXY: assign a transparent socket (established, else a listener on --on-ip/--on-port),
			// set the mark, NF_ACCEPT; no such socket: NF_DROP. Valid only in mangle PREROUTING.
			const { addr, port, mark } = t;
			const want = t.fam;
			const fn = (pkt: Packet, ctx: EvalContext): ChainOutcome => {
				if (tproxySocket(pkt, ctx, want, addr, port) === undefined) return DROP_OUTCOME;
				if (mark !== undefined) pkt.mark = ((pkt.mark & ~mark.mask) ^ mark.value) >>> 0;
				return ACCEPT_OUTCOME;
			};
			const plan: TargetPlan = { action: A_FN, fn, verdict: `TPROXY ${port}` };
			return table === "mangle" ? plan : { ...plan, unsupported: "TPROXY is only valid in the mangle table" };
		}
		case "netmap": {
			const host = (t.fam === 4 ? 0xffffffffn : (1n << 128n) - 1n) >> BigInt(t.len);
			const plan: TargetPlan = { action: A_NAT, nat: { kind: "netmap", addrLo: t.addr, addrHi: t.addr | host }, verdict: "NETMAP" };
			return table === "nat" ? plan : { ...plan, unsupported: `NETMAP ${NAT_TABLE_ONLY}` };
		}
		case "tcpoptstrip": {
			// xt_TCPOPTSTRIP overwrites every option of a listed kind with NOPs (first fragment only).
			const strip = new Set(t.options);
			if (strip.size === 0) return { action: A_NONE, verdict: "TCPOPTSTRIP" };
			const fn = (pkt: Packet): undefined => {
				if (pkt.proto !== 6 || pkt.fragOffset !== 0) return undefined;
				pkt.tcpOptions = pkt.tcpOptions.filter((k) => !strip.has(k));
				pkt.optionsStripped = true;
				return undefined;
			};
			const plan: TargetPlan = { action: A_FN, fn, verdict: `TCPOPTSTRIP ${t.options.join(",")}` };
			return table === "mangle" ? plan : { ...plan, unsupported: "TCPOPTSTRIP is only valid in the mangle table" };
		}
		case "connsecmark": {
			// xt_CONNSECMARK: save copies to a connection without a secmark, restore to a packet
			// without one; only packets with a conntrack entry.
			const save = t.mode === "save";
			const fn = (pkt: Packet): undefined => {
				const ct = pkt.ct;
				if (ct.state === "invalid" || ct.state === "untracked") return undefined;
				if (save) {
					if ((pkt.secmark ?? 0) !== 0 && (ct.secmark ?? 0) === 0) ct.secmark = pkt.secmark;
				} else if ((pkt.secmark ?? 0) === 0 && (ct.secmark ?? 0) !== 0) pkt.secmark = ct.secmark;
				return undefined;
			};
			const plan: TargetPlan = { action: A_FN, fn, verdict: `CONNSECMARK --${t.mode}` };
			return table === "mangle" || table === "security" ? plan : { ...plan, unsupported: "CONNSECMARK is only valid in the mangle and security tables" };
		}
		case "synproxy": {
			// Only TCP reaches it (the kernel requires -p tcp); xtSynproxy picks the packets.
			const params = { ...(t.mss !== undefined ? { mss: t.mss } : {}), ...(t.wscale !== undefined ? { wscale: t.wscale } : {}), timestamp: t.timestamp, sackPerm: t.sackPerm };
			const fn = (pkt: Packet): ChainOutcome | undefined => (pkt.proto === 6 && pkt.fragOffset === 0 ? xtSynproxy(pkt, params) : undefined);
			const plan: TargetPlan = { action: A_FN, fn, verdict: "SYNPROXY" };
			return t.ecn ? { ...plan, unsupported: "SYNPROXY --ecn is not modelled" } : plan;
		}
		case "hmark":
		case "secmark":
		case "ipset":
			return { action: A_UNSUPPORTED, verdict: t.kind.toUpperCase(), unsupported: `${t.kind.toUpperCase()} is not modelled by the simulator` };
		case "unknown":
			return { action: A_UNSUPPORTED, verdict: t.name, unsupported: `target \`-j ${t.name}\` is not supported by the simulator (${fam === 4 ? "iptables" : "ip6tables"})` };
		default:
			return assertNever(t, "target");
	}
}

/**
 * CONNMARK revision 2 with a shift (xt_connmark connmark_tg_shift): set shifts the whole new
 * ctmark, save/restore the copied masked mark. Only packets with a conntrack entry.
 */
function connmarkShift(t: Extract<Target, { kind: "connmark-set" | "connmark-save" | "connmark-restore" }>): TargetPlan {
	const sh = t.shift!;
	const verdict = `CONNMARK ${t.kind.slice(9)} ${sh.dir === "left" ? "<<" : ">>"} ${sh.bits}`;
	const n = sh.bits; // 1..31: the parser refuses 32 as the kernel does
	const shift = sh.dir === "left" ? (x: number): number => (x << n) >>> 0 : (x: number): number => x >>> n;
	let fn: (pkt: Packet) => undefined;
	switch (t.kind) {
		case "connmark-set": {
			const { value, mask } = t;
			fn = (pkt) => {
				if (hasEntry(pkt.ct)) pkt.ct.mark = shift(((pkt.ct.mark & ~mask) ^ value) >>> 0);
				return undefined;
			};
			break;
		}
		case "connmark-save": {
			const { nfmask, ctmask } = t;
			fn = (pkt) => {
				if (hasEntry(pkt.ct)) pkt.ct.mark = ((pkt.ct.mark & ~ctmask) ^ shift((pkt.mark & nfmask) >>> 0)) >>> 0;
				return undefined;
			};
			break;
		}
		case "connmark-restore": {
			const { nfmask, ctmask } = t;
			fn = (pkt) => {
				if (hasEntry(pkt.ct)) pkt.mark = ((pkt.mark & ~nfmask) ^ shift((pkt.ct.mark & ctmask) >>> 0)) >>> 0;
				return undefined;
			};
			break;
		}
	}
	return { action: A_FN, fn, verdict };
}

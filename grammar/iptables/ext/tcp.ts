/** -m tcp: ports, flags, option; needs `-p tcp` (the kernel refuses it otherwise). */
import { TCP_FLAG_BITS, type Neg, type PortRange, type TcpFlag, type TcpMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch, take, type ExtContext, type FinishContext, type OptionDef } from "../extension.js";
import { Bad, parsePortRange, parseUint } from "../values.js";
import type { Word } from "../words.js";

interface S {
	sport?: Neg<PortRange>;
	dport?: Neg<PortRange>;
	flags?: Neg<{ mask: number; comp: number }>;
	option?: Neg<number>;
}

/** `FIN,SYN`, `ALL`, `NONE` -> bit set. */
export function parseTcpFlags(s: string): number | Bad {
	if (s === "ALL") return 0xff;
	if (s === "NONE") return 0;
	let v = 0;
	for (const f of s.split(",")) {
		const u = f.toUpperCase();
		if (u === "ALL") v |= 0xff;
		else if (u === "NONE") continue;
		else if (Object.prototype.hasOwnProperty.call(TCP_FLAG_BITS, u)) v |= TCP_FLAG_BITS[u as TcpFlag];
		else return new Bad("invalid_value", `unknown TCP flag "${f}"`, "flags are FIN,SYN,RST,PSH,ACK,URG,ECE,CWR, ALL or NONE");
	}
	return v;
}

/** Shared by tcp and udp: a port range option. */
export function portOption(cx: ExtContext, arg: Word, neg: boolean): Neg<PortRange> | undefined {
	const r = take(cx, parsePortRange(arg.text), arg);
	return r === undefined ? undefined : { value: r, neg };
}

/** Kernel check shared by protocol matches: the rule must say `-p NAME` and not negate it. */
export function requireProto(cx: FinishContext, proto: number, name: string): boolean {
	if (cx.proto !== proto || cx.protoNeg) {
		cx.error("protocol_required", `-m ${name} needs -p ${name}${cx.protoNeg ? " (not negated)" : ""}`, cx.nameWord, `add -p ${name} to the rule`);
		return false;
	}
	return true;
}

/** `--sport`/`--dport` (and their long names), the same for tcp, udp, sctp and dccp. */
export function portOptions<S extends { sport?: Neg<PortRange>; dport?: Neg<PortRange> }>(): OptionDef<S>[] {
	return [
		{
			name: "source-port",
			aliases: ["sport"],
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = portOption(cx, v.args[0]!, v.neg);
				if (r) s.sport = r;
			},
		},
		{
			name: "destination-port",
			aliases: ["dport"],
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = portOption(cx, v.args[0]!, v.neg);
				if (r) s.dport = r;
			},
		},
	];
}

/** `-m tcp` without options (kube-proxy writes it on every rule): one shared node. */
const EMPTY: TcpMatch = { kind: "tcp" };

const SYN_MASK = TCP_FLAG_BITS.FIN | TCP_FLAG_BITS.SYN | TCP_FLAG_BITS.RST | TCP_FLAG_BITS.ACK;

export const tcp = defineMatch<S>({
	name: "tcp",
	options: [
		...portOptions<S>(),
		{
			name: "tcp-flags",
			arity: 2,
			negatable: true,
			apply: (s, v, cx) => {
				if (s.flags !== undefined) return cx.error("duplicate_option", "TCP flags given twice (--syn and --tcp-flags)", v.word);
				const mask = take(cx, parseTcpFlags(v.args[0]!.text), v.args[0]!);
				const comp = take(cx, parseTcpFlags(v.args[1]!.text), v.args[1]!);
				if (mask !== undefined && comp !== undefined) s.flags = { value: { mask, comp }, neg: v.neg };
			},
		},
		{
			name: "syn",
			arity: 0,
			negatable: true,
			apply: (s, v, cx) => {
				if (s.flags !== undefined) return cx.error("duplicate_option", "TCP flags given twice (--syn and --tcp-flags)", v.word);
				s.flags = { value: { mask: SYN_MASK, comp: TCP_FLAG_BITS.SYN }, neg: v.neg };
			},
		},
		{
			name: "tcp-option",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const n = parseUint(v.args[0]!.text, 255);
				if (n === undefined) return cx.error("invalid_value", `invalid TCP option "${v.args[0]!.text}": expected 0..255`, v.args[0]!);
				s.option = { value: n, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (!requireProto(cx, 6, "tcp")) return undefined;
		if (s.sport === undefined && s.dport === undefined && s.flags === undefined && s.option === undefined) return EMPTY;
		const m: { -readonly [K in keyof TcpMatch]: TcpMatch[K] } = { kind: "tcp" };
		// `--sport :` (0:65535, not negated) matches everything: iptables drops it.
		if (s.sport && !(s.sport.value.lo === 0 && s.sport.value.hi === 65535 && !s.sport.neg)) m.sport = s.sport;
		if (s.dport && !(s.dport.value.lo === 0 && s.dport.value.hi === 65535 && !s.dport.neg)) m.dport = s.dport;
		if (s.flags) m.flags = s.flags;
		if (s.option) m.option = s.option;
		return m;
	},
});

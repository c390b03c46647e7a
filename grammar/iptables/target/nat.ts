/** Shared parsing for the NAT targets: address/port ranges, flags and where they may be used. */
import type { BuiltinChain, NatFlags, NatRange, PortRange, TableName, Target } from "../../../compiler/ir/ipt.js";
import { defineTarget, take } from "../extension.js";
import type { ExtContext, Extension, FinishContext, OptionDef } from "../extension.js";
import { Bad, isBad, parseAddr, parseUint, servicePort } from "../values.js";

/** Protocols whose ports NAT can rewrite. */
const PORT_PROTOS: ReadonlySet<number> = new Set([6, 17, 33, 132, 136]);

function port(s: string, allowName: boolean): number | undefined {
	const n = parseUint(s, 65535);
	if (n !== undefined) return n;
	return allowName ? servicePort(s) : undefined;
}

/** `p`, `p-q`, with `/base` when allowed; a service name only as a single port or as base. */
export function parseNatPorts(s: string, allowBase: boolean): { range: PortRange; base?: number } | Bad {
	let main = s;
	let base: number | undefined;
	const slash = s.indexOf("/");
	if (slash >= 0) {
		if (!allowBase) return new Bad("invalid_port", `"${s}": a port base (/N) is not allowed here`);
		main = s.slice(0, slash);
		base = port(s.slice(slash + 1), true);
		if (base === undefined || base === 0) return new Bad("invalid_port", `invalid port base "${s.slice(slash + 1)}": expected 1..65535`);
	}
	const single = port(main, true);
	if (single !== undefined) return { range: { lo: single, hi: single }, ...(base !== undefined ? { base } : {}) };
	const dash = main.indexOf("-");
	if (dash > 0) {
		const lo = port(main.slice(0, dash), false);
		const hi = port(main.slice(dash + 1), false);
		if (lo !== undefined && hi !== undefined && lo <= hi) return { range: { lo, hi }, ...(base !== undefined ? { base } : {}) };
	}
	return new Bad("invalid_port", `invalid port range "${main}"`, "expected PORT or LOW-HIGH in 0..65535");
}

/** `a[-b][:ports]`; IPv6 addresses with ports go in brackets: `[a[-b]]:ports`. */
export function parseNatRange(s: string, cx: ExtContext): NatRange | Bad {
	let addrPart = s;
	let portPart: string | undefined;
	if (cx.fam === 6) {
		if (s.startsWith("[")) {
			const close = s.indexOf("]");
			if (close < 0) return new Bad("invalid_address", `missing "]" in "${s}"`);
			addrPart = s.slice(1, close);
			const rest = s.slice(close + 1);
			if (rest !== "") {
				if (!rest.startsWith(":")) return new Bad("invalid_address", `unexpected "${rest}" after "]"`);
				portPart = rest.slice(1);
			}
		}
	} else {
		const colon = s.indexOf(":");
		if (colon >= 0) {
			addrPart = s.slice(0, colon);
			portPart = s.slice(colon + 1);
		}
	}
	const r: { -readonly [K in keyof NatRange]: NatRange[K] } = {};
	if (addrPart !== "") {
		const dash = cx.fam === 4 ? addrPart.indexOf("-") : findV6Dash(addrPart);
		const lo = parseAddr(dash < 0 ? addrPart : addrPart.slice(0, dash), cx.fam);
		if (isBad(lo)) return lo;
		const hi = dash < 0 ? lo : parseAddr(addrPart.slice(dash + 1), cx.fam);
		if (isBad(hi)) return hi;
		if (lo > hi) return new Bad("invalid_address", `invalid address range "${addrPart}": start is greater than end`);
		r.addrLo = lo;
		r.addrHi = hi;
	}
	if (portPart !== undefined) {
		const p = parseNatPorts(portPart, true);
		if (isBad(p)) return p;
		r.portLo = p.range.lo;
		r.portHi = p.range.hi;
		if (p.base !== undefined) r.portBase = p.base;
	}
	if (r.addrLo === undefined && r.portLo === undefined) return new Bad("invalid_value", `empty NAT range "${s}"`);
	return r;
}

/** In IPv6 `a-b` the dash separates two addresses (addresses themselves never contain '-'). */
function findV6Dash(s: string): number {
	return s.indexOf("-");
}

export function needsPortProto(cx: FinishContext, what: string): boolean {
	if (cx.proto === undefined || cx.protoNeg || !PORT_PROTOS.has(cx.proto)) {
		cx.error("protocol_required", `${what} with ports needs -p tcp, udp, sctp, dccp or udplite`, cx.nameWord);
		return false;
	}
	return true;
}

/** The kernel's table/hook restriction for a target (built-in chains only; user chains are checked by reachability later). */
export function checkPlace(cx: FinishContext, name: string, table: TableName, hooks: readonly BuiltinChain[]): boolean {
	if (cx.table !== table) {
		cx.error("target_not_allowed_here", `${name} is only valid in the ${table} table, not ${cx.table}`, cx.nameWord);
		return false;
	}
	if (cx.builtin !== undefined && !hooks.includes(cx.builtin)) {
		cx.error("target_not_allowed_here", `${name} is only valid in ${hooks.join("/")}, not ${cx.builtin}`, cx.nameWord);
		return false;
	}
	return true;
}

export interface FlagState {
	flags: { random: boolean; randomFully: boolean; persistent: boolean };
}

export function flagOptions<S extends FlagState>(persistent: boolean): OptionDef<S>[] {
	const out: OptionDef<S>[] = [
		{ name: "random", arity: 0, apply: (s) => void (s.flags.random = true) },
		{ name: "random-fully", arity: 0, apply: (s) => void (s.flags.randomFully = true) },
	];
	if (persistent) out.push({ name: "persistent", arity: 0, apply: (s) => void (s.flags.persistent = true) });
	return out;
}

const flagObjects: NatFlags[] = [];

/** One shared (immutable) object per flag combination: NAT rules are many on kube-proxy hosts. */
export function freezeFlags(f: FlagState["flags"]): NatFlags {
	const k = (f.random ? 1 : 0) | (f.randomFully ? 2 : 0) | (f.persistent ? 4 : 0);
	return (flagObjects[k] ??= { random: f.random, randomFully: f.randomFully, persistent: f.persistent });
}

interface AddrNatState extends FlagState {
	range?: NatRange;
}

/** DNAT and SNAT: one address/port range option, the NAT flags, and a fixed table and chains. */
export function addrNatTarget(
	name: "DNAT" | "SNAT",
	option: "to-destination" | "to-source",
	hooks: readonly BuiltinChain[],
): Extension<Target> {
	return defineTarget<AddrNatState>({
		name,
		options: [
			{
				name: option,
				arity: 1,
				apply: (s, v, cx) => {
					const r = take(cx, parseNatRange(v.args[0]!.text, cx), v.args[0]!);
					if (r) s.range = r;
				},
			},
			...flagOptions<AddrNatState>(true),
		],
		init: () => ({ flags: { random: false, randomFully: false, persistent: false } }),
		finish: (s, cx): Target | undefined => {
			if (s.range === undefined) {
				cx.error("missing_argument", `${name} needs --${option}`, cx.nameWord);
				return undefined;
			}
			if (s.range.portLo !== undefined && !needsPortProto(cx, name)) return undefined;
			if (!checkPlace(cx, name, "nat", hooks)) return undefined;
			return { kind: name === "DNAT" ? "dnat" : "snat", range: s.range, flags: freezeFlags(s.flags), fam: cx.fam };
		},
	});
}

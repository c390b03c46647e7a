/**
 * Shared vocabulary of the lowering: the per-rule context, the result shape of a match lowering
 * (a disjunction of conjunctions) and helpers that turn normalised ipt values into nft conditions.
 */
import type { Diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import type { StatePlan, TableSets } from "./sets.js";
import type { CtHelperPlan } from "./ct-helper-chain.js";

export interface RuleCtx {
	readonly fam: ipt.Fam;
	readonly table: ipt.TableName;
	readonly chain: string;
	readonly rule: ipt.Rule;
	readonly diags: Diagnostic[];
	/** Chain names after renaming of names nft cannot spell (jump/goto targets use it). */
	readonly chainName: (name: string) => string;
	/** The named sets of the rule's table (stateful matches add theirs here). */
	readonly sets: TableSets;
	/** Facts about the whole input that stateful matches need (shared lists, ipsets). */
	readonly plan: StatePlan;
	/**
	 * The built-in chains of the rule's table from which a packet can reach `chain` (itself when
	 * built-in) through jumps and gotos; computed on first use. Absent: only built-ins are known.
	 */
	readonly reachedFrom?: (chain: string) => ReadonlySet<ipt.BuiltinChain>;
	/**
	 * raw tables with CT --helper rules: the plan (ct-helper-chain.ts) and whether the rule is
	 * lowered for its own chain ("raw") or for the helper chain after conntrack ("helper").
	 */
	readonly ctHelper?: { readonly plan: CtHelperPlan; readonly stage: "raw" | "helper" };
}

/**
 * What a match becomes: alternatives (OR) of conjunctions (AND). Almost always exactly one
 * alternative. Alternatives MUST be mutually exclusive, so that the rule copies made from them can
 * never both match one packet (a non-terminal target must not fire twice). `[]` means the match
 * can never be true; `undefined` means lowering failed and a diagnostic was reported.
 */
export type Alts = readonly (readonly nft.Cond[])[];
export type MatchOut = Alts | undefined;

export const one = (...conds: nft.Cond[]): Alts => [conds];
export const NEVER: Alts = [];

export const U32 = 0xffffffffn;

export function negOp(neg: boolean): nft.RelOp {
	return neg ? "!=" : "==";
}

export function addrSelector(fam: ipt.Fam, dir: "saddr" | "daddr"): nft.Selector {
	return nft.payload(fam === 4 ? `ip ${dir}` : `ip6 ${dir}`);
}

/** `ip saddr 10.0.0.0/8`, `ip saddr 1.2.3.4`, or a masked compare for non-contiguous masks. */
export function addrMaskCond(sel: nft.Selector, a: ipt.AddrMask, neg: boolean): nft.Cond | undefined {
	const bits = a.fam === 4 ? 32 : 128;
	if (a.prefixLen !== undefined) {
		// /0 matches every address: no condition at all (negated, it matches none: keep it).
		if (a.prefixLen === 0 && !neg) return undefined;
		const v: nft.Value =
			a.prefixLen === bits ? nft.num(a.addr) : { kind: "prefix", value: a.addr, len: a.prefixLen };
		return nft.rel(sel, negOp(neg), v);
	}
	return nft.rel({ kind: "and", expr: sel, mask: a.mask }, negOp(neg), nft.num(a.addr));
}

export function rangeValue(r: ipt.PortRange): nft.Value {
	return nft.range(r.lo, r.hi);
}

export function portCond(key: nft.PayloadKey, p: ipt.Neg<ipt.PortRange>): nft.Cond {
	return nft.rel(nft.payload(key), negOp(p.neg), rangeValue(p.value));
}

/** The transport protocols nft has a payload header for (port matches, multiport). */
export function transportName(proto: number): "tcp" | "udp" | "udplite" | "sctp" | "dccp" | undefined {
	switch (proto) {
		case 6:
			return "tcp";
		case 17:
			return "udp";
		case 136:
			return "udplite";
		case 132:
			return "sctp";
		case 33:
			return "dccp";
		default:
			return undefined;
	}
}

/** The protocol condition: `ip protocol X` (IPv4) or `meta l4proto X` (IPv6, skips ext headers). */
export function protoCond(fam: ipt.Fam, p: ipt.Neg<number>): nft.Cond {
	const sel = fam === 4 ? nft.payload("ip protocol") : nft.meta("l4proto");
	return nft.rel(sel, negOp(p.neg), nft.num(p.value));
}

/** The rule's positive protocol, if it has one. */
export function ruleProto(rule: ipt.Rule): number | undefined {
	return rule.proto !== undefined && !rule.proto.neg ? rule.proto.value : undefined;
}

export { describeChars, unsafeIfaceChars } from "./strings.js";

/**
 * Rule → steps. A rule runs its expressions and statements in order, as the kernel does: a failed
 * comparison BREAKs the rule (earlier statements keep their effect), a verdict ends it.
 * Steps return small integer codes so that the hot path allocates nothing.
 */
import type * as A from "../../../grammar/nft/ast.js";
import { diagnostic, type Diagnostic } from "../../ir/diagnostics.js";
import type { ChainOutcome, EvalContext, LogLine, NatAction } from "../model.js";
import { CT_STATUS, TIME_DEFAULT_NS, type Packet } from "../packet.js";
import { RunState } from "../run-state.js";
import { tproxySocket } from "../sockets.js";
import { nftSynproxy } from "../synproxy.js";
import { GetterCompiler, toVal, tracked, type Getter, type Val } from "./getters.js";
import { buildLookup, keyParts, type Lookup } from "./lookup.js";

export const NEXT = 0;
export const BREAK = 1;
export const V_ACCEPT = 2;
export const V_DROP = 3;
export const V_RETURN = 4;
export const V_CONTINUE = 5;
export const V_JUMP = 6;
export const V_GOTO = 7;
/** Terminal outcome other than accept/drop (reject, queue): in Scratch.outcome. */
export const V_OUTCOME = 8;

export interface ChainRef {
	readonly name: string;
	rules: CompiledRule[];
}

/** Per-side mutable scratch for the verdict details of the step that ended a rule. */
export interface Scratch {
	target: ChainRef | undefined;
	outcome: ChainOutcome | undefined;
	verdictText: string;
}

export type Step = (p: Packet, c: EvalContext, s: Scratch) => number;

export interface CompiledRule {
	readonly steps: readonly Step[];
	readonly text: string;
	readonly span: A.NftRule["span"];
}

export interface RuleEnv {
	readonly family: A.NftFamily;
	readonly chains: ReadonlyMap<string, ChainRef>;
	readonly sets: ReadonlyMap<string, A.NftSet>;
	/** The table's `ct helper` objects; absent: none. */
	readonly ctHelpers?: ReadonlyMap<string, A.NftCtHelper>;
	readonly getters: GetterCompiler;
	readonly diagnostics: Diagnostic[];
}

type Test = (v: Val) => boolean;

/** Verdict data of a map element, resolved once. */
interface VerdictData {
	readonly code: number;
	readonly target: ChainRef | undefined;
	readonly text: string;
}

const REJECT_V4: ReadonlyMap<number, string> = new Map([
	[0, "icmp-net-unreachable"],
	[1, "icmp-host-unreachable"],
	[2, "icmp-proto-unreachable"],
	[3, "icmp-port-unreachable"],
	[9, "icmp-net-prohibited"],
	[10, "icmp-host-prohibited"],
	[13, "icmp-admin-prohibited"],
]);
const REJECT_V6: ReadonlyMap<number, string> = new Map([
	[0, "icmp6-no-route"],
	[1, "icmp6-adm-prohibited"],
	[3, "icmp6-addr-unreachable"],
	[4, "icmp6-port-unreachable"],
	[5, "icmp6-policy-fail"],
	[6, "icmp6-reject-route"],
]);
/** icmpx code → [v4 icmp code, v6 icmpv6 code] (kernel nft_reject_icmp*_code). */
const ICMPX: ReadonlyMap<number, readonly [number, number]> = new Map([
	[0, [0, 0]],
	[1, [3, 4]],
	[2, [1, 3]],
	[3, [13, 1]],
]);

const LOG_DEFAULT_LEVEL = 4;
/** numgen/hash outcomes are enumerated; beyond this modulus the evaluator gives up. */
const MAX_ENUM = 1 << 20;

export function compileRule(r: A.NftRule, env: RuleEnv): CompiledRule {
	const steps: Step[] = [];
	for (const s of r.stmts) {
		const st = compileStmt(s, env);
		if (st !== undefined) steps.push(st);
	}
	return { steps, text: r.text, span: r.span };
}

function unsupported(env: RuleEnv, what: string, span: A.NftStmt["span"]): Step {
	env.diagnostics.push(diagnostic("nft_unsupported", `${what} is not modelled by the simulator; the rule never matches here`, span));
	return () => BREAK;
}

function compileStmt(s: A.NftStmt, env: RuleEnv): Step | undefined {
	switch (s.kind) {
		case "match":
			return compileMatch(s, env);
		case "counter":
			return undefined;
		case "log": {
			// `log level audit` writes an audit record, not a log line; the iptables side (AUDIT)
			// keeps audit records out of the outcome too.
			if (s.group === undefined && s.level === 8) return undefined;
			const line: LogLine =
				s.group !== undefined
					? { kind: "nflog", prefix: s.prefix ?? "", level: s.group }
					: { kind: "log", prefix: s.prefix ?? "", level: s.level ?? LOG_DEFAULT_LEVEL };
			return (_p, c) => {
				c.log(line);
				return NEXT;
			};
		}
		case "limit":
			return s.over ? (p) => (p.overLimit ? NEXT : BREAK) : (p) => (p.overLimit ? BREAK : NEXT);
		case "reject":
			return compileReject(s, env);
		case "verdict": {
			const v = resolveVerdict(s.verdict, env);
			return (_p, _c, sc) => {
				sc.target = v.target;
				sc.verdictText = v.text;
				return v.code;
			};
		}
		case "queue": {
			const out: ChainOutcome = { kind: "queue", num: s.numLo, bypass: s.bypass };
			const text = `queue num ${s.numLo}`;
			return (_p, _c, sc) => {
				sc.outcome = out;
				sc.verdictText = text;
				return V_OUTCOME;
			};
		}
		case "nat":
			return compileNat(s, env);
		case "set":
			return compileSet(s, env);
		case "dup": {
			// nft_dup_ipv4/6: the same nf_dup_ipv4/6 as xt_TEE; the packet goes on.
			const { addr, device } = s;
			return (p, c) => {
				c.dup?.({ gateway: addr, ...(device !== undefined ? { dev: device } : {}), mark: p.mark >>> 0 });
				return NEXT;
			};
		}
		case "notrack":
			// nft_notrack_eval: a packet that already has a conntrack entry (loopback traffic,
			// tracked in output) keeps it; only one conntrack has not seen yet becomes untracked.
			// A template (`ct zone set` before it) counts as an entry too.
			return (p) => {
				if (p.ct.state === "invalid" && p.ct.tmpl !== true) p.ct.state = "untracked";
				return NEXT;
			};
		case "vmap":
			return compileVmap(s, env);
		case "tcpmss": {
			// The packet carries no MSS value; record that a clamp was applied, as the iptables side
			// does for TCPMSS, so a lost or extra clamp shows as a difference.
			const mss: number | "pmtu" = s.size === "rt-mtu" ? "pmtu" : s.size;
			return (p) => {
				if (p.proto === 6 && p.fragOffset === 0) p.mssClamp = mss;
				return NEXT;
			};
		}
		case "synproxy": {
			// nft_synproxy: no TCP header: BREAK; a SYN or ACK is taken (see sim/synproxy.ts); the
			// rest goes on with the rule.
			const params = { ...(s.mss !== undefined ? { mss: s.mss } : {}), ...(s.wscale !== undefined ? { wscale: s.wscale } : {}), timestamp: s.timestamp, sackPerm: s.sackPerm };
			return (p, _c, sc) => {
				if (p.proto !== 6 || p.fragOffset !== 0) return BREAK;
				const out = nftSynproxy(p, params);
				if (out === undefined) return NEXT;
				sc.outcome = out;
				sc.verdictText = "synproxy";
				return V_OUTCOME;
			};
		}
		case "tcpopt-reset": {
			// nft_exthdr_tcp_strip_eval: no TCP header (other protocol, later fragment): BREAK; else
			// the first option of the kind becomes NOPs, an absent one changes nothing.
			const kind = s.option;
			return (p) => {
				if (p.proto !== 6 || p.fragOffset !== 0) return BREAK;
				const i = p.tcpOptions.indexOf(kind);
				if (i >= 0) p.tcpOptions.splice(i, 1);
				p.optionsStripped = true;
				return NEXT;
			};
		}
		case "dynset":
			return compileDynset(s, env);
		case "tproxy": {
			// nft_tproxy: the same socket lookups as xt_TPROXY; no transparent socket: BREAK. The
			// family is the statement's, else the table's (nft refuses `tproxy` without one in inet).
			const fam = s.fam === "ip6" || (s.fam === undefined && env.family === "ip6") ? 6 : 4;
			const { addr, port } = s;
			return (p, c) => (tproxySocket(p, c, fam, addr, port ?? 0) !== undefined ? NEXT : BREAK);
		}
		case "ct-helper-set":
			return compileCtHelperSet(s, env);
		default: {
			const never: never = s;
			throw new Error(`internal error: statement ${JSON.stringify(never)}`);
		}
	}
}

function resolveVerdict(v: A.NftVerdict, env: RuleEnv): VerdictData {
	switch (v.kind) {
		case "accept":
			return { code: V_ACCEPT, target: undefined, text: "accept" };
		case "drop":
			return { code: V_DROP, target: undefined, text: "drop" };
		case "return":
			return { code: V_RETURN, target: undefined, text: "return" };
		case "continue":
			return { code: V_CONTINUE, target: undefined, text: "continue" };
		case "jump":
		case "goto": {
			const target = env.chains.get(v.chain);
			// A missing chain was reported by the parser (nft_undefined); the jump then does nothing.
			if (target === undefined) return { code: V_CONTINUE, target: undefined, text: `${v.kind} ${v.chain}` };
			return { code: v.kind === "jump" ? V_JUMP : V_GOTO, target, text: `${v.kind} ${v.chain}` };
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Matches

function isBitmaskType(t: A.Datatype): boolean {
	return t === "ct_state" || t === "ct_status" || t === "tcp_flag" || t === "ct_label";
}

/** The test a relation applies to one loaded value (scalar and flag-list right sides). */
function scalarTest(op: A.RelOp, right: A.ScalarValue | A.FlagListValue, dtype: A.Datatype, width: number): Test {
	if (right.kind === "flags" || (isBitmaskType(dtype) && (op === "implicit" || op === "neg") && right.lo === right.hi)) {
		if (width > 48) {
			// ct label: 128-bit masks as bigints.
			const big = right.kind === "flags" ? right.bits : right.lo;
			switch (op) {
				case "implicit":
					return (v) => ((v as bigint) & big) !== 0n;
				case "neg":
					return (v) => ((v as bigint) & big) === 0n;
				case "==":
					return (v) => v === big;
				case "!=":
					return (v) => v !== big;
				default:
					return cmpTest(op, big, big);
			}
		}
		const bits = Number(right.kind === "flags" ? right.bits : right.lo);
		switch (op) {
			case "implicit":
				return (v) => ((v as number) & bits) !== 0;
			case "neg":
				return (v) => ((v as number) & bits) === 0;
			case "==":
				return (v) => v === bits;
			case "!=":
				return (v) => v !== bits;
			default:
				return cmpTest(op, bits, bits);
		}
	}
	const lo = toVal(right.lo, width);
	const hi = toVal(right.hi, width);
	return cmpTest(op, lo, hi);
}

function cmpTest(op: A.RelOp, lo: Val, hi: Val): Test {
	const single = lo === hi;
	switch (op) {
		case "implicit":
		case "==":
			return single ? (v) => v === lo : (v) => v >= lo && v <= hi;
		case "!=":
		case "neg":
			return single ? (v) => v !== lo : (v) => v < lo || v > hi;
		case "<":
			return (v) => v < lo;
		case ">":
			return (v) => v > lo;
		case "<=":
			return (v) => v <= lo;
		case ">=":
			return (v) => v >= lo;
	}
}

interface SetSource {
	readonly elems: readonly A.SetElem[];
	readonly set?: A.NftSet;
}

function setSource(v: A.AnonSetValue | A.SetRefValue, env: RuleEnv): SetSource | undefined {
	if (v.kind === "set") return { elems: v.elems };
	const set = env.sets.get(v.name);
	return set === undefined ? undefined : { elems: set.elems, set };
}

function partsOf(e: A.NftExpr): A.NftExpr[] {
	return e.kind === "concat" ? e.parts.flatMap(partsOf) : [e];
}

function widthsOf(parts: readonly A.NftExpr[]): number[] {
	return parts.map((p) => p.width);
}

/**
 * numgen and symhash (random draws). A jhash of an address is computed exactly (getters.ts); other
 * jhash keys are still treated as a uniform draw.
 */
function isRandom(e: A.NftExpr): e is A.NumgenExpr {
	return e.kind === "numgen" && !(e.mode === "jhash" && e.key !== undefined && (e.key.dtype === "ipv4_addr" || e.key.dtype === "ipv6_addr"));
}

function compileMatch(m: A.MatchStmt, env: RuleEnv): Step {
	if (isRandom(m.left)) return compileRandomMatch(m, m.left, env);
	const randomMask = metaRandomMask(m.left);
	if (randomMask !== undefined) return compileMetaRandomMatch(m, randomMask, env);
	const right = m.right;
	if (right.kind === "set" || right.kind === "setref") {
		const src = setSource(right, env);
		if (src === undefined) return unsupported(env, `set @${right.kind === "setref" ? right.name : ""} (undefined)`, m.span);
		const parts = partsOf(m.left);
		const getters = parts.map((p) => env.getters.compile(p));
		const lk = buildLookup<true>(getters, widthsOf(parts), src.elems.map((e) => ({ parts: keyParts(e.key), data: true })));
		const neg = m.op === "!=" || m.op === "neg";
		// A missing header BREAKs even a negated lookup: the load fails before the lookup.
		const allLoad = (p: Packet, c: EvalContext): boolean => {
			for (const g of getters) if (g(p, c) === undefined) return false;
			return true;
		};
		const dyn = src.set !== undefined && isDynamic(src.set) ? src.set : undefined;
		if (dyn !== undefined) {
			// Elements the packet path added (add/update) in this run, alive at the packet's time.
			const has = (p: Packet, c: EvalContext): boolean | undefined => {
				const k = dynKey(getters, p, c);
				if (k === undefined) return undefined;
				return lk.get(p, c) !== undefined || liveIn(dynStore(c, dyn), k, p);
			};
			return (p, c) => {
				const h = has(p, c);
				return h !== undefined && h !== neg ? NEXT : BREAK;
			};
		}
		if (neg) return (p, c) => (allLoad(p, c) && lk.get(p, c) === undefined ? NEXT : BREAK);
		return (p, c) => (lk.get(p, c) !== undefined ? NEXT : BREAK);
	}
	if (right.kind === "concat") {
		const parts = partsOf(m.left);
		if (parts.length !== right.parts.length) return unsupported(env, "a concatenation compared with a value of another arity", m.span);
		const getters = parts.map((p) => env.getters.compile(p));
		const tests = right.parts.map((v, i) => cmpTest("==", toVal(v.lo, parts[i]!.width), toVal(v.hi, parts[i]!.width)));
		const neg = m.op === "!=";
		return (p, c) => {
			let all = true;
			for (let i = 0; i < getters.length; i++) {
				const v = getters[i]!(p, c);
				if (v === undefined) return BREAK;
				if (!tests[i]!(v)) all = false;
			}
			return all !== neg ? NEXT : BREAK;
		};
	}
	const g = env.getters.compile(m.left);
	const t = scalarTest(m.op, right, leftType(m.left), m.left.width);
	return (p, c) => {
		const v = g(p, c);
		return v !== undefined && t(v) ? NEXT : BREAK;
	};
}

function leftType(e: A.NftExpr): A.Datatype {
	return e.kind === "binop" ? leftType(e.left) : e.dtype;
}

/**
 * `meta random` or `meta random & (2^k - 1)`: a value uniform over [0, mask] (how ipt2nft writes
 * iptables' statistic match). Other masks are not uniform over an interval.
 */
function metaRandomMask(e: A.NftExpr): bigint | undefined {
	const isRand = (x: A.NftExpr): boolean => x.kind === "meta" && x.key === "random";
	if (isRand(e)) return 0xffffffffn;
	if (e.kind === "binop" && e.op === "&" && isRand(e.left) && e.right.kind === "const") {
		const mask = e.right.value;
		if (((mask + 1n) & mask) === 0n) return mask;
	}
	return undefined;
}

/** The exact share of [0, mask] that passes the comparison, then one weighted choice. */
function compileMetaRandomMatch(m: A.MatchStmt, mask: bigint, env: RuleEnv): Step {
	const r = m.right;
	if (r.kind !== "value") return unsupported(env, "meta random compared with a set", m.span);
	const total = mask + 1n;
	const below = (x: bigint): bigint => (x <= 0n ? 0n : x >= total ? total : x); // |[0, x)|
	const inRange = below(r.hi + 1n) - below(r.lo);
	let hits: bigint;
	switch (m.op) {
		case "==":
		case "implicit":
			hits = inRange;
			break;
		case "!=":
		case "neg":
			hits = total - inRange;
			break;
		case "<":
			hits = below(r.lo);
			break;
		case "<=":
			hits = below(r.hi + 1n);
			break;
		case ">":
			hits = total - below(r.hi + 1n);
			break;
		case ">=":
			hits = total - below(r.lo);
			break;
		default: {
			const never: never = m.op;
			throw new Error(`internal error: relational ${String(never)}`);
		}
	}
	const prob = Number(hits) / Number(total);
	if (prob >= 1) return () => NEXT;
	if (prob <= 0) return () => BREAK;
	return (_p, c) => (c.choose(prob) ? NEXT : BREAK);
}

/** Values numgen/hash can take, for enumeration. */
function randomRange(n: A.NumgenExpr): { lo: number; count: number } {
	return { lo: n.offset, count: n.mod };
}

/**
 * How many of the 2^32 equally likely draws give value offset+v. The kernel's numgen random is
 * reciprocal_scale(u32, mod) = (u32 * mod) >> 32, so unless mod is a power of two the values are
 * not exactly equally likely: v gets ceil((v+1)·2^32/mod) - ceil(v·2^32/mod) draws. Other modes
 * (inc counters, hashes) are treated as uniform.
 */
function randomWeight(n: A.NumgenExpr): (v: number) => number {
	if (n.mode !== "random") return () => 1;
	const m = BigInt(n.mod);
	const ceilDiv = (a: bigint): bigint => (a + m - 1n) / m;
	return (v) => Number(ceilDiv(BigInt(v + 1) << 32n) - ceilDiv(BigInt(v) << 32n));
}

function compileRandomMatch(m: A.MatchStmt, n: A.NumgenExpr, env: RuleEnv): Step {
	const { lo, count } = randomRange(n);
	if (count > MAX_ENUM) return unsupported(env, `${n.mode} with modulus above ${MAX_ENUM}`, m.span);
	const right = m.right;
	let test: Test;
	if (right.kind === "set" || right.kind === "setref") {
		const src = setSource(right, env);
		if (src === undefined) return unsupported(env, "an undefined set", m.span);
		const member = (v: number): boolean => src.elems.some((e) => e.key.kind === "value" && BigInt(v) >= e.key.lo && BigInt(v) <= e.key.hi);
		test = m.op === "!=" ? (v) => !member(v as number) : (v) => member(v as number);
	} else if (right.kind === "concat") return unsupported(env, "numgen compared with a concatenation", m.span);
	else test = scalarTest(m.op, right, "integer", 32);
	const weight = randomWeight(n);
	let hits = 0;
	let total = 0;
	for (let v = lo; v < lo + count; v++) {
		const w = weight(v - lo);
		total += w;
		if (test(v)) hits += w;
	}
	const prob = hits / total;
	if (prob >= 1) return () => NEXT;
	if (prob <= 0) return () => BREAK;
	return (_p, c) => (c.choose(prob) ? NEXT : BREAK);
}

/**
 * A lookup keyed by numgen/hash, decomposed into successive binary choices: element i is taken
 * with probability (its share) / (share not yet decided), which weighs each outcome exactly.
 */
function randomChooser<D>(n: A.NumgenExpr, elems: readonly A.SetElem[], data: (e: A.SetElem) => D, env: RuleEnv, span: A.NftStmt["span"]): ((c: EvalContext) => D | undefined) | undefined {
	const { lo, count } = randomRange(n);
	if (count > MAX_ENUM) {
		unsupported(env, `${n.mode} with modulus above ${MAX_ENUM}`, span);
		return undefined;
	}
	const taken = new Uint8Array(count);
	const weight = randomWeight(n);
	const outcomes: { share: number; data: D }[] = [];
	let left = 0;
	for (let v = 0; v < count; v++) left += weight(v);
	for (const e of elems) {
		if (e.key.kind !== "value") continue;
		let share = 0;
		const from = Math.max(Number(e.key.lo), lo);
		const to = Math.min(Number(e.key.hi), lo + count - 1);
		for (let v = from; v <= to; v++) {
			if (taken[v - lo] === 0) {
				taken[v - lo] = 1;
				share += weight(v - lo);
			}
		}
		if (share > 0) outcomes.push({ share, data: data(e) });
	}
	const probs: number[] = [];
	for (const o of outcomes) {
		probs.push(o.share / left);
		left -= o.share;
	}
	return (c) => {
		for (let i = 0; i < outcomes.length; i++) {
			const p = probs[i]!;
			if (p >= 1 || c.choose(p)) return outcomes[i]!.data;
		}
		return undefined;
	};
}

// ---------------------------------------------------------------------------------------------
// Dynamic sets (`add|update|delete @set { key … }` and lookups in them)

/** Contents per set written from the packet path: key -> expiry in ns (null: no timeout). */
const dynamicSets = new RunState<Map<A.NftSet, Map<string, bigint | null>>>(() => new Map());

function isDynamic(set: A.NftSet): boolean {
	return set.flags.includes("dynamic");
}

function dynStore(c: EvalContext, set: A.NftSet): Map<string, bigint | null> {
	const all = dynamicSets.get(c);
	let m = all.get(set);
	if (m === undefined) {
		m = new Map();
		all.set(set, m);
	}
	return m;
}

function dynKey(getters: readonly Getter[], p: Packet, c: EvalContext): string | undefined {
	let k = "";
	for (const g of getters) {
		const v = g(p, c);
		if (v === undefined) return undefined;
		k += `${v.toString()},`;
	}
	return k;
}

function liveIn(store: Map<string, bigint | null>, k: string, p: Packet): boolean {
	const e = store.get(k);
	return e === null || (e !== undefined && e > (p.timeNs ?? TIME_DEFAULT_NS));
}

/**
 * nft_dynset: `add` inserts a missing element, `update` also re-arms an existing one's timeout,
 * `delete` removes it; then the element's own stateful expression decides: `limit` (the per-element
 * bucket, modelled like every limit by the packet's overLimit) or `ct count` (the connections of
 * the element's conncount list, the packet's connCount). A key that cannot be loaded BREAKs.
 */
function compileDynset(s: A.DynsetStmt, env: RuleEnv): Step {
	const set = env.sets.get(s.set);
	if (set === undefined) return unsupported(env, `set @${s.set} (undefined)`, s.span);
	if (!isDynamic(set)) return unsupported(env, `${s.op} @${s.set} on a set without flags dynamic`, s.span);
	const getters = partsOf(s.key).map((p) => env.getters.compile(p));
	const timeout = s.timeoutMs ?? set.timeoutMs;
	const st = s.stateful;
	let pass: (p: Packet) => boolean = () => true;
	if (st !== undefined) {
		if (st.kind === "limit") pass = st.over ? (p) => p.overLimit : (p) => !p.overLimit;
		else {
			const { over, count } = st;
			pass = (p) => ((p.connCount ?? 1) > count) === over;
		}
	}
	const op = s.op;
	return (p, c) => {
		const k = dynKey(getters, p, c);
		if (k === undefined) return BREAK;
		const store = dynStore(c, set);
		if (op === "delete") {
			store.delete(k);
			return NEXT;
		}
		const expiry = timeout === undefined ? null : (p.timeNs ?? TIME_DEFAULT_NS) + timeout * 1_000_000n;
		if (op === "update" || !liveIn(store, k, p)) store.set(k, expiry);
		return pass(p) ? NEXT : BREAK;
	};
}

// ---------------------------------------------------------------------------------------------
// Verdict maps and NAT maps

function mapElems(v: A.AnonSetValue | A.SetRefValue, env: RuleEnv, span: A.NftStmt["span"]): readonly A.SetElem[] | undefined {
	const src = setSource(v, env);
	if (src === undefined) {
		env.diagnostics.push(diagnostic("nft_undefined", `map @${v.kind === "setref" ? v.name : "?"} does not exist`, span));
		return undefined;
	}
	return src.elems;
}

function compileVmap(s: A.VmapStmt, env: RuleEnv): Step {
	const elems = mapElems(s.map, env, s.span);
	if (elems === undefined) return () => BREAK;
	const dataOf = (e: A.SetElem): VerdictData =>
		e.data !== undefined && e.data.kind === "verdict" ? resolveVerdict(e.data.verdict, env) : { code: V_CONTINUE, target: undefined, text: "continue" };
	const finish = (d: VerdictData | undefined, sc: Scratch): number => {
		if (d === undefined) return BREAK;
		sc.target = d.target;
		sc.verdictText = d.text;
		return d.code;
	};
	if (isRandom(s.key)) {
		const pick = randomChooser(s.key, elems, dataOf, env, s.span);
		if (pick === undefined) return () => BREAK;
		return (_p, c, sc) => finish(pick(c), sc);
	}
	const parts = partsOf(s.key);
	const getters = parts.map((p) => env.getters.compile(p));
	const lk: Lookup<VerdictData> = buildLookup(getters, widthsOf(parts), elems.map((e) => ({ parts: keyParts(e.key), data: dataOf(e) })));
	return (p, c, sc) => finish(lk.get(p, c), sc);
}

function compileNat(s: A.NatStmt, env: RuleEnv): Step {
	const famOk = s.fam === undefined ? undefined : s.fam === "ip" ? 4 : 6;
	const text = s.type;
	const end = (c: EvalContext, a: NatAction, sc: Scratch): number => {
		c.nat(a);
		sc.verdictText = text;
		return V_ACCEPT;
	};
	if (s.map !== undefined) {
		const elems = mapElems(s.map.map, env, s.span);
		if (elems === undefined) return () => BREAK;
		const kind = s.type === "dnat" ? "dnat" : "snat";
		const dataOf = (e: A.SetElem): NatAction | undefined => {
			const d = e.data;
			if (d === undefined || d.kind === "verdict") return undefined;
			const parts = d.kind === "concat" ? d.parts : [d];
			const a = parts[0]!;
			const port = parts[1];
			return {
				kind,
				addrLo: a.lo,
				addrHi: a.hi,
				...(port !== undefined ? { portLo: Number(port.lo), portHi: Number(port.hi) } : {}),
			};
		};
		const key = s.map.key;
		if (isRandom(key)) {
			const pick = randomChooser(key, elems, dataOf, env, s.span);
			if (pick === undefined) return () => BREAK;
			return (p, c, sc) => {
				if (famOk !== undefined && p.fam !== famOk) return BREAK;
				const a = pick(c);
				return a === undefined ? BREAK : end(c, a, sc);
			};
		}
		const parts = partsOf(key);
		const getters = parts.map((p) => env.getters.compile(p));
		const lk = buildLookup(getters, widthsOf(parts), elems.map((e) => ({ parts: keyParts(e.key), data: dataOf(e) })));
		return (p, c, sc) => {
			if (famOk !== undefined && p.fam !== famOk) return BREAK;
			const a = lk.get(p, c);
			return a === undefined ? BREAK : end(c, a, sc);
		};
	}
	const ports = s.port !== undefined ? { portLo: s.port.lo, portHi: s.port.hi } : {};
	let action: NatAction;
	if (s.prefix === true && s.addr !== undefined && (s.type === "dnat" || s.type === "snat")) {
		// NF_NAT_RANGE_NETMAP: nft_nat_setup_netmap maps the address the statement's type names.
		const netmap: NatAction = { kind: "netmap", manip: s.type === "dnat" ? "dst" : "src", addrLo: s.addr.lo, addrHi: s.addr.hi };
		const fam = famOk;
		return (p, c, sc) => (fam !== undefined && p.fam !== fam ? BREAK : end(c, netmap, sc));
	}
	switch (s.type) {
		case "dnat":
		case "snat":
			action = { kind: s.type, ...(s.addr !== undefined ? { addrLo: s.addr.lo, addrHi: s.addr.hi } : {}), ...ports };
			break;
		case "masquerade":
		case "redirect":
			action = { kind: s.type, ...ports };
			break;
	}
	// In inet tables an address family (written or implied by the address) restricts the rule.
	const fam = env.family === "inet" ? famOk : undefined;
	return (p, c, sc) => (fam !== undefined && p.fam !== fam ? BREAK : end(c, action, sc));
}

function compileReject(s: A.RejectStmt, env: RuleEnv): Step {
	const w = s.with;
	let v4: ChainOutcome | undefined;
	let v6: ChainOutcome | undefined;
	let tcpOnly = false;
	if (w === undefined) {
		// Default: icmp / icmpv6 / icmpx port-unreachable by table family.
		v4 = env.family === "ip6" ? undefined : { kind: "reject", with: "icmp-port-unreachable" };
		v6 = env.family === "ip" ? undefined : { kind: "reject", with: "icmp6-port-unreachable" };
	} else if (w.type === "tcp-reset") {
		v4 = v6 = { kind: "reject", with: "tcp-reset" };
		tcpOnly = true;
	} else if (w.type === "icmp") {
		v4 = { kind: "reject", with: REJECT_V4.get(w.code) ?? `icmp-code-${w.code}` };
	} else if (w.type === "icmpv6") {
		v6 = { kind: "reject", with: REJECT_V6.get(w.code) ?? `icmp6-code-${w.code}` };
	} else {
		const [c4, c6] = ICMPX.get(w.code) ?? [3, 4];
		v4 = { kind: "reject", with: REJECT_V4.get(c4) ?? `icmp-code-${c4}` };
		v6 = { kind: "reject", with: REJECT_V6.get(c6) ?? `icmp6-code-${c6}` };
	}
	return (p, _c, sc) => {
		// nft adds the dependency (`meta nfproto`, `meta l4proto tcp`): other packets do not match.
		const out = p.fam === 4 ? v4 : v6;
		if (out === undefined || (tcpOnly && p.proto !== 6)) return BREAK;
		sc.outcome = out;
		sc.verdictText = "reject";
		return V_OUTCOME;
	};
}

/**
 * `ct helper set "OBJ"` (nft_ct_helper_obj_eval): only an entry conntrack created for this packet
 * (unconfirmed, not a template), of the object's l4 protocol and family, with no helper assigned
 * yet (IPS_HELPER) gets the object's helper. Whether an expectation created the entry does not
 * matter here (the iptables template is ignored then: rules add `ct state new`).
 */
function compileCtHelperSet(s: A.CtHelperSetStmt, env: RuleEnv): Step {
	const obj = env.ctHelpers?.get(s.name);
	if (obj === undefined) return unsupported(env, `ct helper set "${s.name}" (no such object)`, s.span);
	const l3 = obj.l3proto ?? env.family;
	const fams = l3 === "ip" ? [4] : l3 === "ip6" ? [6] : [4, 6];
	const { type, protocol } = obj;
	return (p) => {
		const ct = p.ct;
		if (ct.state === "invalid" || ct.state === "untracked" || (ct.status & CT_STATUS.confirmed) !== 0) return NEXT;
		if ((ct.orig?.proto ?? p.proto) !== protocol || !fams.includes(p.fam) || ct.ownHelper !== undefined) return NEXT;
		ct.ownHelper = type;
		return NEXT;
	};
}

// ---------------------------------------------------------------------------------------------
// `… set …`

const PKTTYPE_NAMES: readonly Packet["pkttype"][] = ["unicast", "broadcast", "multicast"];

function compileSet(s: A.SetStmt, env: RuleEnv): Step {
	const t = s.target;
	const g: Getter = env.getters.compile(s.value);
	const num = (p: Packet, c: EvalContext): number | undefined => {
		const v = g(p, c);
		return typeof v === "number" ? v : undefined;
	};
	/** A step that evaluates the value (no value: the rule stops) and hands it to `apply`. */
	const write =
		(apply: (p: Packet, v: number) => void): Step =>
		(p, c) => {
			const v = num(p, c);
			if (v === undefined) return BREAK;
			apply(p, v);
			return NEXT;
		};
	const key = `${t.kind} ${t.kind === "payload" ? `${t.proto} ${t.field}` : t.key}`;
	switch (key) {
		case "meta mark":
			return write((p, v) => {
				p.mark = v >>> 0;
			});
		case "ct mark":
			return write((p, v) => {
				// No conntrack entry: the kernel's ct set does nothing.
				if (tracked(p)) p.ct.mark = v >>> 0;
			});
		case "meta secmark":
			return write((p, v) => {
				p.secmark = v >>> 0;
			});
		case "ct secmark":
			return write((p, v) => {
				// nft_ct_set_eval: no conntrack entry, nothing to set.
				if (tracked(p)) p.ct.secmark = v >>> 0;
			});
		case "ct label": {
			// nft_ct_set_eval: nf_connlabels_replace ORs the bits in; no entry: nothing to set.
			return (p, c) => {
				const v = g(p, c);
				if (typeof v !== "bigint") return BREAK;
				if (tracked(p)) p.ct.labels = (p.ct.labels ?? 0n) | v;
				return NEXT;
			};
		}
		case "ct zone":
			if (t.kind === "ct" && t.dir !== undefined) return unsupported(env, `ct ${t.dir} zone set`, s.span);
			return write((p, v) => {
				// nft_ct_set_zone: only a packet without a conntrack entry gets the template.
				// A second `ct zone set` finds the first one's template and does nothing.
				if (p.ct.state === "invalid" && p.ct.tmpl !== true) {
					p.ct.zone = v & 0xffff;
					p.ct.tmpl = true;
				}
			});
		case "meta nftrace":
		case "meta priority":
			return (p, c) => (num(p, c) === undefined ? BREAK : NEXT);
		case "meta pkttype":
			return write((p, v) => {
				const name = PKTTYPE_NAMES[v];
				if (name !== undefined) p.pkttype = name;
			});
		case "payload ip dscp":
		case "payload ip6 dscp":
			return write((p, v) => {
				if (p.fam === (t.kind === "payload" && t.proto === "ip" ? 4 : 6)) p.dscp = v & 0x3f;
			});
		case "payload ip ecn":
		case "payload ip6 ecn":
			return write((p, v) => {
				if (p.fam === (t.kind === "payload" && t.proto === "ip" ? 4 : 6)) p.ecn = v & 3;
			});
		case "payload ip ttl":
		case "payload ip6 hoplimit":
			return write((p, v) => {
				p.ttl = v & 0xff;
			});
		default:
			return unsupported(env, `${key} set`, s.span);
	}
}

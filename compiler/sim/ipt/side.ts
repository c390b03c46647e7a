/**
 * The iptables evaluator: `iptSide(ruleset)` compiles every table once into closures and plain
 * objects, then runs base chains the way ipt_do_table does: a jump stack, `-g` that does not push,
 * RETURN/falling off a user chain pops, an empty stack falls to the base chain's policy.
 *
 * Hot path: the generic IPv4 address and protocol tests are inlined in the chain loop on
 * integers converted once per chain run; everything else is a closure per match. Trace steps,
 * log lines, NAT actions and chain outcomes are built at compile time, so a run allocates nothing
 * of its own.
 */
import { diagnostic, type Diagnostic } from "../../ir/diagnostics.js";
import type * as ipt from "../../ir/ipt.js";
import { tablePriority, TABLE_CHAINS, type Fam } from "../../ir/ipt.js";
import type { ChainOutcome, EvalContext, Hook, LogLine, NatAction, SimBaseChain, SimSide, TraceStep } from "../model.js";
import { hasPorts, MSS_DEFAULT, type Packet } from "../packet.js";
import { compileMatch } from "./match/index.js";
import { hasEntry } from "./match/conntrack.js";
import * as T from "./targets.js";
import { isUnsupported, type MatchFn, type RunState } from "./types.js";

export const IPT_SIDE = "iptables";

const F_PROTO = 1;
const F_PROTO_NEG = 2;
const F_SRC4 = 4;
const F_SRC_NEG = 8;
const F_DST4 = 16;
const F_DST_NEG = 32;

const ACCEPT: ChainOutcome = { kind: "accept" };
const DROP: ChainOutcome = { kind: "drop" };

class CRule {
	flags = 0;
	proto = 0;
	src4 = 0;
	srcMask4 = 0;
	dst4 = 0;
	dstMask4 = 0;
	rest: MatchFn[] = [];
	action = T.A_NONE;
	target: CChain | null = null;
	outcome: ChainOutcome = DROP;
	log: LogLine | null = null;
	nat: NatAction | null = null;
	value = 0;
	mask = 0;
	mss: number | "pmtu" = 0;
	/** A_FN targets (targets.ts). */
	fn: ((pkt: Packet, ctx: EvalContext) => ChainOutcome | undefined) | null = null;
	/** The one destination port the rule can match (tcp/udp --dport N), or -1: a dispatch key. */
	dport = -1;
	step: TraceStep;
	hotdropStep: TraceStep;
	constructor(step: TraceStep, hotdropStep: TraceStep) {
		this.step = step;
		this.hotdropStep = hotdropStep;
	}
}

class CChain {
	rules: CRule[] = [];
	// Generic IPv4/protocol tests as flat arrays, read in the chain loop (see finalize()).
	fl = new Int32Array(0);
	pr = new Int32Array(0);
	sa = new Int32Array(0);
	sm = new Int32Array(0);
	da = new Int32Array(0);
	dm = new Int32Array(0);
	readonly name: string;
	readonly label: string;
	policy: ChainOutcome = ACCEPT;
	policyStep: TraceStep | null = null;
	/**
	 * Dispatch index of a long IPv4 chain (kube-proxy's KUBE-SERVICES): destination /32 -> the
	 * rules that can match it, i.e. the rules keyed on that address merged in order with the rules
	 * that have no such key (`unkeyed`). Visiting a candidate list in ascending rule order keeps
	 * first-match semantics exact; rules of other keys cannot match the packet's destination.
	 */
	index: Map<number, Int32Array> | null = null;
	/** What the index is keyed on: the IPv4 destination (/32) or the destination port. */
	indexKey: "dst" | "dport" = "dst";
	unkeyed: Int32Array = new Int32Array(0);
	constructor(name: string, label: string) {
		this.name = name;
		this.label = label;
	}
	finalize(v4: boolean): void {
		const rs = this.rules;
		this.fl = Int32Array.from(rs, (r) => r.flags);
		this.pr = Int32Array.from(rs, (r) => r.proto);
		this.sa = Int32Array.from(rs, (r) => r.src4);
		this.sm = Int32Array.from(rs, (r) => r.srcMask4);
		this.da = Int32Array.from(rs, (r) => r.dst4);
		this.dm = Int32Array.from(rs, (r) => r.dstMask4);
		if (v4 && rs.length >= INDEX_MIN_RULES) this.buildIndex();
	}
	private buildIndex(): void {
		// Destination /32 first (KUBE-SERVICES); else the destination port (KUBE-NODEPORTS).
		const byDst = (r: CRule): number | undefined => ((r.flags & (F_DST4 | F_DST_NEG)) === F_DST4 && r.dstMask4 === -1 ? r.dst4 : undefined);
		const byPort = (r: CRule): number | undefined => (r.dport >= 0 ? r.dport : undefined);
		for (const [kind, keyOf] of [
			["dst", byDst],
			["dport", byPort],
		] as const) {
			const keyed = new Map<number, number[]>();
			const unkeyed: number[] = [];
			this.rules.forEach((r, i) => {
				const k = keyOf(r);
				if (k === undefined) unkeyed.push(i);
				else {
					let l = keyed.get(k);
					if (l === undefined) keyed.set(k, (l = []));
					l.push(i);
				}
			});
			// Worth it only when keys split the chain and the unkeyed rules copied per key stay few.
			if (keyed.size < 4 || unkeyed.length > INDEX_MAX_UNKEYED) continue;
			const index = new Map<number, Int32Array>();
			for (const [k, l] of keyed) index.set(k, Int32Array.from([...l, ...unkeyed]).sort());
			this.index = index;
			this.indexKey = kind;
			this.unkeyed = Int32Array.from(unkeyed);
			return;
		}
	}
}

/** Chains shorter than this are walked linearly (the index costs a map lookup per entry). */
const INDEX_MIN_RULES = 32;
const INDEX_MAX_UNKEYED = 256;

export interface IptSide extends SimSide {
	readonly unsupported: readonly Diagnostic[];
}

export function iptSide(ruleset: ipt.Ruleset, opts: { name?: string } = {}): IptSide {
	const side = opts.name ?? IPT_SIDE;
	const unsupported: Diagnostic[] = [];
	const byHook = new Map<string, { prio: number; order: number; chain: SimBaseChain }[]>();
	const seen = new Set<string>();
	let order = 0;
	for (const table of ruleset.tables) {
		const key = `${table.family}/${table.name}`;
		if (seen.has(key)) continue; // the kernel has one table of a name per family
		seen.add(key);
		const fam: Fam = table.family === "ip" ? 4 : 6;
		const compiled = compileTable(table, fam, side, unsupported);
		for (const bc of TABLE_CHAINS[table.name]) {
			const chain = compiled.chains.get(bc);
			if (!chain) continue;
			const hook = bc.toLowerCase() as Hook;
			const type = table.name === "nat" ? "nat" : table.name === "mangle" && bc === "OUTPUT" ? "route" : "filter";
			const run = makeRunner(chain, fam, compiled.depth);
			const base: SimBaseChain = { priority: tablePriority(table.name, bc), type, label: chain.label, run };
			const k = `${hook}/${fam}`;
			const list = byHook.get(k) ?? [];
			list.push({ prio: base.priority, order: order++, chain: base });
			byHook.set(k, list);
		}
	}
	const sorted = new Map<string, readonly SimBaseChain[]>();
	for (const [k, list] of byHook) sorted.set(k, list.sort((a, b) => a.prio - b.prio || a.order - b.order).map((x) => x.chain));
	const none: readonly SimBaseChain[] = [];
	return {
		name: side,
		unsupported,
		baseChains: (hook, fam) => sorted.get(`${hook}/${fam}`) ?? none,
	};
}

interface CompiledTable {
	readonly chains: Map<string, CChain>;
	/** Deepest possible jump stack (chains in the table + 1). */
	readonly depth: number;
}

function compileTable(table: ipt.Table, fam: Fam, side: string, unsupported: Diagnostic[]): CompiledTable {
	const chains = new Map<string, CChain>();
	for (const c of table.chains) chains.set(c.name, new CChain(c.name, `${table.family} ${table.name} ${c.name}`));
	for (const c of table.chains) {
		const cc = chains.get(c.name)!;
		if (c.builtin) {
			cc.policy = c.policy === "DROP" ? DROP : ACCEPT;
			cc.policyStep = { side, chain: cc.label, rule: `-P ${c.name} ${c.policy ?? "ACCEPT"}`, span: c.span, verdict: `${c.policy ?? "ACCEPT"} (policy)` };
		}
		for (const r of c.rules) cc.rules.push(compileRule(r, table, fam, cc, chains, side, unsupported));
		cc.finalize(fam === 4);
	}
	// The kernel refuses tables whose jumps loop (ELOOP); so do we.
	const loop = findLoop(table);
	if (loop) unsupported.push(diagnostic("unsupported_extension", `chains ${loop.join(" -> ")} jump in a loop; the kernel refuses such a table`, table.span));
	return { chains, depth: table.chains.length + 1 };
}

function compileRule(
	r: ipt.Rule,
	table: ipt.Table,
	fam: Fam,
	chain: CChain,
	chains: Map<string, CChain>,
	side: string,
	unsupported: Diagnostic[],
): CRule {
	const plan = T.planTarget(r.target, table.name, fam);
	const step: TraceStep = { side, chain: chain.label, rule: r.text, span: r.span, verdict: plan.verdict };
	const cr = new CRule(step, { ...step, verdict: "DROP (hotdrop: a match dropped the packet, e.g. TCP fragment at offset 1, MH with Payload Proto != 59)" });
	if (r.proto) {
		cr.flags |= F_PROTO | (r.proto.neg ? F_PROTO_NEG : 0);
		cr.proto = r.proto.value;
	}
	const rest: MatchFn[] = [];
	if (fam === 4) {
		if (r.src) {
			cr.flags |= F_SRC4 | (r.src.neg ? F_SRC_NEG : 0);
			cr.src4 = Number(r.src.value.addr & r.src.value.mask) | 0;
			cr.srcMask4 = Number(r.src.value.mask) | 0;
		}
		if (r.dst) {
			cr.flags |= F_DST4 | (r.dst.neg ? F_DST_NEG : 0);
			cr.dst4 = Number(r.dst.value.addr & r.dst.value.mask) | 0;
			cr.dstMask4 = Number(r.dst.value.mask) | 0;
		}
	} else {
		if (r.src) rest.push(addrFn(r.src, true));
		if (r.dst) rest.push(addrFn(r.dst, false));
	}
	if (r.iif) rest.push(ifaceFn(r.iif, true));
	if (r.oif) rest.push(ifaceFn(r.oif, false));
	if (r.fragment) {
		const neg = r.fragment.neg;
		rest.push((pkt) => (pkt.fragOffset !== 0) !== neg);
	}
	cr.dport = portKey(r.matches);
	for (const m of r.matches) {
		const c = compileMatch(m, { fam, table: table.name });
		if (isUnsupported(c)) {
			unsupported.push(diagnostic("unsupported_extension", c.unsupported, r.span));
			rest.push(() => false);
		} else rest.push(c);
	}
	cr.rest = rest;
	cr.action = plan.action;
	if (plan.unsupported) {
		unsupported.push(diagnostic("unsupported_extension", plan.unsupported, r.span));
		cr.action = T.A_UNSUPPORTED;
	}
	if (plan.chain !== undefined) {
		const target = chains.get(plan.chain);
		if (!target) {
			unsupported.push(diagnostic("jump_target_missing", `chain ${plan.chain} does not exist in table ${table.name}`, r.span));
			cr.action = T.A_UNSUPPORTED;
		} else cr.target = target;
	}
	if (plan.outcome) cr.outcome = plan.outcome;
	if (plan.log) cr.log = plan.log;
	if (plan.nat) cr.nat = plan.nat;
	cr.value = plan.value ?? 0;
	cr.mask = plan.mask ?? 0;
	if (plan.mss !== undefined) cr.mss = plan.mss;
	if (plan.fn !== undefined) cr.fn = plan.fn;
	return cr;
}

/** Matches with an effect beyond their answer (state updates, random draws): keys must not skip them. */
const EFFECTFUL: ReadonlySet<string> = new Set(["recent", "statistic", "hashlimit", "limit", "quota", "connlimit", "nfacct", "connlabel", "cluster", "unknown"]);

/**
 * The single destination port a rule requires (`-p tcp -m tcp --dport N`), when no match with an
 * effect runs before that port test (skipping the rule must not skip an effect), else -1.
 */
function portKey(ms: readonly ipt.Match[]): number {
	for (const m of ms) {
		if ((m.kind === "tcp" || m.kind === "udp") && m.dport && !m.dport.neg && m.dport.value.lo === m.dport.value.hi) return m.dport.value.lo;
		if (EFFECTFUL.has(m.kind)) return -1;
	}
	return -1;
}

function addrFn(a: ipt.Neg<ipt.AddrMask>, src: boolean): MatchFn {
	const want = a.value.addr & a.value.mask;
	const mask = a.value.mask;
	const neg = a.neg;
	return src ? (pkt) => ((pkt.saddr & mask) === want) !== neg : (pkt) => ((pkt.daddr & mask) === want) !== neg;
}

/** Interface names: exact, or by prefix for `eth+`; a missing device compares as "". */
function ifaceFn(f: ipt.Neg<ipt.Iface>, input: boolean): MatchFn {
	const name = f.value.name;
	const neg = f.neg;
	if (f.value.wildcard) {
		return input ? (pkt) => (pkt.iif ?? "").startsWith(name) !== neg : (pkt) => (pkt.oif ?? "").startsWith(name) !== neg;
	}
	return input ? (pkt) => ((pkt.iif ?? "") === name) !== neg : (pkt) => ((pkt.oif ?? "") === name) !== neg;
}

function findLoop(table: ipt.Table): string[] | undefined {
	const edges = new Map<string, string[]>();
	for (const c of table.chains) {
		edges.set(
			c.name,
			c.rules.flatMap((r) => (r.target && (r.target.kind === "jump" || r.target.kind === "goto") ? [r.target.chain] : [])),
		);
	}
	const state = new Map<string, 1 | 2>();
	const stack: string[] = [];
	const visit = (n: string): string[] | undefined => {
		const s = state.get(n);
		if (s === 2) return undefined;
		if (s === 1) return [...stack.slice(stack.indexOf(n)), n];
		state.set(n, 1);
		stack.push(n);
		for (const m of edges.get(n) ?? []) {
			const l = visit(m);
			if (l) return l;
		}
		stack.pop();
		state.set(n, 2);
		return undefined;
	};
	for (const c of table.chains) {
		const l = visit(c.name);
		if (l) return l;
	}
	return undefined;
}

/** The rules of `chain` that can match a packet with this destination and port (null: all). */
function candidates(chain: CChain, d4: number, dport: number): Int32Array | null {
	const index = chain.index;
	if (index === null) return null;
	if (chain.indexKey === "dst") return index.get(d4) ?? chain.unkeyed;
	return dport < 0 ? null : (index.get(dport) ?? chain.unkeyed);
}

/**
 * One base chain's run(): ipt_do_table over the compiled rules.
 *
 * The walk is over `pos` in the chain's candidate list (`list`: the dispatch index entry for the
 * packet's destination, or null for every rule in order); `idx` is the rule's position in the
 * chain. Rules examined are counted as the kernel's linear walk would (every rule of a chain
 * segment up to the one that leaves it), whatever the index skipped, for EvalContext.countRules.
 */
function makeRunner(base: CChain, fam: Fam, depth: number): (pkt: Packet, ctx: EvalContext) => ChainOutcome {
	const stackChain: CChain[] = new Array<CChain>(depth).fill(base);
	const stackList: (Int32Array | null)[] = new Array<Int32Array | null>(depth).fill(null);
	const stackPos = new Int32Array(depth);
	const stackIdx = new Int32Array(depth);
	const st: RunState = { hotdrop: false };
	const v4 = fam === 4;
	const policyStep = base.policyStep;
	const policy = base.policy;
	return (pkt, ctx) => {
		st.hotdrop = false;
		const s4 = v4 ? Number(pkt.saddr) | 0 : 0;
		const d4 = v4 ? Number(pkt.daddr) | 0 : 0;
		const proto = pkt.proto;
		let chain = base;
		let rules = chain.rules;
		let fl = chain.fl;
		let pr = chain.pr;
		let sa = chain.sa;
		let sm = chain.sm;
		let da = chain.da;
		let dm = chain.dm;
		let n = rules.length;
		// Port keys only for first fragments with ports: the tcp match hotdrops offset-1 fragments.
		const dport = pkt.fragOffset === 0 && hasPorts(proto) ? pkt.dport : -1;
		let list = candidates(chain, d4, dport);
		let pos = 0;
		let sp = 0;
		// Rules examined: `segStart` is the first rule of the current chain segment.
		let examined = 0;
		let segStart = 0;
		let out: ChainOutcome;
		walk: for (;;) {
			const idx = list === null ? pos : pos < list.length ? list[pos]! : n;
			if (idx >= n) {
				examined += n - segStart;
				// Off the end: a user chain returns; the base chain (or a goto from it) hits the policy.
				if (sp === 0) {
					if (policyStep) ctx.trace(policyStep);
					out = policy;
					break walk;
				}
				sp--;
				chain = stackChain[sp]!;
				list = stackList[sp]!;
				pos = stackPos[sp]!;
				segStart = stackIdx[sp]!;
				rules = chain.rules;
				fl = chain.fl;
				pr = chain.pr;
				sa = chain.sa;
				sm = chain.sm;
				da = chain.da;
				dm = chain.dm;
				n = rules.length;
				continue;
			}
			pos++;
			const f = fl[idx]!;
			if (f !== 0) {
				if (f & F_PROTO && (proto === pr[idx]) === ((f & F_PROTO_NEG) !== 0)) continue;
				if (f & F_DST4 && ((d4 & dm[idx]!) === da[idx]) === ((f & F_DST_NEG) !== 0)) continue;
				if (f & F_SRC4 && ((s4 & sm[idx]!) === sa[idx]) === ((f & F_SRC_NEG) !== 0)) continue;
			}
			const r = rules[idx]!;
			const rest = r.rest;
			let ok = true;
			for (let k = 0; k < rest.length; k++) {
				if (!rest[k]!(pkt, ctx, st)) {
					ok = false;
					break;
				}
			}
			if (st.hotdrop) {
				ctx.trace(r.hotdropStep);
				examined += idx + 1 - segStart;
				out = DROP;
				break walk;
			}
			if (!ok) continue;
			ctx.trace(r.step);
			switch (r.action) {
				case T.A_NONE:
				case T.A_UNSUPPORTED:
					break;
				case T.A_ACCEPT:
					examined += idx + 1 - segStart;
					out = ACCEPT;
					break walk;
				case T.A_DROP:
					examined += idx + 1 - segStart;
					out = DROP;
					break walk;
				case T.A_OUTCOME:
					examined += idx + 1 - segStart;
					out = r.outcome;
					break walk;
				case T.A_RETURN:
					examined += idx + 1 - segStart;
					if (sp === 0) {
						if (policyStep) ctx.trace(policyStep);
						out = policy;
						break walk;
					}
					sp--;
					chain = stackChain[sp]!;
					list = stackList[sp]!;
					pos = stackPos[sp]!;
					segStart = stackIdx[sp]!;
					rules = chain.rules;
					fl = chain.fl;
					pr = chain.pr;
					sa = chain.sa;
					sm = chain.sm;
					da = chain.da;
					dm = chain.dm;
					n = rules.length;
					break;
				case T.A_JUMP:
				case T.A_GOTO:
					examined += idx + 1 - segStart;
					if (r.action === T.A_JUMP) {
						stackChain[sp] = chain;
						stackList[sp] = list;
						stackPos[sp] = pos;
						stackIdx[sp] = idx + 1;
						sp++;
					}
					chain = r.target!;
					rules = chain.rules;
					fl = chain.fl;
					pr = chain.pr;
					sa = chain.sa;
					sm = chain.sm;
					da = chain.da;
					dm = chain.dm;
					n = rules.length;
					list = candidates(chain, d4, dport);
					pos = 0;
					segStart = 0;
					break;
				case T.A_LOG:
					ctx.log(r.log!);
					break;
				case T.A_MARK:
					pkt.mark = ((pkt.mark & ~r.mask) ^ r.value) >>> 0;
					break;
				case T.A_CTMARK_SET:
					if (hasEntry(pkt.ct)) pkt.ct.mark = ((pkt.ct.mark & ~r.mask) ^ r.value) >>> 0;
					break;
				case T.A_CTMARK_SAVE:
					// value = nfmask, mask = ctmask
					if (hasEntry(pkt.ct)) pkt.ct.mark = ((pkt.ct.mark & ~r.mask) ^ (pkt.mark & r.value)) >>> 0;
					break;
				case T.A_CTMARK_RESTORE:
					if (hasEntry(pkt.ct)) pkt.mark = ((pkt.mark & ~r.value) ^ (pkt.ct.mark & r.mask)) >>> 0;
					break;
				case T.A_NAT:
					ctx.nat(r.nat!);
					examined += idx + 1 - segStart;
					out = ACCEPT;
					break walk;
				case T.A_NOTRACK:
					// Only before conntrack attached an entry (raw table); later it changes nothing.
					// xt_CT: ignored when a template came first (skb->_nfct already set).
					if (pkt.ct.state === "invalid" && pkt.ct.tmpl !== true) pkt.ct.state = "untracked";
					break;
				case T.A_MSS:
					// xt_TCPMSS never raises an existing MSS option (--set-mss); without one it adds one.
					if (pkt.proto === 6 && pkt.fragOffset === 0 && !(typeof r.mss === "number" && pkt.tcpOptions.includes(2) && (pkt.mss ?? MSS_DEFAULT) <= r.mss)) pkt.mssClamp = r.mss;
					break;
				case T.A_HL:
					pkt.ttl = r.mask === 0 ? r.value : r.mask === 1 ? Math.min(255, pkt.ttl + r.value) : Math.max(0, pkt.ttl - r.value);
					break;
				case T.A_FN: {
					const o = r.fn!(pkt, ctx);
					if (o !== undefined) return o;
					break;
				}
				case T.A_CT_ZONE:
					// The conntrack template's zone: only a packet conntrack has not seen yet gets it.
					// The first template wins (xt_CT: skb->_nfct already set).
					if (pkt.ct.state === "invalid" && pkt.ct.tmpl !== true) {
						pkt.ct.zone = r.value;
						pkt.ct.tmpl = true;
					}
					break;
				case T.A_TOS: {
					const tos = (((pkt.dscp << 2) | pkt.ecn) & ~r.mask) ^ r.value;
					pkt.dscp = (tos >> 2) & 0x3f;
					pkt.ecn = tos & 3;
					break;
				}
				default:
					throw new Error(`internal error: action ${r.action}`);
			}
		}
		if (ctx.countRules !== undefined) ctx.countRules(examined);
		return out;
	};
}

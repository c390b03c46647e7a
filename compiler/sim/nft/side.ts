/**
 * The nft side of the simulator: base chains of ip/ip6/inet tables compiled once into closures,
 * run with kernel verdict semantics (jump pushes a return frame, goto replaces the current chain,
 * return pops, falling off a base chain applies its policy, accept ends only this base chain).
 */
import type * as A from "../../../grammar/nft/ast.js";
import type { Fam } from "../../ir/ipt.js";
import { diagnostic, type Diagnostic } from "../../ir/diagnostics.js";
import type { ChainOutcome, EvalContext, Hook, SimBaseChain, SimSide } from "../model.js";
import type { Packet } from "../packet.js";
import { GetterCompiler } from "./getters.js";
import {
	BREAK,
	compileRule,
	NEXT,
	V_ACCEPT,
	V_CONTINUE,
	V_DROP,
	V_GOTO,
	V_JUMP,
	V_OUTCOME,
	V_RETURN,
	type ChainRef,
	type CompiledRule,
	type Scratch,
} from "./rule.js";

export interface NftSideOptions {
	/** Side name in traces and reports; default "nft". */
	readonly name?: string;
}

export interface NftSide extends SimSide {
	/** Constructs the simulator does not model (each rule holding one never matches). */
	readonly diagnostics: readonly Diagnostic[];
}

const ACCEPT: ChainOutcome = { kind: "accept" };
const DROP: ChainOutcome = { kind: "drop" };
/** The kernel allows 16 nested jumps; deeper means a loop nft would have refused to load. */
const MAX_DEPTH = 16;
const PRIO_CONNTRACK = -200;

const HOOK_OF: Readonly<Record<string, Hook | undefined>> = {
	prerouting: "prerouting",
	input: "input",
	forward: "forward",
	output: "output",
	postrouting: "postrouting",
};

interface Base {
	readonly chain: SimBaseChain;
	readonly hook: Hook;
	readonly fams: readonly Fam[];
}

/** Payloads and keys that establish the transport protocol for what follows in the rule. */
// `th dport` does not: nft still asks for a protocol (checked with nft -c).
const L4_PAYLOADS: ReadonlySet<string> = new Set(["tcp", "udp", "udplite", "sctp", "dccp"]);

function setsL4(e: unknown): boolean {
	if (typeof e !== "object" || e === null) return false;
	const o = e as Record<string, unknown>;
	if (o["kind"] === "payload" && typeof o["proto"] === "string") {
		if (L4_PAYLOADS.has(o["proto"])) return true;
		if ((o["proto"] === "ip" && o["field"] === "protocol") || (o["proto"] === "ip6" && o["field"] === "nexthdr")) return true;
	}
	if (o["kind"] === "meta" && o["key"] === "l4proto") return true;
	return Object.values(o).some((v) => (Array.isArray(v) ? v.some(setsL4) : typeof v === "object" && v !== null && "kind" in v && setsL4(v)));
}

/**
 * nft's evaluator refuses `dnat to 10.0.0.1:80` (and snat/masquerade/redirect to a port) unless an
 * earlier expression of the rule fixed the transport protocol ("transport protocol mapping is
 * only valid after transport protocol match"); the simulator refuses such text too.
 */
function natPortWithoutL4(r: A.NftRule): boolean {
	let l4 = false;
	for (const s of r.stmts) {
		if (s.kind === "match" && (setsL4(s.left) || setsL4(s.right))) l4 = true;
		if (s.kind === "nat" && s.port !== undefined && !l4) return true;
	}
	return false;
}

export function nftSide(ast: A.NftRuleset, opts: NftSideOptions = {}): NftSide {
	const side = opts.name ?? "nft";
	const diagnostics: Diagnostic[] = [];
	const getters = new GetterCompiler();
	const scratch: Scratch = { target: undefined, outcome: undefined, verdictText: "" };
	const stackChain: ChainRef[] = [];
	const stackIdx: number[] = [];
	const bases: Base[] = [];

	for (const t of ast.tables) {
		const fams: Fam[] | undefined = t.family === "ip" ? [4] : t.family === "ip6" ? [6] : t.family === "inet" ? [4, 6] : undefined;
		if (fams === undefined) continue; // arp/bridge/netdev hooks are outside the IP path
		const chains = new Map<string, ChainRef>();
		for (const c of t.chains) chains.set(c.name, { name: c.name, rules: [] });
		const env = {
			family: t.family,
			chains,
			sets: new Map(t.sets.map((s) => [s.name, s] as const)),
			ctHelpers: new Map((t.ctHelpers ?? []).map((h) => [h.name, h] as const)),
			getters,
			diagnostics,
		};
		for (const c of t.chains) {
			for (const r of c.rules) if (natPortWithoutL4(r)) diagnostics.push(diagnostic("nft_rule_refused", `${t.family} ${t.name} ${c.name}: nft refuses a NAT port without a transport protocol match before it (add \`meta l4proto tcp\` or \`udp\`)`, r.span));
			chains.get(c.name)!.rules = c.rules.map((r) => compileRule(r, env));
		}
		for (const c of t.chains) {
			const b = c.base;
			if (b === undefined) continue;
			const hook = HOOK_OF[b.hook];
			if (hook === undefined) continue;
			const ref = chains.get(c.name)!;
			const label = `table ${t.family} ${t.name} chain ${c.name}`;
			// nf_tables_api.c: a nat chain must run after conntrack (-200); the kernel says EOPNOTSUPP.
			if (b.type === "nat" && b.priority <= PRIO_CONNTRACK) {
				diagnostics.push(diagnostic("nft_chain_refused", `${label}: the kernel refuses nat chains at priority ${b.priority} (must be above -200, after conntrack)`, c.span));
				continue;
			}
			const policy = b.policy === "drop" ? DROP : ACCEPT;
			const policyText = `policy ${b.policy}`;
			bases.push({
				hook,
				fams,
				chain: {
					priority: b.priority,
					type: b.type,
					label,
					run: (pkt, ctx) => run(ref, policy, policyText, pkt, ctx),
				},
			});
		}
	}
	// Stable: equal priorities keep file order (Array.prototype.sort is stable).
	bases.sort((a, b) => a.chain.priority - b.chain.priority);
	const byKey = new Map<string, SimBaseChain[]>();
	for (const b of bases) {
		for (const f of b.fams) {
			const k = `${b.hook}/${f}`;
			let l = byKey.get(k);
			if (l === undefined) byKey.set(k, (l = []));
			l.push(b.chain);
		}
	}
	const none: readonly SimBaseChain[] = [];

	function trace(ctx: EvalContext, chain: ChainRef, r: CompiledRule, verdict: string | undefined): void {
		if (ctx.tracing === false) return;
		ctx.trace(verdict !== undefined ? { side, chain: chain.name, rule: r.text, span: r.span, verdict } : { side, chain: chain.name, rule: r.text, span: r.span });
	}

	function applyPolicy(ctx: EvalContext, base: ChainRef, policy: ChainOutcome, policyText: string): ChainOutcome {
		if (ctx.tracing !== false) ctx.trace({ side, chain: base.name, rule: policyText, verdict: policy.kind });
		return policy;
	}

	/**
	 * Rules examined are counted as the kernel walks (every rule of a chain segment up to the one
	 * that leaves it; a set or vmap lookup is one rule), reported through EvalContext.countRules.
	 */
	function run(base: ChainRef, policy: ChainOutcome, policyText: string, pkt: Packet, ctx: EvalContext): ChainOutcome {
		let cur = base;
		let idx = 0;
		let sp = 0;
		let examined = 0;
		let segStart = 0;
		let out: ChainOutcome;
		walk: for (;;) {
			if (idx >= cur.rules.length) {
				examined += cur.rules.length - segStart;
				if (sp === 0) {
					out = applyPolicy(ctx, base, policy, policyText);
					break walk;
				}
				sp--;
				cur = stackChain[sp]!;
				idx = segStart = stackIdx[sp]!;
				continue;
			}
			const r = cur.rules[idx++]!;
			const steps = r.steps;
			let code = NEXT;
			for (let k = 0; k < steps.length && code === NEXT; k++) code = steps[k]!(pkt, ctx, scratch);
			if (code === BREAK) continue;
			if (code === NEXT) {
				trace(ctx, cur, r, undefined);
				continue;
			}
			trace(ctx, cur, r, scratch.verdictText);
			switch (code) {
				case V_ACCEPT:
					examined += idx - segStart;
					out = ACCEPT;
					break walk;
				case V_DROP:
					examined += idx - segStart;
					out = DROP;
					break walk;
				case V_CONTINUE:
					break;
				case V_RETURN:
					examined += idx - segStart;
					if (sp === 0) {
						out = applyPolicy(ctx, base, policy, policyText);
						break walk;
					}
					sp--;
					cur = stackChain[sp]!;
					idx = segStart = stackIdx[sp]!;
					break;
				case V_JUMP:
					examined += idx - segStart;
					if (sp >= MAX_DEPTH) {
						out = DROP;
						break walk;
					}
					stackChain[sp] = cur;
					stackIdx[sp] = idx;
					sp++;
					cur = scratch.target!;
					idx = segStart = 0;
					break;
				case V_GOTO:
					examined += idx - segStart;
					cur = scratch.target!;
					idx = segStart = 0;
					break;
				case V_OUTCOME:
					examined += idx - segStart;
					out = scratch.outcome!;
					break walk;
				default:
					throw new Error(`internal error: step code ${code}`);
			}
		}
		if (ctx.countRules !== undefined) ctx.countRules(examined);
		return out;
	}

	return {
		name: side,
		diagnostics: [...getters.diagnostics, ...diagnostics],
		baseChains(hook: Hook, fam: Fam): readonly SimBaseChain[] {
			return byKey.get(`${hook}/${fam}`) ?? none;
		},
	};
}

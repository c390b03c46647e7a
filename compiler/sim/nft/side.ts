/**
 * The nft side of the simulator: base chains of ip/ip6/inet tables compiled once into closures,
 * run with kernel verdict semantics (jump pushes a return frame, goto replaces the current chain,
 * return pops, falling off a base chain applies its policy, accept ends only this base chain).
 */
import type * as A from "../../../grammar/nft/ast.js";
import type { Fam } from "../../ir/ipt.js";
import type { Diagnostic } from "../../ir/diagnostics.js";
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
			getters,
			diagnostics,
		};
		for (const c of t.chains) chains.get(c.name)!.rules = c.rules.map((r) => compileRule(r, env));
		for (const c of t.chains) {
			const b = c.base;
			if (b === undefined) continue;
			const hook = HOOK_OF[b.hook];
			if (hook === undefined) continue;
			const ref = chains.get(c.name)!;
			const label = `table ${t.family} ${t.name} chain ${c.name}`;
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

	function run(base: ChainRef, policy: ChainOutcome, policyText: string, pkt: Packet, ctx: EvalContext): ChainOutcome {
		let cur = base;
		let idx = 0;
		let sp = 0;
		for (;;) {
			if (idx >= cur.rules.length) {
				if (sp === 0) return applyPolicy(ctx, base, policy, policyText);
				sp--;
				cur = stackChain[sp]!;
				idx = stackIdx[sp]!;
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
					return ACCEPT;
				case V_DROP:
					return DROP;
				case V_CONTINUE:
					break;
				case V_RETURN:
					if (sp === 0) return applyPolicy(ctx, base, policy, policyText);
					sp--;
					cur = stackChain[sp]!;
					idx = stackIdx[sp]!;
					break;
				case V_JUMP:
					if (sp >= MAX_DEPTH) return DROP;
					stackChain[sp] = cur;
					stackIdx[sp] = idx;
					sp++;
					cur = scratch.target!;
					idx = 0;
					break;
				case V_GOTO:
					cur = scratch.target!;
					idx = 0;
					break;
				case V_OUTCOME:
					return scratch.outcome!;
				default:
					throw new Error(`internal error: step code ${code}`);
			}
		}
	}

	return {
		name: side,
		diagnostics: [...getters.diagnostics, ...diagnostics],
		baseChains(hook: Hook, fam: Fam): readonly SimBaseChain[] {
			return byKey.get(`${hook}/${fam}`) ?? none;
		},
	};
}

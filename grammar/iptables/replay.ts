/**
 * Replays parsed commands into the model the way the kernel tables would change: append,
 * insert, delete (by number or by rule), replace, policy, new/delete/rename chain, flush, zero.
 */
import type { Family, Rule } from "../../compiler/ir/ipt.js";
import type { Span } from "../../compiler/ir/span.js";
import type { ParsedCommand, RuleBody } from "./argv.js";
import type { ChainState, Model, TableState } from "./model.js";
import { intern, type Source } from "./source.js";
import type { Word } from "./words.js";

/** iptables chain names are at most 28 characters (29 with the NUL). */
const MAX_CHAIN = 28;

export class Replayer {
	constructor(
		private readonly src: Source,
		private readonly model: Model,
	) {}

	private lastTable: TableState | undefined;

	/** Consecutive lines nearly always use the same table: skip the keyed lookup. */
	private cachedTable(family: Family, name: string): TableState | undefined {
		const t = this.lastTable;
		if (t !== undefined && t.name === name && t.family === family && this.model.get(family, t.name) === t) return t;
		this.lastTable = this.model.get(family, name as TableState["name"]);
		return this.lastTable;
	}

	/**
	 * @param deferJumps save files and -S dumps declare every chain before use, so their jumps are
	 *   checked once at COMMIT / end of dump; scripts check at the time of the command, like iptables.
	 */
	apply(pc: ParsedCommand, family: Family, span: Span, text: string, deferJumps: boolean): void {
		if (pc.otherFamily || pc.failed) return;
		// Fast path for the common case (every line of a save file): no closures, no lookups twice.
		if (pc.op === "append" && deferJumps && pc.chainWord !== undefined) {
			const c = this.cachedTable(family, pc.table)?.chains.get(pc.chainWord.text);
			if (c !== undefined) {
				for (const b of pc.rules) c.rules.push(withPlace(b, span, text));
				return;
			}
		}
		const at = (w: Word | undefined): Span => (w === undefined ? span : this.src.wordSpan(w));
		if (pc.op === undefined) {
			if (pc.hasSpec) this.src.report("syntax_error", "no command given (expected -A, -I, -D, -R, -P, -N, -X, -F, -Z or -E)", span);
			return;
		}
		const table = this.model.table(family, pc.table, span);
		const chainName = pc.chainWord?.text;
		const chain = chainName === undefined ? undefined : table.chains.get(chainName);
		const needChain = (): ChainState | undefined => {
			if (chain === undefined)
				this.src.report("chain_not_declared", `chain "${chainName ?? ""}" does not exist in table ${pc.table}`, at(pc.chainWord), table.chains.size > 0 ? hint(chainName ?? "", table) : undefined);
			return chain;
		};
		/**
		 * Scripts often clean up before they build (`iptables -X DUMP; iptables -N DUMP`): deleting,
		 * flushing or zeroing a chain that does not exist fails on a fresh host and changes nothing,
		 * so no rule is lost: a warning, not an error.
		 */
		const cleanupChain = (): ChainState | undefined => {
			if (chain === undefined && chainName !== undefined)
				this.src.report("cleanup_of_missing_chain", `chain "${chainName}" does not exist in table ${pc.table}: \`${pc.opWord?.text ?? ""} ${chainName}\` fails on a fresh host and changes nothing`, at(pc.chainWord));
			return chain;
		};
		const makeRules = (bodies: readonly RuleBody[]): Rule[] | undefined => {
			if (!deferJumps)
				for (const b of bodies) if (!this.jumpOk(table, b, span)) return undefined;
			return bodies.map((b) => withPlace(b, span, text));
		};
		switch (pc.op) {
			case "append": {
				const c = needChain();
				const rules = c && makeRules(pc.rules);
				if (c && rules) for (const r of rules) c.rules.push(r);
				return;
			}
			case "insert": {
				const c = needChain();
				if (!c) return;
				const n = pc.num ?? 1;
				if (n > c.rules.length + 1) {
					this.src.report("rule_not_found", `cannot insert at position ${n}: ${c.name} has ${c.rules.length} rules`, at(pc.numWord));
					return;
				}
				const rules = makeRules(pc.rules);
				if (rules) c.rules.splice(n - 1, 0, ...rules);
				return;
			}
			case "delete": {
				const c = needChain();
				if (!c) return;
				if (pc.num !== undefined) {
					if (pc.num > c.rules.length) {
						this.src.report("rule_not_found", `rule ${pc.num} does not exist: ${c.name} has ${c.rules.length} rules`, at(pc.numWord));
						return;
					}
					c.rules.splice(pc.num - 1, 1);
					return;
				}
				for (const b of pc.rules) {
					const k = ruleKey(b);
					const idx = c.rules.findIndex((r) => ruleKey(r) === k);
					if (idx < 0) {
						this.src.report("rule_not_found", `no rule in ${c.name} matches the rule to delete`, span);
						return;
					}
					c.rules.splice(idx, 1);
				}
				return;
			}
			case "replace": {
				const c = needChain();
				if (!c || pc.num === undefined) return;
				if (pc.num > c.rules.length) {
					this.src.report("rule_not_found", `rule ${pc.num} does not exist: ${c.name} has ${c.rules.length} rules`, at(pc.numWord));
					return;
				}
				if (pc.rules.length !== 1) {
					this.src.report("invalid_value", "the replacement rule must give exactly one source and destination address", span);
					return;
				}
				const rules = makeRules(pc.rules);
				if (rules) c.rules[pc.num - 1] = rules[0]!;
				return;
			}
			case "policy": {
				const c = needChain();
				if (!c || pc.secondWord === undefined) return;
				const p = pc.secondWord.text;
				if (!c.builtin) {
					this.src.report("policy_on_user_chain", `user chain ${c.name} cannot have a policy`, at(pc.chainWord));
					return;
				}
				if (p !== "ACCEPT" && p !== "DROP") {
					this.src.report("invalid_policy", `policy must be ACCEPT or DROP, not "${p}"`, at(pc.secondWord));
					return;
				}
				c.policy = p;
				return;
			}
			case "new-chain": {
				if (chainName === undefined) return;
				if (chain !== undefined) {
					this.src.report("chain_exists", `chain ${chainName} already exists in table ${pc.table}`, at(pc.chainWord));
					return;
				}
				if (!this.validChainName(chainName, pc.chainWord)) return;
				table.chains.set(intern(chainName), { name: intern(chainName), builtin: false, span, rules: [] });
				return;
			}
			case "delete-chain": {
				const targets = chainName === undefined ? [...table.chains.values()].filter((c) => !c.builtin) : [cleanupChain()];
				for (const c of targets) {
					if (c === undefined) return;
					if (c.builtin) {
						this.src.report("builtin_chain", `built-in chain ${c.name} cannot be deleted`, at(pc.chainWord));
						continue;
					}
					const refs = table.references(c.name).filter((r) => chainName !== undefined || r.chain.builtin || r.chain === c);
					if (c.rules.length > 0 || refs.length > 0) {
						const why = c.rules.length > 0 ? `it still has ${c.rules.length} rules` : `${refs.length} rule(s) still jump to it (first: ${refs[0]!.chain.name} rule ${refs[0]!.index + 1})`;
						this.src.report("chain_in_use", `cannot delete chain ${c.name}: ${why}`, at(pc.chainWord ?? pc.opWord));
						continue;
					}
					table.chains.delete(c.name);
				}
				return;
			}
			case "flush": {
				if (chainName === undefined) {
					for (const c of table.chains.values()) c.rules = [];
					return;
				}
				const c = cleanupChain();
				if (c) c.rules = [];
				return;
			}
			case "zero": {
				const zero = (c: ChainState): void => {
					c.rules = c.rules.map((r) => (r.counters === undefined ? r : { ...r, counters: { packets: 0n, bytes: 0n } }));
					if (c.counters !== undefined) c.counters = { packets: 0n, bytes: 0n };
				};
				if (chainName === undefined) for (const c of table.chains.values()) zero(c);
				else {
					const c = cleanupChain();
					if (c) zero(c);
				}
				return;
			}
			case "rename-chain": {
				const c = needChain();
				const to = pc.secondWord?.text;
				if (!c || to === undefined) return;
				if (c.builtin) {
					this.src.report("builtin_chain", `built-in chain ${c.name} cannot be renamed`, at(pc.chainWord));
					return;
				}
				if (table.chains.has(to)) {
					this.src.report("chain_exists", `chain ${to} already exists in table ${pc.table}`, at(pc.secondWord));
					return;
				}
				if (!this.validChainName(to, pc.secondWord)) return;
				const old = c.name;
				const name = intern(to);
				// Keep declaration order: rebuild the map with the new key in the old place.
				const entries = [...table.chains.entries()];
				table.chains.clear();
				for (const [k, v] of entries) table.chains.set(k === old ? name : k, v);
				c.name = name;
				for (const ch of table.chains.values())
					ch.rules = ch.rules.map((r) => {
						const t = r.target;
						return t !== undefined && (t.kind === "jump" || t.kind === "goto") && t.chain === old ? { ...r, target: { kind: t.kind, chain: name } } : r;
					});
				return;
			}
			case "list":
			case "list-rules":
			case "check":
				return;
		}
	}

	/** Save/dump: drops rules whose -j/-g names a chain the table does not have, reporting each. */
	checkJumps(table: TableState): void {
		for (const c of table.chains.values()) {
			let bad = false;
			for (const r of c.rules) {
				const t = r.target;
				if (t !== undefined && (t.kind === "jump" || t.kind === "goto") && !table.chains.has(t.chain)) {
					bad = true;
					break;
				}
			}
			if (bad) c.rules = c.rules.filter((r) => this.jumpOk(table, r, r.span));
		}
	}

	private jumpOk(table: TableState, b: RuleBody, span: Span): boolean {
		const t = b.target;
		if (t === undefined || (t.kind !== "jump" && t.kind !== "goto")) return true;
		if (table.chains.has(t.chain)) return true;
		this.src.report("jump_target_missing", `${t.kind === "goto" ? "-g" : "-j"} ${t.chain}: no such chain in table ${table.name}`, span, hint(t.chain, table));
		return false;
	}

	private validChainName(name: string, w: Word | undefined): boolean {
		if (name.length > MAX_CHAIN || name.length === 0 || name.startsWith("-") || name.startsWith("!") || /\s/.test(name)) {
			this.src.report("invalid_value", `invalid chain name "${name}" (at most ${MAX_CHAIN} characters, no leading - or !, no spaces)`, w);
			return false;
		}
		return true;
	}
}

/** Rule = body + place, built field by field (object spread is slow on 100k-rule inputs). */
function withPlace(b: RuleBody, span: Span, text: string): Rule {
	const r: { -readonly [K in keyof Rule]: Rule[K] } = { span, text, matches: b.matches };
	if (b.counters !== undefined) r.counters = b.counters;
	if (b.iif !== undefined) r.iif = b.iif;
	if (b.oif !== undefined) r.oif = b.oif;
	if (b.proto !== undefined) r.proto = b.proto;
	if (b.src !== undefined) r.src = b.src;
	if (b.dst !== undefined) r.dst = b.dst;
	if (b.fragment !== undefined) r.fragment = b.fragment;
	if (b.target !== undefined) r.target = b.target;
	return r;
}

function hint(name: string, table: TableState): string | undefined {
	let best: string | undefined;
	let bestD = 3;
	for (const c of table.chains.keys()) {
		const d = editDistance(name, c);
		if (d < bestD) {
			bestD = d;
			best = c;
		}
	}
	return best === undefined ? undefined : `did you mean ${best}?`;
}

function editDistance(a: string, b: string): number {
	if (Math.abs(a.length - b.length) > 2) return 99;
	const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		let diag = prev[0]!;
		prev[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const tmp = prev[j]!;
			prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
			diag = tmp;
		}
	}
	return prev[b.length]!;
}

/** Identity of a rule for `-D chain rule-spec`: everything but position, text and counters. */
export function ruleKey(r: RuleBody): string {
	const { counters: _c, ...rest } = r as RuleBody & { span?: unknown; text?: unknown };
	const clean: Record<string, unknown> = { ...rest };
	delete clean["span"];
	delete clean["text"];
	return JSON.stringify(clean, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

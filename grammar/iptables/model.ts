/**
 * The mutable ruleset that commands are replayed into (iptables-save sections, -S dumps and
 * scripts all end up here), and its conversion to the readonly IR.
 */
import {
	TABLE_CHAINS,
	type BuiltinChain,
	type Chain,
	type Counters,
	type Family,
	type Rule,
	type Ruleset,
	type Table,
	type TableName,
} from "../../compiler/ir/ipt.js";
import type { Span } from "../../compiler/ir/span.js";

export interface ChainState {
	name: string;
	readonly builtin: boolean;
	policy?: "ACCEPT" | "DROP";
	counters?: Counters;
	span: Span;
	rules: Rule[];
}

export class TableState {
	readonly chains = new Map<string, ChainState>();

	constructor(
		readonly family: Family,
		readonly name: TableName,
		public span: Span,
	) {
		for (const c of TABLE_CHAINS[name]) this.chains.set(c, { name: c, builtin: true, policy: "ACCEPT", span, rules: [] });
	}

	isBuiltin(name: string): name is BuiltinChain {
		return this.chains.get(name)?.builtin === true;
	}

	/** Rules (chain, index) whose -j/-g names `chain`. */
	references(chain: string): { chain: ChainState; index: number }[] {
		const out: { chain: ChainState; index: number }[] = [];
		for (const c of this.chains.values())
			c.rules.forEach((r, index) => {
				const t = r.target;
				if (t !== undefined && (t.kind === "jump" || t.kind === "goto") && t.chain === chain) out.push({ chain: c, index });
			});
		return out;
	}

	toIR(): Table {
		const chains: Chain[] = [];
		const push = (c: ChainState): void => {
			const out: { -readonly [K in keyof Chain]: Chain[K] } = { name: c.name, builtin: c.builtin, span: c.span, rules: c.rules };
			if (c.builtin && c.policy !== undefined) out.policy = c.policy;
			if (c.counters !== undefined) out.counters = c.counters;
			chains.push(out);
		};
		for (const b of TABLE_CHAINS[this.name]) {
			const c = this.chains.get(b);
			if (c !== undefined) push(c);
		}
		for (const c of this.chains.values()) if (!c.builtin) push(c);
		return { family: this.family, name: this.name, span: this.span, chains };
	}
}

const IP_KEYS: Readonly<Record<TableName, string>> = { filter: "ip:filter", nat: "ip:nat", mangle: "ip:mangle", raw: "ip:raw", security: "ip:security" };
const IP6_KEYS: Readonly<Record<TableName, string>> = { filter: "ip6:filter", nat: "ip6:nat", mangle: "ip6:mangle", raw: "ip6:raw", security: "ip6:security" };

export class Model {
	private readonly tables = new Map<string, TableState>();

	get(family: Family, name: TableName): TableState | undefined {
		return this.tables.get(family === "ip" ? IP_KEYS[name] : IP6_KEYS[name]);
	}

	/** The table, created with its built-in chains on first use. */
	table(family: Family, name: TableName, span: Span): TableState {
		const key = `${family}:${name}`;
		let t = this.tables.get(key);
		if (t === undefined) {
			t = new TableState(family, name, span);
			this.tables.set(key, t);
		}
		return t;
	}

	/** A fresh, empty table replacing any earlier one (a new save section or a newer -S dump). */
	reset(family: Family, name: TableName, span: Span): TableState {
		const key = `${family}:${name}`;
		this.tables.delete(key);
		const t = new TableState(family, name, span);
		this.tables.set(key, t);
		return t;
	}

	all(): TableState[] {
		return [...this.tables.values()];
	}

	toIR(): Ruleset {
		return { tables: this.all().map((t) => t.toIR()) };
	}
}

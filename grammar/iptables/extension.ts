/**
 * How an extension (a match under ext/ or a target under target/) declares itself: its option
 * table (names, aliases, arity, negation) and how it builds its IR node. Adding an extension means
 * adding one file that calls defineMatch/defineTarget and one line in registry.ts.
 */
import type { Code } from "../../compiler/ir/diagnostics.js";
import type { BuiltinChain, Fam, Family, Match, TableName, Target } from "../../compiler/ir/ipt.js";
import { isBad, type Bad } from "./values.js";
import type { Word } from "./words.js";

/** One occurrence of an option on the command line. */
export interface OptionValue {
	/** The canonical option name (without `--`). */
	readonly name: string;
	/** The option word itself (for spans). */
	readonly word: Word;
	readonly neg: boolean;
	/** The value words (`arity` of them). */
	readonly args: readonly Word[];
}

export interface ExtContext {
	readonly fam: Fam;
	readonly family: Family;
	/** Reports a diagnostic at a word (an error makes the rule fail unless the code is `unsupported_*`). */
	error(code: Code, message: string, at: Word, hint?: string): void;
	/** Reports a value parser's refusal at a word. */
	bad(b: Bad, at: Word): void;
}

export interface FinishContext extends ExtContext {
	readonly table: TableName;
	readonly chain: string;
	/** Set when the rule's chain is a built-in chain. */
	readonly builtin: BuiltinChain | undefined;
	/** `-p` (undefined for none / all) and whether it was negated. */
	readonly proto: number | undefined;
	readonly protoNeg: boolean;
	/** The `-m NAME` / `-j NAME` word. */
	readonly nameWord: Word;
	/** The rule's finished matches (targets look at them, e.g. TCPMSS needs a SYN match). */
	readonly matches: readonly Match[];
}

export interface OptionDef<S> {
	readonly name: string;
	readonly aliases?: readonly string[];
	/** Number of value words. */
	readonly arity: 0 | 1 | 2;
	readonly negatable?: boolean;
	/** May be given more than once (otherwise duplicate_option). */
	readonly repeatable?: boolean;
	apply(s: S, v: OptionValue, cx: ExtContext): void;
}

export interface ExtensionSpec<S, R> {
	readonly name: string;
	readonly aliases?: readonly string[];
	/** Only for this family (e.g. icmp is IPv4, icmp6 is IPv6). */
	readonly family?: Family;
	readonly options: readonly OptionDef<S>[];
	init(): S;
	/** Final check and IR node; undefined after reporting an error. */
	finish(s: S, cx: FinishContext): R | undefined;
}

export interface OptionInfo {
	readonly name: string;
	readonly arity: 0 | 1 | 2;
	readonly negatable: boolean;
	readonly repeatable: boolean;
}

export interface ExtInstance<R> {
	apply(index: number, v: OptionValue, cx: ExtContext): void;
	finish(cx: FinishContext): R | undefined;
	/** Bit i set: option i was already given (for duplicate_option). */
	seen: number;
}

export interface Extension<R> {
	readonly name: string;
	readonly names: readonly string[];
	readonly family: Family | undefined;
	readonly options: readonly OptionInfo[];
	/** Option name or alias -> index into options. */
	readonly lookup: ReadonlyMap<string, number>;
	instantiate(): ExtInstance<R>;
}

function define<S, R>(spec: ExtensionSpec<S, R>): Extension<R> {
	const lookup = new Map<string, number>();
	spec.options.forEach((o, i) => {
		lookup.set(o.name, i);
		for (const a of o.aliases ?? []) lookup.set(a, i);
	});
	return {
		name: spec.name,
		names: [spec.name, ...(spec.aliases ?? [])],
		family: spec.family,
		options: spec.options.map((o) => ({
			name: o.name,
			arity: o.arity,
			negatable: o.negatable ?? false,
			repeatable: o.repeatable ?? false,
		})),
		lookup,
		instantiate(): ExtInstance<R> {
			return new Instance(spec, spec.init());
		},
	};
}

/** A class, not closures: one small object per -m/-j on the hot path. */
class Instance<S, R> implements ExtInstance<R> {
	seen = 0;
	constructor(
		private readonly spec: ExtensionSpec<S, R>,
		private readonly s: S,
	) {}

	apply(index: number, v: OptionValue, cx: ExtContext): void {
		this.spec.options[index]!.apply(this.s, v, cx);
	}

	finish(cx: FinishContext): R | undefined {
		return this.spec.finish(this.s, cx);
	}
}

export function defineMatch<S>(spec: ExtensionSpec<S, Match>): Extension<Match> {
	return define(spec);
}

export function defineTarget<S>(spec: ExtensionSpec<S, Target>): Extension<Target> {
	return define(spec);
}

/** Shared helper: a value parser's result, reporting a refusal at `at`. */
export function take<T>(cx: ExtContext, r: T | Bad, at: Word): T | undefined {
	if (isBad(r)) {
		cx.bad(r, at);
		return undefined;
	}
	return r as T;
}

/**
 * The iptables command line, interpreted the way iptables' getopt loop does: one command
 * (-A/-I/-D/…), the generic rule options (-s -d -i -o -p -f -j -g -m -c), and extension options
 * dispatched to the most recently loaded match or the target, with the protocol match loaded
 * automatically after `-p tcp` etc. Produces rule bodies (comma lists in -s/-d expanded).
 */
import { closest, type Code } from "../../compiler/ir/diagnostics.js";
import {
	TABLE_CHAINS,
	type AddrMask,
	type BuiltinChain,
	type Counters,
	type Fam,
	type Family,
	type Iface,
	type Match,
	type Neg,
	type Rule,
	type TableName,
	type Target,
} from "../../compiler/ir/ipt.js";
import type { Extension, ExtContext, ExtInstance, FinishContext, OptionValue } from "./extension.js";
import {
	KNOWN_UNSUPPORTED_TARGETS,
	matchOptionOwners,
	matchRegistry,
	protocolMatchName,
	targetRegistry,
} from "./registry.js";
import { intern, type Source } from "./source.js";
import { Bad, isBad, parseAddrMask, parseDec, parseIface, parseProtocol } from "./values.js";
import type { Word } from "./words.js";

export type CommandOp =
	| "append"
	| "insert"
	| "delete"
	| "replace"
	| "policy"
	| "new-chain"
	| "delete-chain"
	| "flush"
	| "zero"
	| "rename-chain"
	| "list"
	| "list-rules"
	| "check";

export type RuleBody = Omit<Rule, "span" | "text">;

export interface ParsedCommand {
	readonly op: CommandOp | undefined;
	readonly opWord: Word | undefined;
	/** Positional words after the command option (chain, number, policy, new name). */
	readonly chainWord: Word | undefined;
	readonly num: number | undefined;
	readonly numWord: Word | undefined;
	readonly secondWord: Word | undefined;
	readonly table: TableName;
	readonly tableWord: Word | undefined;
	/** `-4` in ip6tables or `-6` in iptables: iptables-restore skips such lines. */
	readonly otherFamily: boolean;
	/** The rule(s) the spec describes (several with -s/-d lists); empty when it failed. */
	readonly rules: readonly RuleBody[];
	/** Whether rule-spec options were given at all. */
	readonly hasSpec: boolean;
	/** Hard errors were reported (unsupported_* do not count). */
	readonly failed: boolean;
}

export interface CommandEnv {
	readonly src: Source;
	readonly family: Family;
	readonly defaultTable: TableName;
	/** `-t` is refused in save files. */
	readonly allowTable: boolean;
	/** Whether a chain exists (decides `-j NAME` between a jump and an unknown target). */
	chainExists(table: TableName, family: Family, name: string): boolean;
	/** Counters from an iptables-save `[p:b]` prefix. */
	readonly counters?: Counters;
}

/** Matches iptables loads by itself after `-p NAME` (see protocolMatchName). */
const PROTOCOL_MATCHES: ReadonlySet<string> = new Set(["tcp", "udp", "sctp", "dccp", "icmp", "icmp6", "esp", "ah", "mh"]);

const TABLES: ReadonlySet<string> = new Set(["filter", "nat", "mangle", "raw", "security"]);
const BUILTINS: ReadonlySet<string> = new Set(["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]);

type GenericKind =
	| { readonly t: "cmd"; readonly op: CommandOp }
	| { readonly t: "opt"; readonly opt: GenericOpt; readonly arity: 0 | 1 | 2 | "opt"; readonly negatable: boolean };
type GenericOpt =
	| "table"
	| "source"
	| "destination"
	| "protocol"
	| "in-interface"
	| "out-interface"
	| "jump"
	| "goto"
	| "match"
	| "fragment"
	| "set-counters"
	| "ipv4"
	| "ipv6"
	| "wait"
	| "wait-interval"
	| "ignored0"
	| "ignored1";

const GENERIC_BIT: Readonly<Record<GenericOpt, number>> = {
	table: 0, source: 1, destination: 2, protocol: 3, "in-interface": 4, "out-interface": 5, jump: 6,
	goto: 7, match: 8, fragment: 9, "set-counters": 10, ipv4: 11, ipv6: 12, wait: 13, "wait-interval": 14,
	ignored0: 15, ignored1: 16,
};

const cmd = (op: CommandOp): GenericKind => ({ t: "cmd", op });
const opt = (o: GenericOpt, arity: 0 | 1 | 2 | "opt", negatable = false): GenericKind => ({ t: "opt", opt: o, arity, negatable });

const SHORT: ReadonlyMap<string, GenericKind> = new Map([
	["A", cmd("append")], ["I", cmd("insert")], ["D", cmd("delete")], ["R", cmd("replace")],
	["P", cmd("policy")], ["N", cmd("new-chain")], ["X", cmd("delete-chain")], ["F", cmd("flush")],
	["Z", cmd("zero")], ["E", cmd("rename-chain")], ["L", cmd("list")], ["S", cmd("list-rules")],
	["C", cmd("check")],
	["t", opt("table", 1)], ["s", opt("source", 1, true)], ["d", opt("destination", 1, true)],
	["p", opt("protocol", 1, true)], ["i", opt("in-interface", 1, true)], ["o", opt("out-interface", 1, true)],
	["j", opt("jump", 1)], ["g", opt("goto", 1)], ["m", opt("match", 1)], ["f", opt("fragment", 0, true)],
	["c", opt("set-counters", 2)], ["4", opt("ipv4", 0)], ["6", opt("ipv6", 0)], ["w", opt("wait", "opt")],
	["W", opt("wait-interval", 1)], ["v", opt("ignored0", 0)], ["n", opt("ignored0", 0)], ["x", opt("ignored0", 0)],
]);

const LONG: ReadonlyMap<string, GenericKind> = new Map([
	["append", cmd("append")], ["insert", cmd("insert")], ["delete", cmd("delete")], ["replace", cmd("replace")],
	["policy", cmd("policy")], ["new-chain", cmd("new-chain")], ["new", cmd("new-chain")],
	["delete-chain", cmd("delete-chain")], ["flush", cmd("flush")], ["zero", cmd("zero")],
	["rename-chain", cmd("rename-chain")], ["list", cmd("list")], ["list-rules", cmd("list-rules")],
	["check", cmd("check")],
	["table", opt("table", 1)], ["source", opt("source", 1, true)], ["src", opt("source", 1, true)],
	["destination", opt("destination", 1, true)], ["dst", opt("destination", 1, true)],
	["protocol", opt("protocol", 1, true)], ["in-interface", opt("in-interface", 1, true)],
	["out-interface", opt("out-interface", 1, true)], ["jump", opt("jump", 1)], ["goto", opt("goto", 1)],
	["match", opt("match", 1)], ["fragment", opt("fragment", 0, true)], ["fragments", opt("fragment", 0, true)],
	["set-counters", opt("set-counters", 2)], ["ipv4", opt("ipv4", 0)], ["ipv6", opt("ipv6", 0)],
	["wait", opt("wait", "opt")], ["wait-interval", opt("wait-interval", 1)], ["verbose", opt("ignored0", 0)],
	["numeric", opt("ignored0", 0)], ["exact", opt("ignored0", 0)], ["line-numbers", opt("ignored0", 0)],
	["modprobe", opt("ignored1", 1)],
]);

/** Exported for hints and for the script reader. */
export const GENERIC_LONG_NAMES: readonly string[] = [...LONG.keys()];

interface Loaded<R> {
	readonly ext: Extension<R>;
	readonly inst: ExtInstance<R>;
	readonly nameWord: Word;
}

interface UnknownExt {
	readonly name: string;
	readonly nameWord: Word;
	readonly args: string[];
}

type TargetState =
	| { readonly t: "known"; readonly l: Loaded<Target> }
	| { readonly t: "unknown"; readonly u: UnknownExt }
	| { readonly t: "verdict"; readonly target: Target; readonly word: Word }
	| { readonly t: "chain"; readonly goto: boolean; readonly name: string; readonly word: Word };

/** Interprets one command's words (without the tool name). */
export function parseCommand(words: readonly Word[], env: CommandEnv, start = 0): ParsedCommand {
	return new Interpreter(words, env, start).run();
}

class Interpreter implements ExtContext {
	readonly fam: Fam;
	readonly family: Family;
	private hardErrors = 0;
	private i = 0;
	private pendingNeg: Word | undefined;

	private op: CommandOp | undefined;
	private opWord: Word | undefined;
	private chainWord: Word | undefined;
	private num: number | undefined;
	private numWord: Word | undefined;
	private secondWord: Word | undefined;
	private table: TableName;
	private tableWord: Word | undefined;
	private otherFamily = false;
	private hasSpec = false;

	private counters: Counters | undefined;
	private srcs: { readonly list: readonly AddrMask[]; readonly neg: boolean } | undefined;
	private dsts: { readonly list: readonly AddrMask[]; readonly neg: boolean } | undefined;
	private iif: Neg<Iface> | undefined;
	private oif: Neg<Iface> | undefined;
	private proto: number | undefined;
	private protoNeg = false;
	private fragment: Neg<true> | undefined;
	/** Bit per generic option already given (duplicate_option). */
	private seenGeneric = 0;
	/** Matches in load order: known or unknown. */
	private readonly matches: (Loaded<Match> | UnknownExt)[] = [];
	private protoAutoloaded = false;
	private target: TargetState | undefined;
	/** The extension that receives options nobody else owns: the latest unknown one. */
	private lastUnknown: UnknownExt | undefined;

	constructor(
		private readonly words: readonly Word[],
		private readonly env: CommandEnv,
		start: number,
	) {
		this.i = start;
		this.family = env.family;
		this.fam = env.family === "ip" ? 4 : 6;
		this.table = env.defaultTable;
		this.counters = env.counters;
	}

	// ---- ExtContext
	error(code: Code, message: string, at: Word, hint?: string): void {
		if (code !== "unsupported_extension" && code !== "unsupported_option") this.hardErrors++;
		this.env.src.report(code, message, at, hint);
	}

	bad(b: Bad, at: Word): void {
		this.error(b.code, b.message, at, b.hint);
	}

	run(): ParsedCommand {
		const words = this.words;
		// -4/-6 decide the family before any address is read.
		for (let k = this.i; k < words.length; k++) {
			const t = words[k]!.text;
			if (t.length !== 2 && t.length !== 6) continue;
			if (t === "-4" || t === "--ipv4") {
				if (this.family === "ip6") this.otherFamily = true;
			} else if (t === "-6" || t === "--ipv6") {
				if (this.family === "ip") this.otherFamily = true;
			}
		}
		if (this.otherFamily) return this.result([]);
		while (this.i < words.length) this.step();
		if (this.pendingNeg !== undefined)
			this.error("syntax_error", "`!` is not followed by an option", this.pendingNeg);
		return this.result(this.hasSpec || this.target !== undefined || this.matches.length > 0 ? this.finish() : []);
	}

	private result(rules: readonly RuleBody[]): ParsedCommand {
		return {
			op: this.op,
			opWord: this.opWord,
			chainWord: this.chainWord,
			num: this.num,
			numWord: this.numWord,
			secondWord: this.secondWord,
			table: this.table,
			tableWord: this.tableWord,
			otherFamily: this.otherFamily,
			rules: this.hardErrors > 0 ? [] : rules,
			hasSpec: this.hasSpec,
			failed: this.hardErrors > 0,
		};
	}

	private takeNeg(): Word | undefined {
		const n = this.pendingNeg;
		this.pendingNeg = undefined;
		return n;
	}

	private step(): void {
		const w = this.words[this.i]!;
		const t = w.text;
		if (t === "!") {
			if (this.pendingNeg !== undefined) this.error("syntax_error", "multiple `!` flags are not allowed", w);
			this.pendingNeg = w;
			this.i++;
			return;
		}
		if (t.length > 2 && t.charCodeAt(0) === 45 && t.charCodeAt(1) === 45) {
			this.i++;
			const eq = t.indexOf("=");
			const name = eq < 0 ? t.slice(2) : t.slice(2, eq);
			const inline = eq < 0 ? undefined : { text: t.slice(eq + 1), offset: w.offset + eq + 1, length: w.length - eq - 1 };
			this.longOption(name, w, inline);
			return;
		}
		if (t.length >= 2 && t.charCodeAt(0) === 45) {
			this.i++;
			this.shortOption(w);
			return;
		}
		this.i++;
		if (this.lastUnknown !== undefined && this.pendingNeg === undefined) {
			this.lastUnknown.args.push(t);
			return;
		}
		this.error("syntax_error", `unexpected argument "${t}"`, w, "values follow their option; check for a missing option or stray word");
	}

	private shortOption(w: Word): void {
		const t = w.text;
		const letter = t[1]!;
		const g = SHORT.get(letter);
		if (g === undefined) {
			this.error("unknown_option", `unknown option -${letter}`, w);
			this.skipValues();
			return;
		}
		if (g.t === "cmd") {
			if (t.length > 2) {
				this.error("syntax_error", `unexpected text after -${letter}`, w);
				return;
			}
			this.command(g.op, w);
			return;
		}
		// Flags may be bundled (-vn); options with a value may have it attached (-ptcp).
		if (g.arity === 0 || g.arity === "opt") {
			if (t.length > 2 && g.opt !== "wait") {
				for (const c of t.slice(2)) {
					const g2 = SHORT.get(c);
					if (g2 === undefined || g2.t !== "opt" || g2.arity !== 0) {
						this.error("unknown_option", `unknown option -${c} in ${t}`, w);
						return;
					}
				}
			}
			this.generic(g.opt, w, g.negatable, []);
			return;
		}
		const inline = t.length > 2 ? { text: t.slice(2), offset: w.offset + 2, length: w.length - 2 } : undefined;
		const args = this.values(w, g.arity, inline, g.negatable, g.opt);
		if (args === undefined) return;
		this.generic(g.opt, w, g.negatable, args);
	}

	private longOption(name: string, w: Word, inline: Word | undefined): void {
		let g = LONG.get(name);
		if (g === undefined) {
			if (this.extOption(name, w, inline, false)) return;
			// getopt_long accepts unambiguous prefixes.
			const full = this.expandPrefix(name);
			if (full !== undefined) {
				g = LONG.get(full);
				if (g === undefined) {
					this.extOption(full, w, inline, true);
					return;
				}
			} else {
				this.unknownOption(name, w);
				return;
			}
		}
		if (g.t === "cmd") {
			this.command(g.op, w);
			return;
		}
		if (g.arity === 0 || g.arity === "opt") {
			this.generic(g.opt, w, g.negatable, inline !== undefined ? [inline] : []);
			return;
		}
		const args = this.values(w, g.arity, inline, g.negatable, g.opt);
		if (args === undefined) return;
		this.generic(g.opt, w, g.negatable, args);
	}

	/**
	 * Reads `arity` value words after an option. Accepts the old form `--opt ! value` as negation.
	 * `-c` takes one word `p,b` or two words.
	 */
	private values(w: Word, arity: 1 | 2, inline: Word | undefined, negatable: boolean, generic?: GenericOpt): Word[] | undefined {
		const out: Word[] = [];
		if (inline !== undefined) out.push(inline);
		if (negatable && out.length === 0 && this.words[this.i]?.text === "!" && this.i + 1 < this.words.length) {
			if (this.pendingNeg !== undefined) this.error("syntax_error", "multiple `!` flags are not allowed", this.words[this.i]!);
			this.pendingNeg = this.words[this.i]!;
			this.i++;
		}
		let want: number = arity;
		if (generic === "set-counters") {
			const first = out[0] ?? this.words[this.i];
			if (first !== undefined && first.text.includes(",")) want = 1;
		}
		while (out.length < want) {
			const next = this.words[this.i];
			if (next === undefined) {
				this.error("missing_argument", `option ${w.text} requires ${want === 1 ? "a value" : `${want} values`}`, w);
				this.pendingNeg = undefined;
				return undefined;
			}
			out.push(next);
			this.i++;
		}
		return out;
	}

	private skipValues(): void {
		while (this.i < this.words.length) {
			const t = this.words[this.i]!.text;
			if (t === "!" || (t.length >= 2 && t[0] === "-" && !/^-[0-9]/.test(t))) break;
			this.i++;
		}
	}

	private command(op: CommandOp, w: Word): void {
		if (this.takeNeg() !== undefined) this.error("negation_not_allowed", `${w.text} cannot be negated`, w);
		if (this.op !== undefined) {
			this.error("conflicting_options", `only one command is allowed; ${this.opWord?.text ?? ""} was already given`, w);
			return;
		}
		this.op = op;
		this.opWord = w;
		const next = (): Word | undefined => {
			const n = this.words[this.i];
			if (n === undefined || n.text === "!" || (n.text.startsWith("-") && n.text.length > 1)) return undefined;
			this.i++;
			return n;
		};
		const required = (what: string): Word | undefined => {
			const n = this.words[this.i];
			if (n === undefined) {
				this.error("missing_argument", `${w.text} requires ${what}`, w);
				return undefined;
			}
			this.i++;
			return n;
		};
		const number = (n: Word | undefined): void => {
			if (n === undefined) return;
			const v = parseDec(n.text, 0x7fffffff);
			if (v === undefined || v < 1) {
				this.error("invalid_value", `invalid rule number "${n.text}"`, n);
				return;
			}
			this.num = v;
			this.numWord = n;
		};
		const optionalNumber = (): void => {
			const n = this.words[this.i];
			if (n !== undefined && /^[0-9]+$/.test(n.text)) {
				this.i++;
				number(n);
			}
		};
		switch (op) {
			case "append":
			case "check":
			case "new-chain":
				this.chainWord = required("a chain name");
				return;
			case "insert":
			case "delete":
				this.chainWord = required("a chain name");
				optionalNumber();
				return;
			case "replace":
				this.chainWord = required("a chain name");
				number(required("a rule number"));
				return;
			case "policy":
				this.chainWord = required("a chain name");
				this.secondWord = required("a policy");
				return;
			case "rename-chain":
				this.chainWord = required("the old chain name");
				this.secondWord = required("the new chain name");
				return;
			case "delete-chain":
			case "flush":
			case "list":
				this.chainWord = next();
				return;
			case "zero":
			case "list-rules":
				this.chainWord = next();
				if (this.chainWord !== undefined) optionalNumber();
				return;
		}
	}

	private generic(o: GenericOpt, w: Word, negatable: boolean, args: readonly Word[]): void {
		const negW = this.takeNeg();
		const neg = negW !== undefined;
		if (neg && !negatable) this.error("negation_not_allowed", `${w.text} cannot be negated`, negW);
		const ruleOpt = o !== "table" && o !== "wait" && o !== "wait-interval" && o !== "ipv4" && o !== "ipv6" && o !== "ignored0" && o !== "ignored1";
		if (ruleOpt) {
			this.hasSpec = true;
			const bit = 1 << GENERIC_BIT[o];
			if (o !== "match" && (this.seenGeneric & bit) !== 0) {
				this.error("duplicate_option", `${w.text} may only be given once`, w);
				return;
			}
			this.seenGeneric |= bit;
		}
		const a = args[0];
		switch (o) {
			case "table": {
				if (a === undefined) return;
				if (!this.env.allowTable) {
					this.error("syntax_error", "-t is not allowed inside an iptables-save table section", w);
					return;
				}
				if (!TABLES.has(a.text)) {
					this.error("unknown_table", `unknown table "${a.text}"`, a, hintFor(a.text, TABLES));
					return;
				}
				this.table = a.text as TableName;
				this.tableWord = a;
				return;
			}
			case "source":
			case "destination": {
				if (a === undefined) return;
				const list: AddrMask[] = [];
				let off = 0;
				for (const part of a.text.split(",")) {
					const r = parseAddrMask(part, this.fam);
					if (isBad(r)) this.bad(r, { text: part, offset: a.offset + off, length: part.length });
					else list.push(r);
					off += part.length + 1;
				}
				if (o === "source") this.srcs = { list, neg };
				else this.dsts = { list, neg };
				return;
			}
			case "protocol": {
				if (a === undefined) return;
				const p = parseProtocol(a.text);
				if (isBad(p)) {
					this.bad(p, a);
					return;
				}
				if (p === 0 && neg) {
					this.error("invalid_value", "rule would never match protocol", a);
					return;
				}
				this.proto = p === 0 ? undefined : p;
				this.protoNeg = neg;
				return;
			}
			case "in-interface":
			case "out-interface": {
				if (a === undefined) return;
				const r = parseIface(a.text);
				if (isBad(r)) {
					this.bad(r, a);
					return;
				}
				// `-i +` matches every interface: iptables-save leaves it out.
				const v = r.name === "" && r.wildcard && !neg ? undefined : ifaceNeg(r, neg);
				if (o === "in-interface") this.iif = v;
				else this.oif = v;
				return;
			}
			case "fragment":
				if (this.fam === 6) {
					this.error("family_mismatch", "-f exists only in iptables (IPv4); ip6tables uses -m frag", w);
					return;
				}
				this.fragment = { value: true, neg };
				return;
			case "set-counters": {
				const c = parseCounters(args);
				if (isBad(c)) {
					this.bad(c, a ?? w);
					return;
				}
				this.counters = c;
				return;
			}
			case "match":
				if (a !== undefined) this.loadMatch(a, w);
				return;
			case "jump":
			case "goto":
				if (a !== undefined) this.setTarget(a, o === "goto");
				return;
			case "ipv4":
			case "ipv6":
			case "wait":
			case "wait-interval":
			case "ignored0":
			case "ignored1":
				return;
		}
	}

	private loadMatch(nameW: Word, w: Word): void {
		const name = nameW.text;
		const ext = matchRegistry.get(name);
		if (ext !== undefined) {
			if (ext.family !== undefined && ext.family !== this.family) {
				this.error("family_mismatch", `match "${name}" does not exist in ${this.family === "ip" ? "iptables" : "ip6tables"}`, nameW, this.family === "ip" ? "use -m icmp" : "use -m icmp6");
				return;
			}
			this.matches.push({ ext, inst: ext.instantiate(), nameWord: nameW });
			this.lastUnknown = undefined;
			return;
		}
		const u: UnknownExt = { name: intern(name), nameWord: nameW, args: [] };
		this.matches.push(u);
		this.lastUnknown = u;
		this.error("unsupported_extension", `match "${name}" is not supported yet; the rule is kept untranslated`, { text: name, offset: w.offset, length: nameW.offset + nameW.length - w.offset });
	}

	private setTarget(nameW: Word, goto: boolean): void {
		const name = nameW.text;
		if (goto) {
			this.target = { t: "chain", goto: true, name, word: nameW };
			return;
		}
		switch (name) {
			case "ACCEPT":
				this.target = { t: "verdict", target: ACCEPT, word: nameW };
				return;
			case "DROP":
				this.target = { t: "verdict", target: DROP, word: nameW };
				return;
			case "RETURN":
				this.target = { t: "verdict", target: RETURN, word: nameW };
				return;
			case "QUEUE":
				// The old QUEUE verdict is NFQUEUE number 0.
				this.target = { t: "verdict", target: QUEUE, word: nameW };
				return;
		}
		const ext = targetRegistry.get(name);
		if (ext !== undefined && (ext.family === undefined || ext.family === this.family)) {
			this.target = { t: "known", l: { ext, inst: ext.instantiate(), nameWord: nameW } };
			return;
		}
		if (name === "" ) {
			this.error("invalid_value", "empty target name", nameW);
			return;
		}
		if (KNOWN_UNSUPPORTED_TARGETS.has(name) && !this.env.chainExists(this.table, this.family, name)) {
			const u: UnknownExt = { name, nameWord: nameW, args: [] };
			this.target = { t: "unknown", u };
			this.lastUnknown = u;
			this.error("unsupported_extension", `target "${name}" is not supported yet; the rule is kept untranslated`, nameW);
			return;
		}
		// chainTarget() shares one target object (and name string) per chain.
		this.target = { t: "chain", goto: false, name, word: nameW };
	}

	/** Offers an extension option to the target, the latest match, the protocol match. */
	private extOption(name: string, w: Word, inline: Word | undefined, expanded: boolean): boolean {
		const tg = this.target;
		if (tg?.t === "known") {
			const idx = tg.l.ext.lookup.get(name);
			if (idx !== undefined) {
				this.applyExt(tg.l, idx, w, inline);
				return true;
			}
		}
		const last = this.matches[this.matches.length - 1];
		if (last !== undefined && "ext" in last) {
			const idx = last.ext.lookup.get(name);
			if (idx !== undefined) {
				this.applyExt(last, idx, w, inline);
				return true;
			}
		}
		if (this.lastUnknown !== undefined) {
			const u = this.lastUnknown;
			const negW = this.takeNeg();
			if (negW !== undefined) u.args.push("!");
			u.args.push(expanded ? `--${name}` : w.text);
			return true;
		}
		// iptables loads the protocol's match by itself (`-p tcp --dport 22`).
		if (!this.protoAutoloaded && this.proto !== undefined) {
			const pname = protocolMatchName(this.proto, this.fam);
			if (pname !== undefined) {
				const ext = matchRegistry.get(pname);
				if (ext !== undefined) {
					const idx = ext.lookup.get(name);
					if (idx !== undefined) {
						this.protoAutoloaded = true;
						const l: Loaded<Match> = { ext, inst: ext.instantiate(), nameWord: w };
						this.matches.push(l);
						this.applyExt(l, idx, w, inline);
						return true;
					}
				} else if (!expanded) {
					this.protoAutoloaded = true;
					const u: UnknownExt = { name: pname, nameWord: w, args: [] };
					this.matches.push(u);
					this.lastUnknown = u;
					this.error("unsupported_extension", `match "${pname}" (loaded by -p) is not supported yet; the rule is kept untranslated`, w);
					return this.extOption(name, w, inline, expanded);
				}
			}
		}
		return false;
	}

	private applyExt<R>(l: Loaded<R>, idx: number, w: Word, inline: Word | undefined): void {
		const info = l.ext.options[idx]!;
		let args: Word[] | undefined = [];
		if (info.arity > 0) {
			args = this.values(w, info.arity as 1 | 2, inline, info.negatable);
			if (args === undefined) return;
		} else if (inline !== undefined) {
			this.error("syntax_error", `option --${info.name} takes no value`, inline);
		}
		const negW = this.takeNeg();
		if (negW !== undefined && !info.negatable) {
			this.error("negation_not_allowed", `--${info.name} cannot be negated`, negW);
			return;
		}
		const bit = 1 << (idx & 31);
		if ((l.inst.seen & bit) !== 0 && !info.repeatable) {
			this.error("duplicate_option", `--${info.name} may only be given once per -m ${l.ext.name}`, w);
			return;
		}
		l.inst.seen |= bit;
		const v: OptionValue = { name: info.name, word: w, neg: negW !== undefined, args };
		l.inst.apply(idx, v, this);
	}

	private expandPrefix(name: string): string | undefined {
		if (name.length < 2) return undefined;
		const cands = new Set<string>();
		for (const k of LONG.keys()) if (k.startsWith(name)) cands.add(k);
		const add = (e: Extension<unknown>): void => {
			for (const o of e.options) if (o.name.startsWith(name)) cands.add(o.name);
		};
		if (this.target?.t === "known") add(this.target.l.ext);
		const last = this.matches[this.matches.length - 1];
		if (last !== undefined && "ext" in last) add(last.ext);
		if (cands.size !== 1) return undefined;
		const full = [...cands][0]!;
		return full;
	}

	private unknownOption(name: string, w: Word): void {
		this.takeNeg();
		const owners = matchOptionOwners.get(name);
		const otherFamily = owners?.every((o) => matchRegistry.get(o)?.family !== undefined && matchRegistry.get(o)?.family !== this.family);
		if (owners !== undefined && otherFamily) {
			this.error("family_mismatch", `--${name} is an ${this.family === "ip" ? "ip6tables" : "iptables"} option`, w, this.family === "ip" ? "use --icmp-type in iptables" : "use --icmpv6-type in ip6tables");
		} else if (owners !== undefined) {
			// Options of protocol matches (--dport, --icmp-type, …) are found by iptables after -p NAME.
			const protoOwned = owners.every((o) => PROTOCOL_MATCHES.has(o));
			if (protoOwned)
				this.error("protocol_required", `--${name} needs -p ${owners.join(" or -p ")} before it`, w);
			else
				this.error("match_not_loaded", `--${name} belongs to the ${owners.join("/")} match, which is not loaded`, w, `add -m ${owners[0]!} before --${name}`);
		} else {
			const cands: string[] = [...LONG.keys()];
			if (this.target?.t === "known") for (const o of this.target.l.ext.options) cands.push(o.name);
			for (const m of this.matches) if ("ext" in m) for (const o of m.ext.options) cands.push(o.name);
			for (const k of matchOptionOwners.keys()) cands.push(k);
			const near = closest(name, cands);
			this.error("unknown_option", `unknown option --${name}`, w, near !== undefined ? `did you mean --${near}?` : undefined);
		}
		this.skipValues();
	}

	// ---- final checks and IR

	private finish(): RuleBody[] {
		const chain = this.chainWord?.text ?? "";
		const builtin = BUILTINS.has(chain) && (TABLE_CHAINS[this.table] as readonly string[]).includes(chain) ? (chain as BuiltinChain) : undefined;
		if (this.iif !== undefined && (builtin === "OUTPUT" || builtin === "POSTROUTING"))
			this.error("conflicting_options", `-i cannot be used in ${builtin}: there is no input interface`, this.chainWord!);
		if (this.oif !== undefined && (builtin === "PREROUTING" || builtin === "INPUT"))
			this.error("conflicting_options", `-o cannot be used in ${builtin}: there is no output interface`, this.chainWord!);
		// Once the rule has failed, final checks would only repeat the problem (e.g. "needs --mac-source").
		if (this.hardErrors > 0) return [];
		const matches: Match[] = [];
		const cx = new Finisher(this, this.table, chain, builtin, this.proto, this.protoNeg, matches);
		for (const m of this.matches) {
			if ("ext" in m) {
				cx.nameWord = m.nameWord;
				const r = m.inst.finish(cx);
				if (r !== undefined) matches.push(r);
			} else matches.push({ kind: "unknown", name: m.name, args: m.args });
		}
		let target: Target | undefined;
		const tg = this.target;
		if (tg !== undefined) {
			switch (tg.t) {
				case "known":
					cx.nameWord = tg.l.nameWord;
					target = tg.l.inst.finish(cx);
					break;
				case "unknown":
					target = { kind: "unknown", name: tg.u.name, args: tg.u.args };
					break;
				case "verdict":
					target = tg.target;
					break;
				case "chain":
					target = chainTarget(tg.name, tg.goto);
					if (BUILTINS.has(tg.name))
						this.error("jump_target_missing", `cannot ${tg.goto ? "goto" : "jump to"} built-in chain ${tg.name}`, tg.word);
					break;
			}
		}
		if (this.hardErrors > 0) return [];
		const srcs: readonly (Neg<AddrMask> | undefined)[] = this.srcs === undefined ? [undefined] : this.srcs.list.map((a) => ({ value: a, neg: this.srcs!.neg }));
		const dsts: readonly (Neg<AddrMask> | undefined)[] = this.dsts === undefined ? [undefined] : this.dsts.list.map((a) => ({ value: a, neg: this.dsts!.neg }));
		const out: RuleBody[] = [];
		// An exact-size copy: the list grew by push (room for 17), and 100k-rule inputs keep every rule.
		const kept = matches.slice();
		for (const s of srcs)
			for (const d of dsts) {
				const r: { -readonly [K in keyof RuleBody]: RuleBody[K] } = { matches: kept };
				if (this.counters !== undefined) r.counters = this.counters;
				if (this.iif !== undefined) r.iif = this.iif;
				if (this.oif !== undefined) r.oif = this.oif;
				if (this.proto !== undefined) r.proto = protoNeg(this.proto, this.protoNeg);
				if (s !== undefined) r.src = s;
				if (d !== undefined) r.dst = d;
				if (this.fragment !== undefined) r.fragment = this.fragment;
				if (target !== undefined) r.target = target;
				out.push(r);
			}
		return out;
	}
}

// IR nodes are immutable, so the common ones are shared between rules (less memory, less GC).
const ACCEPT: Target = { kind: "accept" };
const DROP: Target = { kind: "drop" };
const RETURN: Target = { kind: "return" };
const QUEUE: Target = { kind: "nfqueue", num: 0, bypass: false, cpuFanout: false };
const chainTargets = new Map<string, Target>();
function chainTarget(name: string, goto: boolean): Target {
	const key = goto ? `g:${name}` : name;
	const hit = chainTargets.get(key);
	if (hit !== undefined) return hit;
	if (chainTargets.size > 100_000) chainTargets.clear();
	// The interned name is the declared chain's own string (save.ts interns declarations): every
	// later lookup of a jump target by name (jump checks, lowering, passes) compares by identity.
	const t: Target = { kind: goto ? "goto" : "jump", chain: intern(name) };
	chainTargets.set(key, t);
	return t;
}
const protos: Neg<number>[] = [];
function protoNeg(p: number, neg: boolean): Neg<number> {
	const k = p * 2 + (neg ? 1 : 0);
	return (protos[k] ??= { value: p, neg });
}
const ifaces = new Map<string, Neg<Iface>>();
function ifaceNeg(i: Iface, neg: boolean): Neg<Iface> {
	const key = `${neg ? "!" : ""}${i.name}${i.wildcard ? "+" : ""}`;
	let v = ifaces.get(key);
	if (v === undefined) {
		if (ifaces.size > 100_000) ifaces.clear();
		v = { value: i, neg };
		ifaces.set(key, v);
	}
	return v;
}

/** The context extensions see in finish(); one per rule, nameWord set per extension. */
class Finisher implements FinishContext {
	readonly fam: Fam;
	readonly family: Family;
	nameWord: Word = { text: "", offset: 0, length: 0 };
	constructor(
		private readonly owner: ExtContext,
		readonly table: TableName,
		readonly chain: string,
		readonly builtin: BuiltinChain | undefined,
		readonly proto: number | undefined,
		readonly protoNeg: boolean,
		readonly matches: readonly Match[],
	) {
		this.fam = owner.fam;
		this.family = owner.family;
	}

	error(code: Code, message: string, at: Word, hint?: string): void {
		this.owner.error(code, message, at, hint);
	}

	bad(b: Bad, at: Word): void {
		this.owner.bad(b, at);
	}
}

function parseCounters(args: readonly Word[]): Counters | Bad {
	let p: string;
	let b: string;
	if (args.length === 1) {
		const parts = args[0]!.text.split(",");
		if (parts.length !== 2) return new Bad("invalid_value", `invalid counters "${args[0]!.text}"`, "expected -c PACKETS BYTES");
		p = parts[0]!;
		b = parts[1]!;
	} else {
		p = args[0]?.text ?? "";
		b = args[1]?.text ?? "";
	}
	if (!/^[0-9]+$/.test(p) || !/^[0-9]+$/.test(b)) return new Bad("invalid_value", `invalid counters "${p} ${b}"`, "expected -c PACKETS BYTES");
	return { packets: BigInt(p), bytes: BigInt(b) };
}

export function hintFor(word: string, cands: Iterable<string>): string | undefined {
	const c = closest(word, cands);
	return c === undefined ? undefined : `did you mean ${c}?`;
}

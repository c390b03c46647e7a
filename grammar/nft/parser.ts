/**
 * Parser for nft text: an LL(k) recursive-descent parser over the chevrotain token vector.
 *
 * Why not a chevrotain grammar class: nft has no reserved words (any keyword can be a chain or
 * set name, and `tcp`, `accept`, `established` are also values), so nft's own scanner switches
 * keyword sets by context. Here the context is the parser's position: a Word is read as a keyword
 * only where a keyword may stand, which keeps the grammar small and its errors precise.
 * One reused instance; errors are coded diagnostics and the parser resynchronises at the end
 * of the line (or the enclosing block), so one bad rule never hides the rest of the file.
 */
import type { IToken, TokenType } from "chevrotain";
import { diagnostic, type Code, type Diagnostic } from "../../compiler/ir/diagnostics.js";
import type { Span } from "../../compiler/ir/span.js";
import type * as A from "./ast.js";
import { BARE_META, CT, EXTHDR, META, PAYLOAD, SET_TYPES, TCP_OPTIONS, type FieldInfo } from "./selectors.js";
import { decodeName, decodeValue, isBitmask, LOG_LEVEL, parseIpv4, parseIpv6, parseTime, symbolValue, WIDTH } from "./symbols.js";
import * as T from "./tokens.js";

/** Internal signal: the current rule/command is abandoned; its diagnostic is already recorded. */
class Bail {
	readonly bail = true;
}
const BAIL = new Bail();

const FAMILIES: ReadonlySet<string> = new Set(["ip", "ip6", "inet", "arp", "bridge", "netdev"]);
const HOOKS: ReadonlySet<string> = new Set(["prerouting", "input", "forward", "output", "postrouting", "ingress", "egress"]);
const PRIORITY_NAMES: ReadonlyMap<string, number> = new Map([
	["raw", -300],
	["mangle", -150],
	["dstnat", -100],
	["filter", 0],
	["security", 50],
	["srcnat", 100],
	["out", 100],
]);
const VERDICT_WORDS: ReadonlySet<string> = new Set(["accept", "drop", "continue", "return", "jump", "goto"]);
/** Statements that are parsed but not modelled: reported as nft_unsupported. */
const UNSUPPORTED_STMTS: ReadonlySet<string> = new Set([
	"fwd",
	"meter",
	"add",
	"update",
	"delete",
	"reset",
	"flow",
	"xt",
	"osf",
	"ipsec",
	"tunnel",
	"sctp-chunk",
]);
/** TCP option names of nft 1.0.6 (`reset tcp option NAME`); `echo` is nft 1.0.6's alias of 8. */
const TCP_OPTION_NUMBERS: ReadonlyMap<string, number> = new Map([
	["eol", 0],
	["nop", 1],
	["maxseg", 2],
	["window", 3],
	["sack-perm", 4],
	["sack", 5],
	["sack0", 5],
	["sack1", 5],
	["sack2", 5],
	["sack3", 5],
	["timestamp", 8],
	["echo", 8],
	["md5sig", 19],
	["mptcp", 30],
	["fastopen", 34],
]);
const REL_WORDS: ReadonlyMap<string, A.RelOp> = new Map([
	["eq", "=="],
	["ne", "!="],
	["lt", "<"],
	["gt", ">"],
	["le", "<="],
	["ge", ">="],
]);
const BINOP_WORDS: ReadonlyMap<string, A.BinOp> = new Map([
	["and", "&"],
	["or", "|"],
	["xor", "^"],
	["lshift", "<<"],
	["rshift", ">>"],
]);
const LOG_KEYWORDS: ReadonlySet<string> = new Set(["prefix", "level", "group", "snaplen", "queue-threshold", "flags"]);

interface ChainB {
	name: string;
	span: Span;
	base?: A.NftBaseChain;
	rules: A.NftRule[];
}
interface SetB {
	name: string;
	span: Span;
	isMap: boolean;
	keyTypes: A.Datatype[];
	keyWidths: number[];
	dataTypes?: A.Datatype[];
	flags: string[];
	timeoutMs?: bigint;
	elems: A.SetElem[];
}
interface TableB {
	family: A.NftFamily;
	name: string;
	span: Span;
	chains: Map<string, ChainB>;
	sets: Map<string, SetB>;
	/** Named counters and quotas, keyed `counter NAME` / `quota NAME`. */
	objects?: Map<string, A.NftObject>;
	ctHelpers?: Map<string, A.NftCtHelper>;
}
interface PendingRef {
	readonly table: TableB;
	readonly kind: "chain" | "set";
	readonly name: string;
	readonly span: Span;
}

/** Positive-only narrowing: a failed test must not narrow the token away (the brand ensures it). */
type Checked = IToken & { readonly __checked: true };

function isTok(t: IToken | undefined, type: TokenType): t is Checked {
	return t !== undefined && t.tokenType === type;
}

export class NftParser {
	private toks: IToken[] = [];
	private i = 0;
	private text = "";
	private file = "";
	private lineStarts: number[] = [];
	private diags: Diagnostic[] = [];
	private tables: TableB[] = [];
	private refs: PendingRef[] = [];
	private family: A.NftFamily = "ip";
	private table: TableB | undefined;

	parse(text: string, file: string): { ast: A.NftRuleset; diagnostics: Diagnostic[] } {
		this.text = text;
		this.file = file;
		this.diags = [];
		this.tables = [];
		this.refs = [];
		this.i = 0;
		this.lineStarts = [0];
		for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) this.lineStarts.push(k + 1);
		const lexed = T.nftLexer.tokenize(text);
		for (const e of lexed.errors) {
			this.diags.push(diagnostic("nft_syntax_error", `unexpected character ${JSON.stringify(text[e.offset])}`, this.spanAt(e.offset, e.length)));
		}
		this.toks = this.expandDefines(lexed.tokens);
		this.ruleset();
		this.checkRefs();
		const ast: A.NftRuleset = {
			tables: this.tables.map((t) => ({
				family: t.family,
				name: t.name,
				span: t.span,
				chains: [...t.chains.values()].map((c) => ({
					name: c.name,
					span: c.span,
					...(c.base !== undefined ? { base: c.base } : {}),
					rules: c.rules,
				})),
				sets: [...t.sets.values()].map((s) => ({
					name: s.name,
					span: s.span,
					isMap: s.isMap,
					keyTypes: s.keyTypes,
					keyWidths: s.keyWidths,
					...(s.dataTypes !== undefined ? { dataTypes: s.dataTypes } : {}),
					flags: s.flags,
					...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}),
					elems: s.elems,
				})),
				...(t.objects !== undefined ? { objects: [...t.objects.values()] } : {}),
				...(t.ctHelpers !== undefined ? { ctHelpers: [...t.ctHelpers.values()] } : {}),
			})),
		};
		this.toks = [];
		return { ast, diagnostics: this.diags };
	}

	// -----------------------------------------------------------------------------------------
	// Positions and token helpers

	private spanAt(offset: number, length: number): Span {
		let lo = 0;
		let hi = this.lineStarts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (this.lineStarts[mid]! <= offset) lo = mid;
			else hi = mid - 1;
		}
		return { file: this.file, line: lo + 1, col: offset - this.lineStarts[lo]! + 1, length };
	}

	private spanOf(t: IToken): Span {
		return this.spanAt(t.startOffset, t.image.length);
	}

	private spanFrom(first: IToken, last: IToken): Span {
		return this.spanAt(first.startOffset, last.startOffset + last.image.length - first.startOffset);
	}

	private peek(k = 0): IToken | undefined {
		return this.toks[this.i + k];
	}

	private last(): IToken {
		return this.toks[this.i - 1] ?? this.toks[0]!;
	}

	private isWord(t: IToken | undefined, image?: string): t is Checked {
		return t !== undefined && t.tokenType === T.Word && (image === undefined || t.image === image);
	}

	private fail(code: Code, message: string, t?: IToken, hint?: string): never {
		const at = t ?? this.peek() ?? this.last();
		const span = at !== undefined ? this.spanOf(at) : this.spanAt(this.text.length, 0);
		this.diags.push(diagnostic(code, message, span, hint));
		throw BAIL;
	}

	private describe(t: IToken | undefined): string {
		if (t === undefined) return "end of input";
		if (t.tokenType === T.Newline) return "end of line";
		return `"${t.image}"`;
	}

	private next(what: string): IToken {
		const t = this.peek();
		if (t === undefined || t.tokenType === T.Newline) this.fail("nft_syntax_error", `expected ${what}, found ${this.describe(t)}`);
		this.i++;
		return t;
	}

	private word(what: string): IToken {
		const t = this.peek();
		if (!this.isWord(t)) this.fail("nft_syntax_error", `expected ${what}, found ${this.describe(t)}`);
		this.i++;
		return t;
	}

	private keyword(image: string): IToken {
		const t = this.peek();
		if (!this.isWord(t, image)) this.fail("nft_syntax_error", `expected "${image}", found ${this.describe(t)}`);
		this.i++;
		return t;
	}

	private expect(type: TokenType, what: string): IToken {
		const t = this.peek();
		if (!isTok(t, type)) this.fail("nft_syntax_error", `expected ${what}, found ${this.describe(t)}`);
		this.i++;
		return t;
	}

	private accept(type: TokenType): IToken | undefined {
		const t = this.peek();
		if (isTok(t, type)) {
			this.i++;
			return t;
		}
		return undefined;
	}

	private acceptWord(image: string): IToken | undefined {
		const t = this.peek();
		if (this.isWord(t, image)) {
			this.i++;
			return t;
		}
		return undefined;
	}

	/** A name: a word or a quoted string (chain, set and table names may be quoted). */
	private name(what: string): { name: string; tok: IToken } {
		const t = this.peek();
		if (this.isWord(t)) {
			this.i++;
			return { name: t.image, tok: t };
		}
		if (isTok(t, T.Str)) {
			this.i++;
			return { name: t.image.slice(1, -1), tok: t };
		}
		return this.fail("nft_syntax_error", `expected ${what}, found ${this.describe(t)}`);
	}

	private number(what: string): { value: number; tok: IToken } {
		const t = this.word(what);
		if (!/^(?:0x[0-9a-fA-F]+|[0-9]+)$/.test(t.image)) this.fail("nft_syntax_error", `expected ${what}, found "${t.image}"`, t);
		return { value: Number(t.image), tok: t };
	}

	private atRuleEnd(): boolean {
		const t = this.peek();
		return t === undefined || t.tokenType === T.Newline || t.tokenType === T.Semi || t.tokenType === T.RBrace;
	}

	private skipSeparators(): void {
		for (;;) {
			const t = this.peek();
			if (t === undefined || (t.tokenType !== T.Newline && t.tokenType !== T.Semi)) return;
			this.i++;
		}
	}

	private skipNewlines(): void {
		while (isTok(this.peek(), T.Newline)) this.i++;
	}

	/** After an error: skip to the end of the line, keeping braces balanced; stop before an unmatched `}`. */
	private resync(): void {
		let depth = 0;
		for (;;) {
			const t = this.peek();
			if (t === undefined) return;
			if (t.tokenType === T.LBrace) depth++;
			else if (t.tokenType === T.RBrace) {
				if (depth === 0) return;
				depth--;
			} else if (t.tokenType === T.Newline && depth === 0) {
				this.i++;
				return;
			}
			this.i++;
		}
	}

	/** Skips a `{ … }` block (for unsupported table objects). */
	private skipBlock(): void {
		this.expect(T.LBrace, '"{"');
		let depth = 1;
		while (depth > 0) {
			const t = this.peek();
			if (t === undefined) this.fail("nft_syntax_error", 'expected "}" before end of input');
			if (t.tokenType === T.LBrace) depth++;
			else if (t.tokenType === T.RBrace) depth--;
			this.i++;
		}
	}

	// -----------------------------------------------------------------------------------------
	// `define NAME = value` and `$NAME`

	private expandDefines(tokens: IToken[]): IToken[] {
		const defs = new Map<string, IToken[]>();
		const out: IToken[] = [];
		let lineStart = true;
		for (let k = 0; k < tokens.length; k++) {
			const t = tokens[k]!;
			if (lineStart && t.tokenType === T.Word && (t.image === "define" || t.image === "redefine")) {
				const nameTok = tokens[k + 1];
				const eq = tokens[k + 2];
				if (!isTok(nameTok, T.Word) || !isTok(eq, T.Eq)) {
					this.diags.push(diagnostic("nft_syntax_error", "expected `define NAME = value`", this.spanOf(t)));
				}
				const body: IToken[] = [];
				let depth = 0;
				let j = k + 3;
				for (; j < tokens.length; j++) {
					const u = tokens[j]!;
					if (u.tokenType === T.Newline && depth === 0) break;
					if (u.tokenType === T.LBrace) depth++;
					if (u.tokenType === T.RBrace) depth--;
					if (u.tokenType === T.Variable) {
						const sub = defs.get(u.image.slice(1));
						if (sub !== undefined) body.push(...sub);
						else {
							this.diags.push(diagnostic("nft_undefined", `undefined variable ${u.image}`, this.spanOf(u)));
							body.push(u);
						}
					} else body.push(u);
				}
				if (isTok(nameTok, T.Word)) defs.set(nameTok.image, body);
				k = j - 1;
				continue;
			}
			if (t.tokenType === T.Variable) {
				const sub = defs.get(t.image.slice(1));
				if (sub === undefined) {
					this.diags.push(diagnostic("nft_undefined", `undefined variable ${t.image}`, this.spanOf(t)));
					out.push(t);
				} else out.push(...sub);
				lineStart = false;
				continue;
			}
			out.push(t);
			lineStart = t.tokenType === T.Newline || t.tokenType === T.Semi;
		}
		return out;
	}

	// -----------------------------------------------------------------------------------------
	// Top level

	private ruleset(): void {
		for (;;) {
			this.skipSeparators();
			const t = this.peek();
			if (t === undefined) return;
			try {
				this.command();
			} catch (e) {
				if (!(e instanceof Bail)) throw e;
				this.resync();
				// A stray `}` at top level would loop forever.
				if (isTok(this.peek(), T.RBrace)) this.i++;
			}
		}
	}

	private command(): void {
		const t = this.peek()!;
		if (t.tokenType === T.RBrace) this.fail("nft_syntax_error", 'unexpected "}"');
		if (!this.isWord(t)) this.fail("nft_syntax_error", `expected a command, found ${this.describe(t)}`);
		switch (t.image) {
			case "table":
				this.i++;
				this.tableCmd(t, false);
				return;
			case "add":
			case "create":
				this.i++;
				this.addCmd();
				return;
			case "insert":
				this.i++;
				this.keyword("rule");
				this.ruleCmd(true);
				return;
			case "flush":
				this.i++;
				this.flushCmd();
				return;
			case "delete":
			case "destroy":
				this.i++;
				this.deleteCmd(t);
				return;
			case "include":
				this.fail("nft_unsupported", "`include` is not supported: give the simulator one self-contained file", t);
				break;
			case "chain":
			case "set":
			case "map":
			case "rule":
			case "element":
				// nft accepts `add` left out at top level (`chain ip t c { … }`).
				this.addCmd();
				return;
			default:
				this.fail("nft_syntax_error", `unknown command "${t.image}"`, t, "expected table, add, insert, flush, delete or define");
		}
	}

	/** `[family] name`; family defaults to ip as in nft. */
	private tableRef(): { family: A.NftFamily; name: string; tok: IToken } {
		const first = this.peek();
		const second = this.peek(1);
		let family: A.NftFamily = "ip";
		if (this.isWord(first) && FAMILIES.has(first.image) && (this.isWord(second) || isTok(second, T.Str))) {
			family = first.image as A.NftFamily;
			this.i++;
		}
		const { name, tok } = this.name("a table name");
		return { family, name, tok };
	}

	private findTable(family: A.NftFamily, name: string, at: IToken): TableB {
		const tb = this.tables.find((x) => x.family === family && x.name === name);
		if (tb === undefined) this.fail("nft_undefined", `table ${family} ${name} does not exist`, at);
		return tb;
	}

	private getOrCreateTable(family: A.NftFamily, name: string, at: IToken): TableB {
		let tb = this.tables.find((x) => x.family === family && x.name === name);
		if (tb === undefined) {
			tb = { family, name, span: this.spanOf(at), chains: new Map(), sets: new Map() };
			this.tables.push(tb);
		}
		return tb;
	}

	private tableCmd(kw: IToken, _viaAdd: boolean): void {
		const ref = this.tableRef();
		const tb = this.getOrCreateTable(ref.family, ref.name, kw);
		if (!isTok(this.peek(), T.LBrace)) return;
		this.i++;
		this.withTable(tb, () => this.tableBody());
		this.expect(T.RBrace, '"}"');
	}

	private withTable(tb: TableB, f: () => void): void {
		const saved = this.table;
		const savedFam = this.family;
		this.table = tb;
		this.family = tb.family;
		try {
			f();
		} finally {
			this.table = saved;
			this.family = savedFam;
		}
	}

	private tableBody(): void {
		for (;;) {
			this.skipSeparators();
			const t = this.peek();
			if (t === undefined) this.fail("nft_syntax_error", 'expected "}" to close the table');
			if (t.tokenType === T.RBrace) return;
			try {
				this.tableItem();
			} catch (e) {
				if (!(e instanceof Bail)) throw e;
				this.resync();
			}
		}
	}

	private tableItem(): void {
		const t = this.word("chain, set, map or a table property");
		const tb = this.table!;
		switch (t.image) {
			case "chain": {
				const { name, tok } = this.name("a chain name");
				const ch = this.getOrCreateChain(tb, name, tok);
				this.expect(T.LBrace, '"{"');
				this.chainBody(ch);
				this.expect(T.RBrace, '"}"');
				return;
			}
			case "set":
			case "map": {
				const { name, tok } = this.name(`a ${t.image} name`);
				this.setDecl(tb, name, tok, t.image === "map");
				return;
			}
			case "flags":
				this.word("a table flag");
				while (this.accept(T.Comma)) this.word("a table flag");
				return;
			case "comment":
				this.expect(T.Str, "a quoted comment");
				return;
			case "counter":
			case "quota": {
				const { name, tok } = this.name(`a ${t.image} name`);
				this.objectDecl(tb, t.image, name, tok);
				return;
			}
			case "flowtable":
			case "ct":
			case "limit":
			case "secmark":
			case "synproxy": {
				if (t.image === "ct" && this.acceptWord("helper")) {
					const { name, tok } = this.name("a ct helper name");
					this.ctHelperDecl(tb, name, tok);
					return;
				}
				this.diags.push(diagnostic("nft_unsupported", `table object "${t.image}" is not modelled by the simulator`, this.spanOf(t)));
				while (!isTok(this.peek(), T.LBrace) && !this.atRuleEnd()) this.i++;
				if (isTok(this.peek(), T.LBrace)) this.skipBlock();
				return;
			}
			default:
				this.fail("nft_syntax_error", `unexpected "${t.image}" in a table`, t, "expected chain, set, map, flags or comment");
		}
	}

	/** `ct helper NAME { type "HELPER" protocol tcp|udp [;] [l3proto ip|ip6|inet] }`. */
	private ctHelperDecl(tb: TableB, name: string, tok: IToken): void {
		this.expect(T.LBrace, '"{"');
		let type: string | undefined;
		let protocol: number | undefined;
		let l3proto: "ip" | "ip6" | "inet" | undefined;
		for (;;) {
			this.skipSeparators();
			if (isTok(this.peek(), T.RBrace)) break;
			const w = this.word("type or l3proto");
			if (w.image === "type") {
				type = this.expect(T.Str, "a quoted helper name").image.slice(1, -1);
				this.keyword("protocol");
				const p = this.word("tcp or udp");
				if (p.image !== "tcp" && p.image !== "udp") this.fail("nft_syntax_error", `expected tcp or udp, found "${p.image}"`, p);
				protocol = p.image === "tcp" ? 6 : 17;
			} else if (w.image === "l3proto") {
				const f = this.word("ip, ip6 or inet");
				if (f.image !== "ip" && f.image !== "ip6" && f.image !== "inet") this.fail("nft_syntax_error", `expected ip, ip6 or inet, found "${f.image}"`, f);
				l3proto = f.image as "ip" | "ip6" | "inet";
			} else {
				this.fail("nft_unsupported", `"${w.image}" in a ct helper object is not modelled`, w);
			}
		}
		this.expect(T.RBrace, '"}"');
		if (type === undefined || protocol === undefined) return this.fail("nft_syntax_error", `ct helper ${name} needs \`type "NAME" protocol tcp|udp\``, tok);
		(tb.ctHelpers ??= new Map()).set(name, { name, type, protocol, ...(l3proto !== undefined ? { l3proto } : {}), span: this.spanOf(tok) });
	}

	/** `counter NAME { [packets P bytes B] }`, `quota NAME { [over|until] N unit [used M unit] }`. */
	private objectDecl(tb: TableB, kind: "counter" | "quota", name: string, tok: IToken): void {
		this.expect(T.LBrace, '"{"');
		this.skipSeparators();
		let obj: A.NftObject;
		if (kind === "counter") {
			if (this.acceptWord("packets")) {
				this.number("a packet count");
				this.keyword("bytes");
				this.number("a byte count");
			}
			obj = { kind: "counter", name, span: this.spanOf(tok) };
		} else {
			const over = this.acceptWord("over") !== undefined;
			if (!over) this.acceptWord("until");
			const bytes = this.quotaBytes();
			if (this.acceptWord("used")) this.quotaBytes();
			obj = { kind: "quota", name, over, bytes, span: this.spanOf(tok) };
		}
		this.skipSeparators();
		this.expect(T.RBrace, '"}"');
		(tb.objects ??= new Map()).set(`${kind} ${name}`, obj);
	}

	private quotaBytes(): bigint {
		const n = BigInt(this.number("a byte count").tok.image);
		const unit = this.word("bytes, kbytes or mbytes");
		const mult = { bytes: 1n, kbytes: 1024n, mbytes: 1024n * 1024n }[unit.image];
		if (mult === undefined) this.fail("nft_syntax_error", `expected bytes, kbytes or mbytes, found "${unit.image}"`, unit);
		return n * mult!;
	}

	/** `counter name X` / `quota name X`: the table's object, which must be declared before. */
	private objectRef(kind: "counter" | "quota"): A.NftObject {
		const { name, tok } = this.name(`a ${kind} name`);
		const obj = this.table?.objects?.get(`${kind} ${name}`);
		if (obj === undefined) return this.fail("nft_undefined", `${kind} ${name} does not exist in this table`, tok);
		return obj;
	}

	private getOrCreateChain(tb: TableB, name: string, at: IToken): ChainB {
		let ch = tb.chains.get(name);
		if (ch === undefined) {
			ch = { name, span: this.spanOf(at), rules: [] };
			tb.chains.set(name, ch);
		}
		return ch;
	}

	private chainBody(ch: ChainB): void {
		for (;;) {
			this.skipSeparators();
			const t = this.peek();
			if (t === undefined) this.fail("nft_syntax_error", 'expected "}" to close the chain');
			if (t.tokenType === T.RBrace) return;
			try {
				if (this.isWord(t, "type")) this.baseChainSpec(ch);
				else if (this.isWord(t, "policy")) {
					this.i++;
					const p = this.word("accept or drop");
					if (p.image !== "accept" && p.image !== "drop") this.fail("nft_syntax_error", `invalid policy "${p.image}"`, p, "expected accept or drop");
					if (ch.base === undefined) this.fail("nft_syntax_error", "a policy needs a base chain (type … hook …) first", p);
					ch.base = { ...ch.base, policy: p.image };
				} else if (this.isWord(t, "comment") && isTok(this.peek(1), T.Str) && this.isLineEndAt(2)) {
					this.i += 2;
				} else if (this.isWord(t, "devices") || this.isWord(t, "device")) {
					this.devices(ch);
				} else {
					ch.rules.push(this.rule());
				}
			} catch (e) {
				if (!(e instanceof Bail)) throw e;
				this.resync();
			}
		}
	}

	private isLineEndAt(k: number): boolean {
		const t = this.peek(k);
		return t === undefined || t.tokenType === T.Newline || t.tokenType === T.Semi || t.tokenType === T.RBrace;
	}

	private devices(ch: ChainB): string[] {
		const kw = this.word("device");
		const out: string[] = [];
		if (kw.image === "devices") {
			this.expect(T.Eq, '"="');
			this.expect(T.LBrace, '"{"');
			for (;;) {
				this.skipNewlines();
				out.push(this.name("a device name").name);
				this.skipNewlines();
				if (!this.accept(T.Comma)) break;
			}
			this.skipNewlines();
			this.expect(T.RBrace, '"}"');
		} else out.push(this.name("a device name").name);
		if (ch.base !== undefined) ch.base = { ...ch.base, devices: [...ch.base.devices, ...out] };
		return out;
	}

	private baseChainSpec(ch: ChainB): void {
		this.keyword("type");
		const type = this.word("filter, nat or route");
		if (type.image !== "filter" && type.image !== "nat" && type.image !== "route") {
			this.fail("nft_syntax_error", `unknown chain type "${type.image}"`, type, "expected filter, nat or route");
		}
		this.keyword("hook");
		const hook = this.word("a hook");
		if (!HOOKS.has(hook.image)) this.fail("nft_syntax_error", `unknown hook "${hook.image}"`, hook);
		const devices: string[] = [];
		ch.base = { type: type.image, hook: hook.image as A.NftHook, priority: 0, policy: "accept", devices };
		if (this.isWord(this.peek(), "device") || this.isWord(this.peek(), "devices")) devices.push(...this.devices(ch));
		this.keyword("priority");
		ch.base = { ...ch.base, priority: this.priority(), devices: ch.base.devices };
		this.accept(T.Semi);
		if (this.isWord(this.peek(), "policy")) {
			this.i++;
			const p = this.word("accept or drop");
			if (p.image !== "accept" && p.image !== "drop") this.fail("nft_syntax_error", `invalid policy "${p.image}"`, p);
			ch.base = { ...ch.base, policy: p.image };
			this.accept(T.Semi);
		}
	}

	/** `priority P`: a number, a standard name, or `name ± number`. */
	private priority(): number {
		const neg = this.accept(T.Dash) !== undefined;
		const t = this.word("a priority");
		let base: number;
		const named = PRIORITY_NAMES.get(t.image);
		if (named !== undefined && !neg) base = named;
		else if (/^\d+$/.test(t.image)) base = Number(t.image) * (neg ? -1 : 1);
		else return this.fail("nft_syntax_error", `invalid priority "${t.image}"`, t, "expected a number or raw, mangle, dstnat, filter, security, srcnat");
		const sign = this.accept(T.Plus) !== undefined ? 1 : this.accept(T.Dash) !== undefined ? -1 : 0;
		if (sign !== 0) base += sign * this.number("a priority offset").value;
		return base;
	}

	private addCmd(): void {
		const what = this.word("table, chain, rule, set, map or element");
		switch (what.image) {
			case "table":
				this.tableCmd(what, true);
				return;
			case "chain": {
				const ref = this.tableRef();
				const tb = this.findTable(ref.family, ref.name, ref.tok);
				const { name, tok } = this.name("a chain name");
				const ch = this.getOrCreateChain(tb, name, tok);
				if (this.accept(T.LBrace)) {
					this.withTable(tb, () => this.chainBody(ch));
					this.expect(T.RBrace, '"}"');
				}
				return;
			}
			case "rule":
				this.ruleCmd(false);
				return;
			case "set":
			case "map": {
				const ref = this.tableRef();
				const tb = this.findTable(ref.family, ref.name, ref.tok);
				const { name, tok } = this.name(`a ${what.image} name`);
				this.withTable(tb, () => this.setDecl(tb, name, tok, what.image === "map"));
				return;
			}
			case "element": {
				const ref = this.tableRef();
				const tb = this.findTable(ref.family, ref.name, ref.tok);
				const { name, tok } = this.name("a set name");
				const set = tb.sets.get(name);
				if (set === undefined) this.fail("nft_undefined", `set ${name} does not exist in table ${tb.family} ${tb.name}`, tok);
				this.withTable(tb, () => set.elems.push(...this.setElements(set.keyTypes, set.keyWidths, set.isMap ? (set.dataTypes ?? ["verdict"]) : undefined)));
				return;
			}
			default:
				this.fail("nft_unsupported", `"add ${what.image}" is not modelled by the simulator`, what);
		}
	}

	private ruleCmd(insert: boolean): void {
		const ref = this.tableRef();
		const tb = this.findTable(ref.family, ref.name, ref.tok);
		const { name, tok } = this.name("a chain name");
		const ch = tb.chains.get(name);
		if (ch === undefined) this.fail("nft_undefined", `chain ${name} does not exist in table ${tb.family} ${tb.name}`, tok);
		let index: number | undefined;
		const pos = this.peek();
		if (this.isWord(pos, "index")) {
			this.i++;
			index = this.number("a rule index").value;
		} else if (this.isWord(pos, "position") || this.isWord(pos, "handle")) {
			this.fail("nft_unsupported", "rule positions by handle are not modelled (no handles in a fresh load)", pos);
		}
		this.withTable(tb, () => {
			const r = this.rule();
			if (index !== undefined) ch.rules.splice(insert ? index : index + 1, 0, r);
			else if (insert) ch.rules.unshift(r);
			else ch.rules.push(r);
		});
	}

	private flushCmd(): void {
		const what = this.word("ruleset, table, chain or set");
		switch (what.image) {
			case "ruleset":
				if (this.isWord(this.peek()) && FAMILIES.has(this.peek()!.image)) {
					const fam = this.word("a family").image;
					this.tables = this.tables.filter((t) => t.family !== fam);
				} else this.tables = [];
				return;
			case "table": {
				const ref = this.tableRef();
				const tb = this.findTable(ref.family, ref.name, ref.tok);
				for (const c of tb.chains.values()) c.rules = [];
				for (const s of tb.sets.values()) s.elems = [];
				return;
			}
			case "chain": {
				const ref = this.tableRef();
				const tb = this.findTable(ref.family, ref.name, ref.tok);
				const { name, tok } = this.name("a chain name");
				const ch = tb.chains.get(name);
				if (ch === undefined) this.fail("nft_undefined", `chain ${name} does not exist`, tok);
				ch.rules = [];
				return;
			}
			case "set":
			case "map": {
				const ref = this.tableRef();
				const tb = this.findTable(ref.family, ref.name, ref.tok);
				const { name, tok } = this.name("a set name");
				const s = tb.sets.get(name);
				if (s === undefined) this.fail("nft_undefined", `set ${name} does not exist`, tok);
				s.elems = [];
				return;
			}
			default:
				this.fail("nft_unsupported", `"flush ${what.image}" is not modelled by the simulator`, what);
		}
	}

	private deleteCmd(kw: IToken): void {
		const what = this.word("table, chain or set");
		const ref = this.tableRef();
		const idx = this.tables.findIndex((t) => t.family === ref.family && t.name === ref.name);
		if (what.image === "table") {
			if (idx < 0) {
				if (kw.image === "destroy") return;
				this.fail("nft_undefined", `table ${ref.family} ${ref.name} does not exist`, ref.tok);
			}
			this.tables.splice(idx, 1);
			return;
		}
		if (what.image === "chain" || what.image === "set" || what.image === "map") {
			const tb = this.findTable(ref.family, ref.name, ref.tok);
			const { name, tok } = this.name("a name");
			const coll: Map<string, unknown> = what.image === "chain" ? tb.chains : tb.sets;
			if (!coll.delete(name) && kw.image !== "destroy") this.fail("nft_undefined", `${what.image} ${name} does not exist`, tok);
			return;
		}
		this.fail("nft_unsupported", `"${kw.image} ${what.image}" is not modelled by the simulator`, what);
	}

	// -----------------------------------------------------------------------------------------
	// Sets and maps

	private typeNames(): { types: A.Datatype[]; widths: number[] } {
		const types: A.Datatype[] = [];
		const widths: number[] = [];
		for (;;) {
			const t = this.word("a datatype");
			const info = SET_TYPES.get(t.image);
			if (info === undefined) this.fail("nft_unsupported", `set datatype "${t.image}" is not modelled`, t);
			types.push(info.dtype);
			widths.push(info.width);
			if (!this.accept(T.Dot)) return { types, widths };
		}
	}

	private typeofExprs(): { types: A.Datatype[]; widths: number[] } {
		const e = this.concatExpr();
		const parts = e.kind === "concat" ? e.parts : [e];
		return { types: parts.map((p) => p.dtype), widths: parts.map((p) => p.width) };
	}

	private setDecl(tb: TableB, name: string, nameTok: IToken, isMap: boolean): void {
		this.expect(T.LBrace, '"{"');
		let set = tb.sets.get(name);
		const fresh = set === undefined;
		if (set === undefined) {
			set = { name, span: this.spanOf(nameTok), isMap, keyTypes: [], keyWidths: [], flags: [], elems: [] };
			tb.sets.set(name, set);
		}
		const s = set;
		for (;;) {
			this.skipSeparators();
			const t = this.peek();
			if (t === undefined) this.fail("nft_syntax_error", 'expected "}" to close the set');
			if (t.tokenType === T.RBrace) break;
			const kw = this.word("a set property");
			switch (kw.image) {
				case "type":
				case "typeof": {
					const key = kw.image === "type" ? this.typeNames() : this.typeofExprs();
					s.keyTypes = key.types;
					s.keyWidths = key.widths;
					if (this.accept(T.Colon)) {
						if (!isMap) this.fail("nft_syntax_error", "a set has no data type; use a map", this.last());
						if (this.isWord(this.peek(), "verdict")) {
							this.i++;
							s.dataTypes = ["verdict"];
						} else {
							const data = kw.image === "type" ? this.typeNames() : this.typeofExprs();
							s.dataTypes = data.types;
						}
					} else if (isMap) this.fail("nft_syntax_error", "a map needs `: datatype` after its key type", this.peek());
					break;
				}
				case "flags":
					do s.flags.push(this.word("a set flag").image);
					while (this.accept(T.Comma));
					break;
				case "timeout": {
					const w = this.word("a timeout value");
					const ms = parseTime(w.image);
					if (ms === undefined) this.fail("nft_syntax_error", `invalid timeout "${w.image}"`, w);
					s.timeoutMs = ms;
					break;
				}
				case "gc-interval":
				case "size":
				case "policy":
					this.word(`a ${kw.image} value`);
					break;
				case "counter":
				case "auto-merge":
					break;
				case "comment":
					this.expect(T.Str, "a quoted comment");
					break;
				case "elements": {
					this.expect(T.Eq, '"="');
					if (s.keyTypes.length === 0) this.fail("nft_syntax_error", "set elements before the set's type", kw);
					s.elems.push(...this.setElements(s.keyTypes, s.keyWidths, isMap ? (s.dataTypes ?? ["verdict"]) : undefined));
					break;
				}
				default:
					this.fail("nft_syntax_error", `unknown set property "${kw.image}"`, kw);
			}
		}
		this.expect(T.RBrace, '"}"');
		if (fresh && s.keyTypes.length === 0) this.fail("nft_syntax_error", `set ${name} has no type`, nameTok);
	}

	/** `{ elem [: data], … }` with newlines allowed between elements. */
	private setElements(types: readonly A.Datatype[], widths: readonly number[], dataTypes: readonly A.Datatype[] | undefined): A.SetElem[] {
		const open = this.expect(T.LBrace, '"{"');
		const out: A.SetElem[] = [];
		this.skipNewlines();
		if (this.accept(T.RBrace)) return out;
		for (;;) {
			this.skipNewlines();
			const first = this.peek() ?? open;
			const key = this.elemKey(types, widths);
			let data: A.MapData | undefined;
			this.elemOptions();
			if (dataTypes !== undefined) {
				this.expect(T.Colon, '":" and the element data');
				data = dataTypes[0] === "verdict" ? { kind: "verdict", verdict: this.verdict() } : this.elemKey(dataTypes, dataTypes.map((d) => WIDTH[d]));
			}
			out.push({ span: this.spanFrom(first, this.last()), key, ...(data !== undefined ? { data } : {}) });
			this.elemOptions();
			this.skipNewlines();
			if (this.accept(T.Comma)) {
				this.skipNewlines();
				if (this.accept(T.RBrace)) return out;
				continue;
			}
			this.expect(T.RBrace, '"," or "}"');
			return out;
		}
	}

	/** Per-element options that do not change a lookup. */
	private elemOptions(): void {
		for (;;) {
			const t = this.peek();
			if (this.isWord(t, "timeout") || this.isWord(t, "expires")) {
				this.i++;
				this.word("a time");
			} else if (this.isWord(t, "comment")) {
				this.i++;
				this.expect(T.Str, "a quoted comment");
			} else if (this.isWord(t, "counter")) {
				this.i++;
				if (this.acceptWord("packets")) {
					this.word("a number");
					this.keyword("bytes");
					this.word("a number");
				}
			} else return;
		}
	}

	private elemKey(types: readonly A.Datatype[], widths: readonly number[]): A.ElemKey {
		const first = this.peek();
		const parts: A.ScalarValue[] = [];
		for (let k = 0; k < types.length; k++) {
			if (k > 0) this.expect(T.Dot, `"." and the next part of the ${types.length}-part key`);
			parts.push(this.scalar(types[k]!, widths[k] ?? WIDTH[types[k]!]));
		}
		if (parts.length === 1) return parts[0]!;
		return { kind: "concat", parts, span: this.spanFrom(first!, this.last()) };
	}

	// -----------------------------------------------------------------------------------------
	// Values

	/** One scalar of a datatype: a word, a quoted string, or `lo - hi` written with blanks. */
	private scalar(dtype: A.Datatype, width: number): A.ScalarValue {
		const t = this.peek();
		if (t === undefined || (t.tokenType !== T.Word && t.tokenType !== T.Str)) {
			return this.fail("nft_syntax_error", `expected a ${dtype} value, found ${this.describe(t)}`);
		}
		this.i++;
		let image = t.tokenType === T.Str ? t.image.slice(1, -1) : t.image;
		let end = t;
		if (isTok(this.peek(), T.Dash) && (this.isWord(this.peek(1)) || isTok(this.peek(1), T.Str))) {
			this.i++;
			end = this.next("the end of the range");
			image = `${image}-${end.tokenType === T.Str ? end.image.slice(1, -1) : end.image}`;
		}
		const d =
			t.tokenType === T.Str && end === t && (dtype === "ifname" || dtype === "string" || dtype === "iface_index")
				? decodeName(image)
				: decodeValue(dtype, width, image);
		if ("error" in d) return this.fail("nft_syntax_error", d.error, t);
		return { kind: "value", lo: d.lo, hi: d.hi, form: d.form, ...(d.inverted ? { inverted: true as const } : {}), span: this.spanFrom(t, end) };
	}

	/** Right-hand side of a relation: set, set reference, scalar/concat, flag list. */
	private rhs(left: A.NftExpr): A.NftValue {
		const types = typesOf(left);
		const t = this.peek();
		if (isTok(t, T.LBrace)) {
			const elems = this.setElements(types.map((x) => x.dtype), types.map((x) => x.width), undefined);
			return { kind: "set", elems, span: this.spanFrom(t, this.last()) };
		}
		if (isTok(t, T.At)) {
			this.i++;
			const { name, tok } = this.name("a set name");
			this.refs.push({ table: this.table!, kind: "set", name, span: this.spanOf(tok) });
			return { kind: "setref", name, span: this.spanFrom(t, tok) };
		}
		if (isTok(t, T.LParen) && types.length === 1 && isBitmask(types[0]!.dtype)) {
			this.i++;
			const v = this.flagList(types[0]!.dtype, t);
			this.expect(T.RParen, '")"');
			return v;
		}
		const key = this.elemKey(types.map((x) => x.dtype), types.map((x) => x.width));
		if (key.kind === "value" && isBitmask(types[0]!.dtype) && (isTok(this.peek(), T.Comma) || isTok(this.peek(), T.Pipe))) {
			let bits = key.lo;
			while (this.accept(T.Comma) || this.accept(T.Pipe)) bits |= this.scalar(types[0]!.dtype, types[0]!.width).lo;
			return { kind: "flags", bits, span: this.spanFrom(t!, this.last()) };
		}
		return key;
	}

	private flagList(dtype: A.Datatype, first: IToken): A.FlagListValue {
		let bits = this.scalar(dtype, WIDTH[dtype]).lo;
		while (this.accept(T.Comma) || this.accept(T.Pipe)) bits |= this.scalar(dtype, WIDTH[dtype]).lo;
		return { kind: "flags", bits, span: this.spanFrom(first, this.last()) };
	}

	// -----------------------------------------------------------------------------------------
	// Expressions

	private startsExpr(t: IToken | undefined): boolean {
		if (isTok(t, T.At) || isTok(t, T.LParen)) return true;
		if (!this.isWord(t)) return false;
		const w = t.image;
		return (
			w in PAYLOAD ||
			w in EXTHDR ||
			BARE_META.has(w) ||
			w === "meta" ||
			w === "ct" ||
			w === "fib" ||
			w === "numgen" ||
			w === "jhash" ||
			w === "symhash" ||
			w === "exthdr" ||
			w === "rt" ||
			w === "socket"
		);
	}

	private concatExpr(): A.NftExpr {
		const first = this.peek()!;
		const parts = [this.binopExpr()];
		while (isTok(this.peek(), T.Dot)) {
			this.i++;
			parts.push(this.binopExpr());
		}
		if (parts.length === 1) return parts[0]!;
		return { kind: "concat", parts, dtype: "integer", width: parts.reduce((n, p) => n + p.width, 0), span: this.spanFrom(first, this.last()) };
	}

	private binopOp(): A.BinOp | undefined {
		const t = this.peek();
		if (t === undefined) return undefined;
		switch (t.tokenType) {
			case T.Amp:
				return "&";
			case T.Pipe:
				return "|";
			case T.Caret:
				return "^";
			case T.Shl:
				return "<<";
			case T.Shr:
				return ">>";
			case T.Word:
				return BINOP_WORDS.get(t.image);
			default:
				return undefined;
		}
	}

	/** `primary (op operand)*`; `constType` allows a constant primary (right side of `set`). */
	private binopExpr(constType?: { dtype: A.Datatype; width: number }): A.NftExpr {
		const first = this.peek();
		let left: A.NftExpr;
		if (constType !== undefined && !this.startsExpr(first)) {
			const v = this.scalar(constType.dtype, constType.width);
			if (v.lo !== v.hi) this.fail("nft_syntax_error", "a range is not a value here", first);
			left = { kind: "const", value: v.lo, dtype: constType.dtype, width: constType.width, span: v.span };
		} else left = this.primary();
		for (;;) {
			const op = this.binopOp();
			if (op === undefined) return left;
			this.i++;
			const right = this.operand(left);
			left = { kind: "binop", op, left, right, dtype: op === "<<" || op === ">>" ? "integer" : left.dtype, width: left.width, span: this.spanFrom(first!, this.last()) };
		}
	}

	/** The right operand of a binary operator: a constant of the left's type, `(a|b)`, or an expression. */
	private operand(left: A.NftExpr): A.NftExpr {
		const t = this.peek();
		if (isTok(t, T.LParen)) {
			if (this.startsExpr(this.peek(1))) {
				this.i++;
				const e = this.concatExpr();
				this.expect(T.RParen, '")"');
				return e;
			}
			this.i++;
			const fl = this.flagList(isBitmask(left.dtype) ? left.dtype : "integer", t);
			this.expect(T.RParen, '")"');
			return { kind: "const", value: fl.bits, dtype: left.dtype, width: left.width, span: fl.span };
		}
		if (this.startsExpr(t)) return this.primary();
		const dtype = left.dtype === "ct_dir" || left.dtype === "boolean" ? "integer" : left.dtype;
		const v = this.scalar(dtype, left.width);
		if (v.lo !== v.hi && v.form !== "prefix") this.fail("nft_syntax_error", "a range is not an operand", t);
		return { kind: "const", value: v.lo, dtype: left.dtype, width: left.width, span: v.span };
	}

	private field(table: Readonly<Record<string, FieldInfo>>, what: string): { name: string; info: FieldInfo; tok: IToken } {
		const t = this.word(`a ${what} field`);
		const info = table[t.image];
		if (info === undefined) {
			this.fail("nft_syntax_error", `unknown ${what} field "${t.image}"`, t, `known: ${Object.keys(table).join(", ")}`);
		}
		return { name: t.image, info, tok: t };
	}

	private primary(): A.NftExpr {
		const t = this.peek();
		if (isTok(t, T.LParen)) {
			this.i++;
			const e = this.concatExpr();
			this.expect(T.RParen, '")"');
			return e;
		}
		if (isTok(t, T.At)) return this.rawPayload();
		const w = this.word("an expression");
		const sp = (): Span => this.spanFrom(w, this.last());
		const img = w.image;
		if (img === "tcp" && this.isWord(this.peek(), "option")) return this.tcpOption(w);
		if (img === "ip" && this.isWord(this.peek(), "option")) this.fail("nft_unsupported", "ip options are not modelled", w);
		if (img === "sctp" && this.isWord(this.peek(), "chunk")) this.fail("nft_unsupported", "sctp chunk matches are not modelled", w);
		const payload = PAYLOAD[img];
		if (payload !== undefined) {
			const f = this.field(payload, img);
			return { kind: "payload", proto: img, field: f.name, dtype: f.info.dtype, width: f.info.width, span: sp() };
		}
		// `rt ipsec` / `rt classid` are routing expressions; other `rt` fields the routing header.
		if (img === "rt" && (this.isWord(this.peek(), "ipsec") || this.isWord(this.peek(), "classid"))) {
			const k = this.word("ipsec or classid");
			if (k.image === "ipsec") return { kind: "rt", key: "ipsec", dtype: "boolean", width: 1, span: sp() };
			return { kind: "rt", key: "classid", dtype: "integer", width: 32, span: sp() }; // a realm
		}
		const ext = EXTHDR[img];
		if (ext !== undefined) {
			const f = this.field(ext, img);
			return { kind: "exthdr", hdr: img, field: f.name, dtype: f.info.dtype, width: f.info.width, span: sp() };
		}
		switch (img) {
			case "meta": {
				const f = this.field(META, "meta");
				return { kind: "meta", key: f.name, dtype: f.info.dtype, width: f.info.width, span: sp() };
			}
			case "ct":
				return this.ctExpr(w);
			case "fib":
				return this.fibExpr(w);
			case "numgen": {
				const mode = this.word("random or inc");
				if (mode.image !== "random" && mode.image !== "inc") this.fail("nft_syntax_error", `unknown numgen mode "${mode.image}"`, mode);
				this.keyword("mod");
				const mod = this.number("a modulus").value;
				const offset = this.acceptWord("offset") ? this.number("an offset").value : 0;
				if (mod === 0) this.fail("nft_syntax_error", "numgen modulus must be positive", this.last());
				return { kind: "numgen", mode: mode.image, mod, offset, dtype: "integer", width: 32, span: sp() };
			}
			case "jhash":
			case "symhash": {
				const key = img === "jhash" ? this.concatExpr() : undefined;
				this.keyword("mod");
				const mod = this.number("a modulus").value;
				const seed = this.acceptWord("seed") ? this.number("a seed").value : undefined;
				const offset = this.acceptWord("offset") ? this.number("an offset").value : 0;
				if (mod === 0) this.fail("nft_syntax_error", "hash modulus must be positive", this.last());
				return { kind: "numgen", mode: img, mod, offset, ...(key !== undefined ? { key } : {}), ...(seed !== undefined ? { seed } : {}), dtype: "integer", width: 32, span: sp() };
			}
			case "exthdr": {
				const h = this.word("an extension header name");
				if (EXTHDR[h.image] === undefined) {
					this.fail("nft_syntax_error", `unknown extension header "${h.image}"`, h);
				}
				return { kind: "exthdr", hdr: h.image, dtype: "boolean", width: 1, span: sp() };
			}
			case "rt":
				return this.fail("nft_unsupported", "routing expressions (rt …) are not modelled", w);
			case "socket": {
				const k = this.word("transparent, wildcard or mark");
				if (k.image === "transparent" || k.image === "wildcard") return { kind: "socket", key: k.image, dtype: "integer", width: 8, span: sp() };
				if (k.image === "mark") return { kind: "socket", key: "mark", dtype: "mark", width: 32, span: sp() };
				return this.fail("nft_unsupported", `socket ${k.image} is not modelled`, k);
			}
			default:
				if (BARE_META.has(img)) {
					const info = META[img]!;
					return { kind: "meta", key: img, dtype: info.dtype, width: info.width, span: sp() };
				}
				return this.fail("nft_syntax_error", `unknown expression "${img}"`, w);
		}
	}

	private rawPayload(): A.RawExpr {
		const at = this.expect(T.At, '"@"');
		const base = this.word("ll, nh, th or ih");
		if (base.image !== "ll" && base.image !== "nh" && base.image !== "th" && base.image !== "ih") this.fail("nft_syntax_error", `unknown payload base "${base.image}"`, base);
		this.expect(T.Comma, '","');
		const offset = this.number("a bit offset").value;
		this.expect(T.Comma, '","');
		const len = this.number("a bit length").value;
		return { kind: "raw", base: base.image, offset, len, dtype: "integer", width: len, span: this.spanFrom(at, this.last()) };
	}

	private tcpOption(tcp: IToken): A.TcpOptExpr {
		this.keyword("option");
		const t = this.word("a TCP option name or number");
		let kind: number;
		let fields: Readonly<Record<string, FieldInfo>> = {};
		const known = TCP_OPTIONS[t.image];
		if (known !== undefined) {
			kind = known.kind;
			fields = known.fields;
		} else if (/^\d+$/.test(t.image) && Number(t.image) < 256) kind = Number(t.image);
		else return this.fail("nft_syntax_error", `unknown TCP option "${t.image}"`, t);
		const f = this.peek();
		if (this.isWord(f) && fields[f.image] !== undefined) {
			this.i++;
			const info = fields[f.image]!;
			return { kind: "tcpopt", option: kind, name: t.image, field: f.image, dtype: info.dtype, width: info.width, span: this.spanFrom(tcp, f) };
		}
		return { kind: "tcpopt", option: kind, name: t.image, dtype: "boolean", width: 1, span: this.spanFrom(tcp, t) };
	}

	private ctExpr(ct: IToken): A.CtExpr {
		let dir: "original" | "reply" | undefined;
		let fam: "ip" | "ip6" | undefined;
		const d = this.peek();
		if (this.isWord(d, "original") || this.isWord(d, "reply")) {
			this.i++;
			dir = d.image as "original" | "reply";
			const f = this.peek();
			if (this.isWord(f, "ip") || this.isWord(f, "ip6")) {
				this.i++;
				fam = f.image as "ip" | "ip6";
			}
		}
		const k = this.word("a ct key");
		if (k.image === "count") this.fail("nft_unsupported", "ct count (connlimit) is not modelled", k);
		const info = CT[k.image];
		if (info === undefined) this.fail("nft_syntax_error", `unknown ct key "${k.image}"`, k, `known: ${Object.keys(CT).join(", ")}`);
		let { dtype, width } = info;
		if (k.image === "saddr" || k.image === "daddr") {
			const six = fam === "ip6" || (fam === undefined && this.family === "ip6");
			dtype = six ? "ipv6_addr" : "ipv4_addr";
			width = six ? 128 : 32;
			if (fam === undefined && this.family !== "ip6") fam = this.family === "ip" ? "ip" : undefined;
		}
		return {
			kind: "ct",
			key: k.image,
			...(dir !== undefined ? { dir } : {}),
			...(fam !== undefined ? { fam } : {}),
			dtype,
			width,
			span: this.spanFrom(ct, k),
		};
	}

	private fibExpr(fib: IToken): A.FibExpr {
		const flags: ("saddr" | "daddr" | "mark" | "iif" | "oif")[] = [];
		for (;;) {
			const f = this.word("saddr, daddr, mark, iif or oif");
			if (f.image !== "saddr" && f.image !== "daddr" && f.image !== "mark" && f.image !== "iif" && f.image !== "oif") {
				this.fail("nft_syntax_error", `unknown fib flag "${f.image}"`, f);
			}
			flags.push(f.image);
			if (!this.accept(T.Dot)) break;
		}
		const r = this.word("oif, oifname or type");
		switch (r.image) {
			case "oif":
				return { kind: "fib", flags, result: "oif", dtype: "iface_index", width: 128, span: this.spanFrom(fib, r) };
			case "oifname":
				return { kind: "fib", flags, result: "oifname", dtype: "ifname", width: 128, span: this.spanFrom(fib, r) };
			case "type":
				return { kind: "fib", flags, result: "type", dtype: "fib_addrtype", width: 32, span: this.spanFrom(fib, r) };
			default:
				return this.fail("nft_syntax_error", `unknown fib result "${r.image}"`, r, "expected oif, oifname or type");
		}
	}

	// -----------------------------------------------------------------------------------------
	// Rules and statements

	private rule(): A.NftRule {
		const first = this.peek()!;
		const stmts: A.NftStmt[] = [];
		let comment: string | undefined;
		while (!this.atRuleEnd()) {
			const t = this.peek()!;
			if (this.isWord(t, "comment")) {
				this.i++;
				comment = this.expect(T.Str, "a quoted comment").image.slice(1, -1);
				continue;
			}
			stmts.push(this.stmt());
		}
		if (stmts.length === 0 && comment === undefined) this.fail("nft_syntax_error", "empty rule", first);
		const lastTok = this.last();
		const span = this.spanFrom(first, lastTok);
		const text = this.text.slice(first.startOffset, lastTok.startOffset + lastTok.image.length);
		return { span, text, stmts, ...(comment !== undefined ? { comment } : {}) };
	}

	private stmt(): A.NftStmt {
		const t = this.peek()!;
		if (!this.isWord(t)) {
			if (this.startsExpr(t)) return this.exprStmt();
			return this.fail("nft_syntax_error", `expected a match or statement, found ${this.describe(t)}`, t);
		}
		const w = t.image;
		const sp = (): Span => this.spanFrom(t, this.last());
		if (VERDICT_WORDS.has(w)) return { kind: "verdict", verdict: this.verdict(), span: sp() };
		switch (w) {
			case "counter": {
				this.i++;
				// A named counter counts and never stops the rule: like an anonymous one.
				if (this.acceptWord("name")) return { kind: "counter", name: this.objectRef("counter").name, span: sp() };
				if (this.acceptWord("packets")) {
					const packets = BigInt(this.number("a packet count").tok.image);
					this.keyword("bytes");
					const bytes = BigInt(this.number("a byte count").tok.image);
					return { kind: "counter", packets, bytes, span: sp() };
				}
				return { kind: "counter", span: sp() };
			}
			case "log":
				return this.logStmt(t);
			case "limit":
				return this.limitStmt(t);
			case "quota":
				return this.quotaStmt(t);
			case "reject":
				return this.rejectStmt(t);
			case "queue":
				return this.queueStmt(t);
			case "dnat":
			case "snat":
			case "masquerade":
			case "redirect":
				return this.natStmt(t);
			case "notrack":
				this.i++;
				return { kind: "notrack", span: sp() };
			case "dup": {
				this.i++;
				this.keyword("to");
				// nft 1.0.6 evaluates dup only in ip and ip6 tables ("unsupported family" elsewhere).
				if (this.family !== "ip" && this.family !== "ip6") this.fail("nft_unsupported", `dup in ${this.family} tables is refused by nft 1.0.6 (unsupported family)`, t);
				const a = this.word(`an ${this.family === "ip" ? "IPv4" : "IPv6"} address`);
				const addr = this.family === "ip" ? parseIpv4(a.image) : parseIpv6(a.image);
				if (addr === undefined) return this.fail("nft_syntax_error", `invalid dup address "${a.image}"`, a);
				if (!this.acceptWord("device")) return { kind: "dup", addr, span: sp() };
				const d = this.next("a device name");
				if (d.tokenType !== T.Word && d.tokenType !== T.Str) return this.fail("nft_syntax_error", `expected a device name, found ${this.describe(d)}`, d);
				return { kind: "dup", addr, device: d.tokenType === T.Str ? d.image.slice(1, -1) : d.image, span: sp() };
			}
			case "tproxy": {
				this.i++;
				let fam: "ip" | "ip6" | undefined;
				const f = this.peek();
				if (this.isWord(f, "ip") || this.isWord(f, "ip6")) {
					this.i++;
					fam = f.image as "ip" | "ip6";
				}
				this.keyword("to");
				const spec = this.natAddress("dnat", fam);
				if (spec.addr !== undefined && spec.addr.lo !== spec.addr.hi) this.fail("nft_syntax_error", "tproxy takes one address, not a range", t);
				if (spec.port !== undefined && spec.port.lo !== spec.port.hi) this.fail("nft_syntax_error", "tproxy takes one port, not a range", t);
				const fm = fam ?? spec.fam;
				return {
					kind: "tproxy",
					...(fm !== undefined ? { fam: fm } : {}),
					...(spec.addr !== undefined ? { addr: spec.addr.lo } : {}),
					...(spec.port !== undefined ? { port: spec.port.lo } : {}),
					span: sp(),
				};
			}
			case "reset":
				if (this.isWord(this.peek(1), "tcp") && this.isWord(this.peek(2), "option")) {
					this.i += 3;
					const o = this.word("a TCP option");
					const option = TCP_OPTION_NUMBERS.get(o.image) ?? (/^\d{1,3}$/.test(o.image) && Number(o.image) <= 255 ? Number(o.image) : undefined);
					if (option === undefined) return this.fail("nft_syntax_error", `unknown TCP option "${o.image}"`, o);
					return { kind: "tcpopt-reset", option, span: sp() };
				}
				return this.fail("nft_unsupported", `statement "${w}" is not modelled by the simulator`, t);
			case "synproxy":
				return this.synproxyStmt(t);
			case "add":
			case "update":
			case "delete":
				if (isTok(this.peek(1), T.At)) return this.dynsetStmt(t);
				return this.fail("nft_unsupported", `statement "${w}" is not modelled by the simulator`, t);
			default:
				if (UNSUPPORTED_STMTS.has(w)) this.fail("nft_unsupported", `statement "${w}" is not modelled by the simulator`, t);
				if (this.startsExpr(t)) return this.exprStmt();
				return this.fail("nft_syntax_error", `unknown statement or expression "${w}"`, t);
		}
	}

	/** `synproxy [mss N] [wscale N] [timestamp] [sack-perm]`; `synproxy name …` objects are not modelled. */
	private synproxyStmt(kw: IToken): A.SynproxyStmt {
		this.i++;
		let mss: number | undefined;
		let wscale: number | undefined;
		let timestamp = false;
		let sackPerm = false;
		for (;;) {
			const t = this.peek();
			if (this.isWord(t, "mss") || this.isWord(t, "wscale")) {
				this.i++;
				const v = this.word("a number");
				const n = /^\d{1,5}$/.test(v.image) ? Number(v.image) : NaN;
				const max = t!.image === "mss" ? 65535 : 14;
				if (!(n <= max)) return this.fail("nft_syntax_error", `invalid synproxy ${t!.image} "${v.image}"`, v);
				if (t!.image === "mss") mss = n;
				else wscale = n;
			} else if (this.isWord(t, "timestamp")) {
				this.i++;
				timestamp = true;
			} else if (this.isWord(t, "sack-perm")) {
				this.i++;
				sackPerm = true;
			} else if (this.isWord(t, "name")) {
				return this.fail("nft_unsupported", "synproxy objects (`synproxy name …`) are not modelled", t!);
			} else break;
		}
		return { kind: "synproxy", ...(mss !== undefined ? { mss } : {}), ...(wscale !== undefined ? { wscale } : {}), timestamp, sackPerm, span: this.spanFrom(kw, this.last()) };
	}

	private verdict(): A.NftVerdict {
		const t = this.word("a verdict");
		switch (t.image) {
			case "accept":
			case "drop":
			case "continue":
			case "return":
				return { kind: t.image };
			case "jump":
			case "goto": {
				const { name, tok } = this.name("a chain name");
				if (this.table !== undefined) this.refs.push({ table: this.table, kind: "chain", name, span: this.spanOf(tok) });
				return { kind: t.image, chain: name };
			}
			default:
				return this.fail("nft_syntax_error", `expected a verdict, found "${t.image}"`, t, "accept, drop, continue, return, jump CHAIN, goto CHAIN");
		}
	}

	/** An expression followed by a relation, `set`, `vmap` or (tcp option) `set`. */
	private exprStmt(): A.NftStmt {
		const first = this.peek()!;
		const left = this.concatExpr();
		const sp = (): Span => this.spanFrom(first, this.last());
		const nx = this.peek();
		if (this.isWord(nx, "set")) {
			this.i++;
			if (left.kind === "ct" && left.key === "helper" && left.dir === undefined) {
				const { name, tok } = this.name("a ct helper object name");
				if (this.table?.ctHelpers?.has(name) !== true) this.fail("nft_undefined", `ct helper ${name} does not exist in this table`, tok);
				return { kind: "ct-helper-set", name, span: sp() };
			}
			if (left.kind === "tcpopt" && left.name === "maxseg" && left.field === "size") {
				if (this.acceptWord("rt")) {
					this.keyword("mtu");
					return { kind: "tcpmss", size: "rt-mtu", span: sp() };
				}
				return { kind: "tcpmss", size: this.number("an MSS value").value, span: sp() };
			}
			if (left.kind !== "meta" && left.kind !== "ct" && left.kind !== "payload") this.fail("nft_syntax_error", "only meta, ct and header fields can be set", nx);
			const dtype = left.dtype === "ct_dir" ? "integer" : left.dtype;
			const value = this.concatOrBinop({ dtype, width: left.width });
			return { kind: "set", target: left, value, span: sp() };
		}
		if (this.isWord(nx, "vmap")) {
			this.i++;
			return { kind: "vmap", key: left, map: this.mapRef(left, ["verdict"]), span: sp() };
		}
		if (this.isWord(nx, "map")) this.fail("nft_unsupported", "a data map outside dnat/snat is not modelled", nx);
		return this.match(left, first);
	}

	private concatOrBinop(constType: { dtype: A.Datatype; width: number }): A.NftExpr {
		const first = this.peek()!;
		const parts = [this.binopExpr(constType)];
		while (isTok(this.peek(), T.Dot)) {
			this.i++;
			parts.push(this.binopExpr(constType));
		}
		if (parts.length === 1) return parts[0]!;
		return { kind: "concat", parts, dtype: "integer", width: parts.reduce((n, p) => n + p.width, 0), span: this.spanFrom(first, this.last()) };
	}

	private mapRef(key: A.NftExpr, dataTypes: readonly A.Datatype[]): A.AnonSetValue | A.SetRefValue {
		const t = this.peek();
		if (isTok(t, T.At)) {
			this.i++;
			const { name, tok } = this.name("a map name");
			this.refs.push({ table: this.table!, kind: "set", name, span: this.spanOf(tok) });
			return { kind: "setref", name, span: this.spanFrom(t, tok) };
		}
		if (!isTok(t, T.LBrace)) this.fail("nft_syntax_error", `expected "{" or "@map", found ${this.describe(t)}`);
		const types = typesOf(key);
		const elems = this.setElements(types.map((x) => x.dtype), types.map((x) => x.width), dataTypes);
		return { kind: "set", elems, span: this.spanFrom(t, this.last()) };
	}

	private relOp(): A.RelOp {
		const t = this.peek();
		if (t === undefined) return "implicit";
		let op: A.RelOp | undefined;
		switch (t.tokenType) {
			case T.EqEq:
				op = "==";
				break;
			case T.NotEq:
				op = "!=";
				break;
			case T.Lt:
				op = "<";
				break;
			case T.Gt:
				op = ">";
				break;
			case T.Le:
				op = "<=";
				break;
			case T.Ge:
				op = ">=";
				break;
			case T.Bang:
				op = "neg";
				break;
			case T.Word:
				op = REL_WORDS.get(t.image);
				break;
			default:
				op = undefined;
		}
		if (op === undefined) return "implicit";
		this.i++;
		return op;
	}

	private match(left: A.NftExpr, first: IToken): A.MatchStmt {
		let op = this.relOp();
		if (this.atRuleEnd()) this.fail("nft_syntax_error", `expected a value after "${this.text.slice(first.startOffset, this.last().startOffset + this.last().image.length)}"`);
		const t = this.peek();
		// `exists`/`missing` on a non-boolean result (fib … oif) tests for a non-zero result.
		if ((this.isWord(t, "exists") || this.isWord(t, "missing")) && left.dtype !== "boolean") {
			this.i++;
			const present = t.image === "exists";
			if (op !== "implicit" && op !== "==" && op !== "!=") this.fail("nft_syntax_error", "exists/missing take no ordering operator", t);
			const want = op === "!=" ? !present : present;
			const zero: A.ScalarValue = { kind: "value", lo: 0n, hi: 0n, form: "single", span: this.spanOf(t) };
			return { kind: "match", left, op: want ? "!=" : "==", right: zero, span: this.spanFrom(first, t) };
		}
		let right = this.rhs(left);
		// `tcp flags syn / syn,rst`: (flags & mask) == value.
		if (isTok(this.peek(), T.Slash) && (right.kind === "value" || right.kind === "flags") && isBitmask(left.dtype)) {
			this.i++;
			const maskStart = this.peek()!;
			const mask = this.flagList(left.dtype, maskStart);
			const value = right.kind === "value" ? right.lo : right.bits;
			const maskExpr: A.ConstExpr = { kind: "const", value: mask.bits, dtype: left.dtype, width: left.width, span: mask.span };
			left = { kind: "binop", op: "&", left, right: maskExpr, dtype: left.dtype, width: left.width, span: this.spanFrom(first, this.last()) };
			right = { kind: "value", lo: value, hi: value, form: "single", span: right.span };
			if (op === "implicit") op = "==";
		}
		// `meta hour "22:00"-"06:00"`: nft turns it into `!= "06:00"-"22:00"` (and `!=` into `==`).
		if (right.kind === "value" && right.inverted === true) {
			if (op !== "==" && op !== "implicit" && op !== "!=") this.fail("nft_syntax_error", "a range over midnight only compares with == or !=", this.last());
			op = op === "!=" ? "==" : "!=";
			right = { kind: "value", lo: right.lo, hi: right.hi, form: right.form, span: right.span };
		}
		return { kind: "match", left, op, right, span: this.spanFrom(first, this.last()) };
	}

	private logStmt(kw: IToken): A.LogStmt {
		this.i++;
		let prefix: string | undefined;
		let level: number | undefined;
		let group: number | undefined;
		let snaplen: number | undefined;
		let queueThreshold: number | undefined;
		const flags: string[] = [];
		for (;;) {
			const t = this.peek();
			if (!this.isWord(t) || !LOG_KEYWORDS.has(t.image)) break;
			this.i++;
			switch (t.image) {
				case "prefix":
					prefix = this.expect(T.Str, "a quoted prefix").image.slice(1, -1);
					break;
				case "level": {
					const l = this.word("a log level");
					const v = LOG_LEVEL.get(l.image);
					if (v === undefined) this.fail("nft_syntax_error", `unknown log level "${l.image}"`, l);
					level = v;
					break;
				}
				case "group":
					group = this.number("a group number").value;
					break;
				case "snaplen":
					snaplen = this.number("a snaplen").value;
					break;
				case "queue-threshold":
					queueThreshold = this.number("a threshold").value;
					break;
				case "flags": {
					const f = this.word("a log flag");
					if (f.image === "tcp" || f.image === "ip") {
						do flags.push(`${f.image} ${this.word("a flag").image}`);
						while (this.accept(T.Comma));
					} else flags.push(f.image);
					break;
				}
			}
		}
		return {
			kind: "log",
			...(prefix !== undefined ? { prefix } : {}),
			...(level !== undefined ? { level } : {}),
			...(group !== undefined ? { group } : {}),
			...(snaplen !== undefined ? { snaplen } : {}),
			...(queueThreshold !== undefined ? { queueThreshold } : {}),
			flags,
			span: this.spanFrom(kw, this.last()),
		};
	}

	/** `N/unit`, `N unit` or `N bytes/unit`. */
	private rateSpec(): { rate: bigint; unit: string } {
		const t = this.word("a rate");
		const m = /^(\d+)\/(second|minute|hour|day|week)$/.exec(t.image);
		if (m !== null) return { rate: BigInt(m[1]!), unit: m[2]! };
		if (!/^\d+$/.test(t.image)) this.fail("nft_syntax_error", `invalid rate "${t.image}"`, t, "e.g. 10/second");
		if (this.accept(T.Slash)) return { rate: BigInt(t.image), unit: this.word("a time unit").image };
		const u = this.word("a rate unit");
		const mb = /^(bytes|kbytes|mbytes)\/(second|minute|hour|day|week)$/.exec(u.image);
		if (mb === null) this.fail("nft_syntax_error", `invalid rate unit "${u.image}"`, u);
		return { rate: BigInt(t.image), unit: `${mb[1]}/${mb[2]}` };
	}

	private dynsetStmt(kw: IToken): A.DynsetStmt {
		this.i++;
		const op = kw.image as A.DynsetStmt["op"];
		this.expect(T.At, '"@"');
		const { name, tok } = this.name("a set name");
		if (this.table !== undefined) this.refs.push({ table: this.table, kind: "set", name, span: this.spanOf(tok) });
		this.expect(T.LBrace, '"{"');
		const key = this.concatExpr();
		let timeoutMs: bigint | undefined;
		let stateful: A.DynsetStmt["stateful"];
		for (;;) {
			const t = this.peek();
			if (this.isWord(t, "timeout")) {
				this.i++;
				const w = this.word("a timeout");
				const ms = parseTime(w.image);
				if (ms === undefined) this.fail("nft_syntax_error", `invalid timeout "${w.image}"`, w);
				timeoutMs = ms;
			} else if (this.isWord(t, "limit")) stateful = this.limitStmt(t);
			else if (this.isWord(t, "ct") && this.isWord(this.peek(1), "count")) {
				this.i += 2;
				const over = this.acceptWord("over") !== undefined;
				stateful = { kind: "ctcount", over, count: this.number("a connection count").value };
			} else if (this.isWord(t, "counter")) {
				this.i++;
			} else break;
		}
		this.expect(T.RBrace, '"}"');
		return { kind: "dynset", op, set: name, key, ...(timeoutMs !== undefined ? { timeoutMs } : {}), ...(stateful !== undefined ? { stateful } : {}), span: this.spanFrom(kw, this.last()) };
	}

	private limitStmt(kw: IToken): A.LimitStmt {
		this.i++;
		this.keyword("rate");
		const over = this.acceptWord("over") !== undefined;
		this.acceptWord("until");
		const { rate, unit } = this.rateSpec();
		let burst: bigint | undefined;
		if (this.acceptWord("burst")) {
			burst = BigInt(this.number("a burst").tok.image);
			const u = this.peek();
			if (this.isWord(u) && /^(packets|bytes|kbytes|mbytes)$/.test(u.image)) this.i++;
		}
		return { kind: "limit", type: "limit", over, rate, unit, ...(burst !== undefined ? { burst } : {}), span: this.spanFrom(kw, this.last()) };
	}

	private quotaStmt(kw: IToken): A.LimitStmt {
		this.i++;
		if (this.acceptWord("name")) {
			// A named quota decides like the anonymous quota its object declares (one shared state).
			const q = this.objectRef("quota");
			if (q.kind !== "quota") return this.fail("nft_undefined", `quota ${q.name} does not exist in this table`, kw);
			return { kind: "limit", type: "quota", over: q.over, rate: q.bytes, unit: "bytes", name: q.name, span: this.spanFrom(kw, this.last()) };
		}
		const over = this.acceptWord("over") !== undefined;
		this.acceptWord("until");
		const n = this.number("a quota").tok.image;
		const unit = this.word("bytes, kbytes or mbytes");
		if (this.acceptWord("used")) {
			this.word("a number");
			this.word("a unit");
		}
		return { kind: "limit", type: "quota", over, rate: BigInt(n), unit: unit.image, span: this.spanFrom(kw, this.last()) };
	}

	private rejectStmt(kw: IToken): A.RejectStmt {
		this.i++;
		if (!this.acceptWord("with")) {
			if (this.family === "inet" || this.family === "ip" || this.family === "ip6") return { kind: "reject", span: this.spanOf(kw) };
			return { kind: "reject", span: this.spanOf(kw) };
		}
		const ty = this.word("icmp, icmpv6, icmpx or tcp");
		if (ty.image === "tcp") {
			this.keyword("reset");
			return { kind: "reject", with: { type: "tcp-reset", code: 0 }, span: this.spanFrom(kw, this.last()) };
		}
		const type = ty.image === "icmp6" ? "icmpv6" : ty.image;
		if (type !== "icmp" && type !== "icmpv6" && type !== "icmpx") this.fail("nft_syntax_error", `unknown reject type "${ty.image}"`, ty);
		this.acceptWord("type");
		const c = this.word("an ICMP code name");
		const dtype: A.Datatype = type === "icmp" ? "icmp_code" : type === "icmpv6" ? "icmpv6_code" : "icmpx_code";
		const code = symbolValue(dtype, c.image) ?? (/^\d+$/.test(c.image) ? Number(c.image) : undefined);
		if (code === undefined) this.fail("nft_syntax_error", `unknown ${type} reject code "${c.image}"`, c);
		return { kind: "reject", with: { type, code }, span: this.spanFrom(kw, c) };
	}

	private queueStmt(kw: IToken): A.QueueStmt {
		this.i++;
		let numLo = 0;
		let numHi = 0;
		let bypass = false;
		let fanout = false;
		const flagWords = (): void => {
			do {
				const f = this.word("bypass or fanout");
				if (f.image === "bypass") bypass = true;
				else if (f.image === "fanout") fanout = true;
				else this.fail("nft_syntax_error", `unknown queue flag "${f.image}"`, f);
			} while (this.accept(T.Comma));
		};
		for (;;) {
			const t = this.peek();
			if (this.isWord(t, "num") || this.isWord(t, "to")) {
				this.i++;
				const n = this.word("a queue number");
				const m = /^(\d+)(?:-(\d+))?$/.exec(n.image);
				if (m === null) this.fail("nft_syntax_error", `invalid queue number "${n.image}"`, n);
				numLo = Number(m[1]);
				numHi = m[2] !== undefined ? Number(m[2]) : numLo;
			} else if (this.isWord(t, "flags")) {
				this.i++;
				flagWords();
			} else if (this.isWord(t, "bypass") || this.isWord(t, "fanout")) flagWords();
			else break;
		}
		return { kind: "queue", numLo, numHi, bypass, fanout, span: this.spanFrom(kw, this.last()) };
	}

	private natStmt(kw: IToken): A.NatStmt {
		this.i++;
		const type = kw.image as A.NatStmt["type"];
		let fam: "ip" | "ip6" | undefined;
		const f = this.peek();
		if ((this.isWord(f, "ip") || this.isWord(f, "ip6")) && (this.isWord(this.peek(1), "to") || this.isWord(this.peek(1), "prefix"))) {
			this.i++;
			fam = f.image as "ip" | "ip6";
		}
		let addr: { lo: bigint; hi: bigint } | undefined;
		let port: { lo: number; hi: number } | undefined;
		let map: A.NatStmt["map"];
		const pw = this.peek();
		if (this.isWord(pw, "prefix")) {
			if (type !== "dnat" && type !== "snat") this.fail("nft_syntax_error", `${type} takes no prefix`, pw);
			this.i++;
			this.keyword("to");
			const t = this.word("an address prefix");
			const m = /^([^/]+)\/(\d{1,3})$/.exec(t.image);
			const six = fam === "ip6" || (fam === undefined && (this.family === "ip6" || (m !== null && m[1]!.includes(":"))));
			const a = m === null ? undefined : six ? parseIpv6(m[1]!) : parseIpv4(m[1]!);
			const bits = six ? 128 : 32;
			const len = m === null ? NaN : Number(m[2]);
			if (a === undefined || !(len <= bits)) return this.fail("nft_syntax_error", `expected ADDR/LEN after "prefix to", found "${t.image}"`, t);
			const host = ((1n << BigInt(bits)) - 1n) >> BigInt(len);
			return {
				kind: "nat",
				type,
				fam: fam ?? (six ? "ip6" : "ip"),
				addr: { lo: a & ~host, hi: a | host },
				flags: [],
				prefix: true,
				span: this.spanFrom(kw, this.last()),
			};
		}
		if (this.acceptWord("to")) {
			const t = this.peek();
			if (this.startsExpr(t) && (type === "dnat" || type === "snat")) {
				const key = this.concatExpr();
				this.keyword("map");
				const six = fam === "ip6" || (fam === undefined && this.family === "ip6");
				const addrType: A.Datatype = six ? "ipv6_addr" : "ipv4_addr";
				const dataTypes = this.natMapDataTypes(addrType);
				map = { key, map: this.mapRef(key, dataTypes) };
			} else {
				const spec = this.natAddress(type, fam);
				addr = spec.addr;
				port = spec.port;
				if (fam === undefined && spec.fam !== undefined) fam = spec.fam;
			}
		}
		const flags: string[] = [];
		for (;;) {
			const t = this.peek();
			if (this.isWord(t) && (t.image === "random" || t.image === "fully-random" || t.image === "persistent")) {
				this.i++;
				flags.push(t.image);
				this.accept(T.Comma);
			} else if (this.isWord(t, "netmap") || this.isWord(t, "prefix")) {
				this.fail("nft_unsupported", `nat flag "${t.image}" is not modelled`, t);
			} else break;
		}
		return {
			kind: "nat",
			type,
			...(fam !== undefined ? { fam } : {}),
			...(addr !== undefined ? { addr } : {}),
			...(port !== undefined ? { port } : {}),
			...(map !== undefined ? { map } : {}),
			flags,
			span: this.spanFrom(kw, this.last()),
		};
	}

	/** Inline NAT maps carry `addr` or `addr . port`; peek at the first element to know which. */
	private natMapDataTypes(addrType: A.Datatype): A.Datatype[] {
		if (isTok(this.peek(), T.At)) return [addrType];
		let depth = 0;
		for (let k = this.i; k < this.toks.length; k++) {
			const t = this.toks[k]!;
			if (t.tokenType === T.LBrace) depth++;
			else if (t.tokenType === T.RBrace) {
				depth--;
				if (depth === 0) break;
			} else if (t.tokenType === T.Colon && depth === 1) {
				// Data starts after the first colon; a Dot before the next comma means `addr . port`.
				for (let j = k + 1; j < this.toks.length; j++) {
					const u = this.toks[j]!;
					if (u.tokenType === T.Dot) return [addrType, "inet_service"];
					if (u.tokenType === T.Comma || u.tokenType === T.RBrace) return [addrType];
				}
			}
		}
		return [addrType];
	}

	private natAddress(type: A.NatStmt["type"], fam: "ip" | "ip6" | undefined): {
		addr?: { lo: bigint; hi: bigint };
		port?: { lo: number; hi: number };
		fam?: "ip" | "ip6";
	} {
		const t = this.next("a NAT address or :port");
		const portRange = (s: string, at: IToken): { lo: number; hi: number } => {
			const m = /^(\d+)(?:-(\d+))?$/.exec(s);
			if (m === null) return this.fail("nft_syntax_error", `invalid port range "${s}"`, at);
			const lo = Number(m[1]);
			const hi = m[2] !== undefined ? Number(m[2]) : lo;
			if (lo > 65535 || hi > 65535 || lo > hi) this.fail("nft_syntax_error", `invalid port range "${s}"`, at);
			return { lo, hi };
		};
		const addrRange = (s: string, six: boolean, at: IToken): { lo: bigint; hi: bigint } => {
			const parse = six ? parseIpv6 : parseIpv4;
			const whole = parse(s);
			if (whole !== undefined) return { lo: whole, hi: whole };
			const dash = s.indexOf("-");
			const lo = dash > 0 ? parse(s.slice(0, dash)) : undefined;
			const hi = dash > 0 ? parse(s.slice(dash + 1)) : undefined;
			if (lo === undefined || hi === undefined || lo > hi) return this.fail("nft_syntax_error", `invalid NAT address "${s}"`, at);
			return { lo, hi };
		};
		if (isTok(t, T.LBracket)) {
			// [v6] / [v6-v6] / [v6]-[v6], then optional :port
			const a = this.word("an IPv6 address");
			this.expect(T.RBracket, '"]"');
			// nft 1.0.6 wants each end in its own brackets: [a]-[b]:port.
			if (a.image.includes("-")) this.fail("nft_syntax_error", "write an IPv6 NAT range as [a]-[b]", a);
			let range = addrRange(a.image, true, a);
			if (isTok(this.peek(), T.Dash) && isTok(this.peek(1), T.LBracket)) {
				this.i += 2;
				const b = this.word("an IPv6 address");
				this.expect(T.RBracket, '"]"');
				range = { lo: range.lo, hi: addrRange(b.image, true, b).hi };
			}
			const p = this.peek();
			if (this.isWord(p) && p.image.startsWith(":")) {
				this.i++;
				return { addr: range, port: portRange(p.image.slice(1), p), fam: "ip6" };
			}
			return { addr: range, fam: "ip6" };
		}
		if (!this.isWord(t)) return this.fail("nft_syntax_error", `expected a NAT address, found ${this.describe(t)}`, t);
		const s = t.image;
		if (s.startsWith(":")) return { port: portRange(s.slice(1), t) };
		if (/^\d+(?:-\d+)?$/.test(s) && (type === "redirect" || type === "masquerade")) return { port: portRange(s, t) };
		const six = fam === "ip6" || (fam === undefined && !s.includes(".") && s.includes(":"));
		if (six) return { addr: addrRange(s, true, t), fam: "ip6" };
		const colon = s.indexOf(":");
		if (colon >= 0) return { addr: addrRange(s.slice(0, colon), false, t), port: portRange(s.slice(colon + 1), t), fam: "ip" };
		return { addr: addrRange(s, false, t), fam: "ip" };
	}

	// -----------------------------------------------------------------------------------------
	// References

	private checkRefs(): void {
		for (const r of this.refs) {
			if (!this.tables.includes(r.table)) continue;
			const ok = r.kind === "chain" ? r.table.chains.has(r.name) : r.table.sets.has(r.name);
			if (!ok) {
				this.diags.push(diagnostic("nft_undefined", `${r.kind} ${r.name} does not exist in table ${r.table.family} ${r.table.name}`, r.span));
			}
		}
		// A chain the file declares with a hook in a family the simulator does not run is fine;
		// base chains of netdev/bridge/arp tables are parsed and ignored by the evaluator.
	}
}

/** Datatypes of an expression's parts (one per concatenated part). */
export function typesOf(e: A.NftExpr): { dtype: A.Datatype; width: number }[] {
	if (e.kind === "concat") return e.parts.flatMap((p) => typesOf(p));
	if (e.kind === "binop" && (e.op === "&" || e.op === "|" || e.op === "^")) return [{ dtype: leftmost(e).dtype, width: e.width }];
	return [{ dtype: e.dtype, width: e.width }];
}

function leftmost(e: A.NftExpr): A.NftExpr {
	return e.kind === "binop" ? leftmost(e.left) : e;
}

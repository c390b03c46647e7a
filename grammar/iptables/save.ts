/**
 * iptables-save / ip6tables-save input: `*table`, `:CHAIN POLICY [p:b]`, `[p:b] -A …` rules,
 * `COMMIT`. Every section is checked for a closing COMMIT and for jumps to missing chains.
 */
import type { Counters, Family, TableName } from "../../compiler/ir/ipt.js";
import type { Span } from "../../compiler/ir/span.js";
import { parseCommand, type CommandEnv } from "./argv.js";
import type { ChainState, Model, TableState } from "./model.js";
import { readCommands, type RawCommand } from "./reader.js";
import type { Replayer } from "./replay.js";
import type { Source } from "./source.js";
import { intern } from "./source.js";
import type { Word } from "./words.js";

const TABLES: ReadonlySet<string> = new Set(["filter", "nat", "mangle", "raw", "security"]);
const COUNTERS = /^\[([0-9]+):([0-9]+)\]$/;
const ZERO: Counters = { packets: 0n, bytes: 0n };

/** `[p:b]` -> counters (one shared object for the common [0:0]). */
function counters(t: string): Counters | undefined {
	if (t === "[0:0]") return ZERO;
	const m = COUNTERS.exec(t);
	return m === null ? undefined : { packets: BigInt(m[1]!), bytes: BigInt(m[2]!) };
}

export function readSave(src: Source, model: Model, replay: Replayer, family: Family): void {
	let current: { table: TableState | undefined; span: Span; name: string } | undefined;
	/** Tables already committed in this file (a second section replaces the first, as in iptables-restore). */
	const committed = new Set<string>();
	const closeMissing = (): void => {
		if (current === undefined) return;
		src.report("missing_commit", `table ${current.name} is not closed with COMMIT`, current.span, "add a COMMIT line at the end of the section");
		if (current.table) replay.checkJumps(current.table);
	};
	const chainExists = (t: TableName, f: Family, n: string): boolean => model.get(f, t)?.chains.has(n) === true;
	let env: CommandEnv | undefined;

	readCommands(src.text, "save", {
		lexError: (o, l, m) => src.report("syntax_error", m, src.span(o, l)),
		command: (cmd) => {
			const words = cmd.words;
			const first = words[0]!;
			const ft = first.text;
			const lineIdx = src.lineIndex(cmd.start);

			if (cmd.unterminated !== undefined) {
				src.report("unterminated_quote", "quote is not closed on this line", cmd.unterminated);
				return;
			}
			const c0 = ft.charCodeAt(0);
			if (c0 === 42 /* * */) {
				closeMissing();
				// Some generators write `* mangle`.
				const spaced = ft === "*" && words.length > 1;
				const name = spaced ? words[1]!.text : ft.slice(1);
				if (!TABLES.has(name)) {
					src.report("unknown_table", `unknown table "${name}"`, first, "tables are filter, nat, mangle, raw, security");
					current = { table: undefined, span: cmdSpan(src, cmd, lineIdx), name };
					return;
				}
				const key = `${family}:${name}`;
				if (committed.has(key)) src.report("table_reopened", `table ${name} appears again; like iptables-restore, this section replaces the earlier one`, cmdSpan(src, cmd, lineIdx));
				const sp = cmdSpan(src, cmd, lineIdx);
				const table = model.get(family, name as TableName) !== undefined && !committed.has(key) ? model.table(family, name as TableName, sp) : model.reset(family, name as TableName, sp);
				current = { table, span: sp, name };
				env = { src, family, defaultTable: table.name, allowTable: false, chainExists };
				if (words.length > (spaced ? 2 : 1)) src.report("syntax_error", "unexpected text after the table name", words[spaced ? 2 : 1]!);
				return;
			}
			if (ft === "COMMIT") {
				if (current === undefined) {
					src.report("syntax_error", "COMMIT without a *table section", first);
					return;
				}
				if (current.table) {
					replay.checkJumps(current.table);
					committed.add(`${family}:${current.name}`);
				}
				current = undefined;
				return;
			}
			if (current === undefined) {
				src.report("rule_outside_table", "line appears before any *table header", cmdSpan(src, cmd, lineIdx), "start the section with *filter, *nat, …");
				return;
			}
			const table = current.table;
			if (table === undefined) return; // inside an unknown table: already reported
			if (c0 === 58 /* : */) {
				declareChain(src, table, words, cmdSpan(src, cmd, lineIdx));
				return;
			}
			let start = 0;
			let cmdEnv = env!;
			if (c0 === 91 /* [ */) {
				const c = counters(ft);
				if (c === undefined) {
					src.report("syntax_error", `invalid counters "${ft}"`, first, "expected [packets:bytes]");
					return;
				}
				cmdEnv = { ...cmdEnv, counters: c };
				start = 1;
			}
			const pc = parseCommand(words, cmdEnv, start);
			if (pc.op === undefined && !pc.failed) {
				src.report("syntax_error", `unexpected line in table ${table.name}`, cmdSpan(src, cmd, lineIdx), "expected :CHAIN, -A CHAIN …, or COMMIT");
				return;
			}
			const text = src.text.slice(src.lineStart(lineIdx), src.lineEnd(lineIdx));
			replay.apply(pc, family, { file: src.file, line: lineIdx + 1, col: 1, length: text.length }, text, true);
		},
	});
	closeMissing();
}

/** The span of a whole command line (made only when needed: most lines never need one). */
function cmdSpan(src: Source, cmd: RawCommand, lineIdx: number): Span {
	return { file: src.file, line: lineIdx + 1, col: cmd.start - src.lineStart(lineIdx) + 1, length: cmd.end - cmd.start };
}

function declareChain(src: Source, table: TableState, words: readonly Word[], span: Span): void {
	const first = words[0]!;
	const name = first.text.slice(1);
	const policyW = words[1];
	if (name === "") {
		src.report("syntax_error", "chain declaration without a name", first);
		return;
	}
	const existing = table.chains.get(name);
	const policy = policyW?.text ?? "-";
	let cs: Counters | undefined;
	const cw = words[2];
	if (cw !== undefined) {
		cs = counters(cw.text);
		if (cs === undefined) src.report("syntax_error", `invalid counters "${cw.text}"`, cw, "expected [packets:bytes]");
	}
	if (existing?.builtin) {
		if (policy !== "ACCEPT" && policy !== "DROP") {
			src.report("invalid_policy", `policy of ${name} must be ACCEPT or DROP, not "${policy}"`, policyW ?? first);
			return;
		}
		existing.policy = policy;
		existing.span = span;
		if (cs) existing.counters = cs;
		return;
	}
	if (existing !== undefined) {
		src.report("chain_exists", `chain ${name} is declared twice`, first);
		return;
	}
	if (policy !== "-") {
		src.report("policy_on_user_chain", `user chain ${name} cannot have policy ${policy}`, policyW ?? first, `write :${name} - [0:0]`);
	}
	const n = intern(name);
	const c: ChainState = { name: n, builtin: false, span, rules: [] };
	if (cs) c.counters = cs;
	table.chains.set(n, c);
}

/**
 * `iptables -S` output (-P, -N, -A lines) and pasted shell sessions holding several dumps:
 * a prompt line like `$ sudo iptables -t nat -S` starts a new dump of that table (a later dump
 * of the same table replaces the earlier one: it is the newer state). Other lines are reported
 * as not_a_command warnings.
 */
import type { Family, TableName } from "../../compiler/ir/ipt.js";
import { parseCommand } from "./argv.js";
import type { Model, TableState } from "./model.js";
import { readCommands } from "./reader.js";
import type { Replayer } from "./replay.js";
import type { Source } from "./source.js";
import { toolFamily } from "./tool.js";

const TABLES: ReadonlySet<string> = new Set(["filter", "nat", "mangle", "raw", "security"]);

export function readDump(src: Source, model: Model, replay: Replayer, family: Family, table: TableName): void {
	let curFamily = family;
	let curTable: TableName = table;
	const touched = new Set<TableState>();
	const chainExists = (t: TableName, f: Family, n: string): boolean => model.get(f, t)?.chains.has(n) === true;
	readCommands(src.text, "save", {
		lexError: (o, l, m) => src.report("syntax_error", m, src.span(o, l)),
		command: (cmd) => {
			const words = cmd.words;
			const first = words[0]!.text;
			const lineIdx = src.lineIndex(cmd.start);
			const text = src.text.slice(cmd.start, cmd.end);
			const span = { file: src.file, line: lineIdx + 1, col: cmd.start - src.lineStart(lineIdx) + 1, length: cmd.end - cmd.start };
			if (first.length >= 2 && first[0] === "-") {
				if (cmd.unterminated !== undefined) {
					src.report("unterminated_quote", "quote is not closed on this line", cmd.unterminated);
					return;
				}
				const pc = parseCommand(words, { src, family: curFamily, defaultTable: curTable, allowTable: true, chainExists });
				if (!pc.failed && !pc.otherFamily && pc.op !== undefined) touched.add(model.table(curFamily, pc.table, span));
				replay.apply(pc, curFamily, span, text, true);
				return;
			}
			// A prompt line: anything, then [sudo] iptables … -S / --list-rules.
			const toolAt = words.findIndex((w) => toolFamily(w.text) !== undefined);
			if (toolAt >= 0 && words.slice(toolAt + 1).some((w) => w.text === "-S" || w.text === "--list-rules")) {
				curFamily = toolFamily(words[toolAt]!.text)!;
				curTable = "filter";
				for (let i = toolAt + 1; i < words.length - 1; i++) {
					const w = words[i]!.text;
					if (w === "-t" || w === "--table") {
						const t = words[i + 1]!.text;
						if (TABLES.has(t)) curTable = t as TableName;
						else src.report("unknown_table", `unknown table "${t}"`, words[i + 1]!);
					}
				}
				const t = model.get(curFamily, curTable);
				if (t !== undefined && touched.has(t)) {
					touched.delete(t);
					touched.add(model.reset(curFamily, curTable, span));
				} else touched.add(model.table(curFamily, curTable, span));
				return;
			}
			src.report("not_a_command", "not an iptables -S line; ignored", span);
		},
	});
	for (const t of touched) if (model.all().includes(t)) replay.checkJumps(t);
}

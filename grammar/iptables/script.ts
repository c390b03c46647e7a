/**
 * Shell scripts of iptables commands, replayed in order. Understands `sudo`, simple variable
 * assignments (`IPT=/sbin/iptables`, `IPT=$(which iptables)`) and their expansion; anything
 * else that is not an iptables command is reported as not_a_command and skipped.
 */
import type { Family, TableName } from "../../compiler/ir/ipt.js";
import { parseCommand } from "./argv.js";
import type { Model } from "./model.js";
import { readCommands } from "./reader.js";
import type { Replayer } from "./replay.js";
import type { Source } from "./source.js";
import { toolFamily } from "./tool.js";
import type { Word } from "./words.js";

const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
const WHICH = /^(?:`\s*(?:which|command -v)\s+(\S+)\s*`|\$\(\s*(?:which|command -v)\s+(\S+)\s*\))$/;
const VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;
const PREFIX_WORDS: ReadonlySet<string> = new Set(["sudo", "command", "exec", "doas"]);

/** Each command's family comes from its tool name (iptables / ip6tables). */
export function readScript(src: Source, model: Model, replay: Replayer, table: TableName): void {
	const vars = new Map<string, string>();
	const chainExists = (t: TableName, f: Family, n: string): boolean => model.get(f, t)?.chains.has(n) === true;

	const expand = (w: Word): { words: Word[]; unresolved?: string } => {
		if (!w.text.includes("$")) return { words: [w] };
		let unresolved: string | undefined;
		const whole = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(w.text);
		const text = w.text.replace(VAR, (m, a: string | undefined, b: string | undefined) => {
			const v = vars.get(a ?? b ?? "");
			if (v === undefined) {
				unresolved ??= m;
				return m;
			}
			return v;
		});
		// An unquoted lone `$IPT` may hold several words (`IPT="iptables -w"`).
		const parts = whole !== null && unresolved === undefined ? text.split(/\s+/).filter((p) => p !== "") : [text];
		const words = parts.map((p) => ({ text: p, offset: w.offset, length: w.length }));
		return unresolved === undefined ? { words } : { words, unresolved };
	};

	readCommands(src.text, "shell", {
		lexError: (o, l, m) => src.report("syntax_error", m, src.span(o, l)),
		command: (cmd) => {
			const lineIdx = src.lineIndex(cmd.start);
			const span = { file: src.file, line: lineIdx + 1, col: cmd.start - src.lineStart(lineIdx) + 1, length: cmd.end - cmd.start };
			if (cmd.unterminated !== undefined) {
				src.report("unterminated_quote", "quote is not closed on this line", cmd.unterminated);
				return;
			}
			let words = cmd.words;
			// Assignments: `[export|readonly|local] NAME=value …`
			let i = 0;
			if (words[0] !== undefined && (words[0].text === "export" || words[0].text === "readonly" || words[0].text === "local")) i = 1;
			if (words.length > i && words.slice(i).every((w) => ASSIGN.test(w.text))) {
				for (const w of words.slice(i)) {
					const m = ASSIGN.exec(w.text)!;
					const which = WHICH.exec(m[2]!);
					const value = which !== null ? (which[1] ?? which[2]!) : m[2]!;
					const ex = expand({ text: value, offset: w.offset, length: w.length });
					if (ex.unresolved === undefined) vars.set(m[1]!, ex.words.map((x) => x.text).join(" "));
					else vars.delete(m[1]!);
				}
				return;
			}
			const expanded: Word[] = [];
			let unresolved: { name: string; word: Word } | undefined;
			for (const w of words) {
				const e = expand(w);
				if (e.unresolved !== undefined && unresolved === undefined) unresolved = { name: e.unresolved, word: w };
				expanded.push(...e.words);
			}
			words = expanded;
			let t = 0;
			while (t < words.length && (PREFIX_WORDS.has(words[t]!.text) || (t > 0 && PREFIX_WORDS.has(words[t - 1]!.text) && words[t]!.text.startsWith("-")))) t++;
			const tool = words[t];
			const fam = tool === undefined ? undefined : toolFamily(tool.text);
			if (fam === undefined) {
				if (tool !== undefined && /^(?:.*\/)?ip6?tables(?:-legacy|-nft)?-(?:restore|save)$/.test(tool.text))
					src.report("unsupported_command", `${tool.text} cannot be replayed inside a script`, tool, "run ipt2nft on the rules file it reads or writes");
				else src.report("not_a_command", "not an iptables command; ignored", span);
				return;
			}
			if (unresolved !== undefined) {
				src.report("unsupported_command", `uses ${unresolved.name}, which ipt2nft cannot expand`, unresolved.word, "give the value literally, or run the script and convert iptables-save output");
				return;
			}
			const pc = parseCommand(words.slice(t + 1), { src, family: fam, defaultTable: table, allowTable: true, chainExists });
			if (pc.op === undefined && !pc.failed && !pc.hasSpec) return; // e.g. `iptables --version`
			replay.apply(pc, fam, span, src.text.slice(cmd.start, cmd.end), false);
		},
	});
}

/**
 * parseIptables(): iptables-save files, `iptables -S` dumps (also pasted shell sessions) and
 * shell scripts of iptables commands -> the ipt IR, with coded diagnostics. Never throws on
 * user input: rules with errors are left out and reported; rules with unsupported extensions
 * are kept with `{ kind: "unknown" }` parts and reported as unsupported_extension.
 */
import { diagnostic, type Diagnostic } from "../../compiler/ir/diagnostics.js";
import type { Family, Ruleset, TableName } from "../../compiler/ir/ipt.js";
import { readDump } from "./dump.js";
import { Model } from "./model.js";
import { Replayer } from "./replay.js";
import { readSave } from "./save.js";
import { readScript } from "./script.js";
import { Source } from "./source.js";

export interface ParseOptions {
	file: string;
	family?: "ip" | "ip6";
	table?: TableName;
	format?: "auto" | "save" | "dump" | "script";
}

export interface ParseResult {
	ruleset: Ruleset;
	diagnostics: Diagnostic[];
}

export type InputFormat = "save" | "dump" | "script";

export function parseIptables(text: string, opts: ParseOptions): ParseResult {
	const src = new Source(opts.file, text);
	const model = new Model();
	try {
		if (isBinary(text)) {
			src.report("binary_input", "the input is not text (it contains NUL or other control bytes)", undefined);
			return { ruleset: { tables: [] }, diagnostics: src.diagnostics };
		}
		const format = opts.format === undefined || opts.format === "auto" ? detectFormat(text) : opts.format;
		const replay = new Replayer(src, model);
		switch (format) {
			case "save":
				readSave(src, model, replay, opts.family ?? detectFamily(text));
				break;
			case "dump":
				readDump(src, model, replay, opts.family ?? detectFamily(text), opts.table ?? "filter");
				break;
			case "script":
				readScript(src, model, replay, opts.table ?? "filter");
				break;
		}
		const ruleset = model.toIR();
		if (ruleset.tables.length === 0 && !src.diagnostics.some((d) => d.severity === "error"))
			src.report("empty_input", "the input holds no rules, chains or tables", undefined);
		return { ruleset, diagnostics: src.diagnostics };
	} catch (e) {
		const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
		return { ruleset: model.toIR(), diagnostics: [...src.diagnostics, diagnostic("internal_error", `parser bug: ${msg}`)] };
	}
}

/** `*table` lines mean iptables-save; lines starting with -P/-N/-A mean a -S dump; else a script. */
export function detectFormat(text: string): InputFormat {
	if (/^[ \t]*\*[ \t]*[a-z]+[ \t]*\r?$/m.test(text)) return "save";
	if (/^[ \t]*-[PNA][ \t]/m.test(text)) {
		// A script can also hold a line that starts with -A (a continued command); prefer script
		// when the text runs iptables commands at line starts.
		if (/^[ \t]*(?:sudo[ \t]+)?(?:\S*\/)?ip6?tables(?:-legacy|-nft)?(?:[ \t]|$)/m.test(text) && !/^[^\n]*ip6?tables[^\n]*[ \t](?:-S|--list-rules)[ \t]*$/m.test(text))
			return "script";
		return "dump";
	}
	return "script";
}

/** ip6tables-save writes its name in the header; otherwise look at the first address. */
export function detectFamily(text: string): Family {
	const head = text.slice(0, 4096);
	if (/ip6tables/.test(head)) return "ip6";
	if (/iptables/.test(head)) return "ip";
	const m = /\s-[sd] !?\s*([0-9A-Fa-f:.]+)/.exec(head) ?? /\s-[sd] !?\s*([0-9A-Fa-f:.]+)/.exec(text);
	if (m !== null && m[1]!.includes(":")) return "ip6";
	if (/-p (?:icmpv6|ipv6-icmp)\b|icmp6/.test(head)) return "ip6";
	return "ip";
}

function isBinary(text: string): boolean {
	const sample = text.length > 8192 ? text.slice(0, 8192) : text;
	let ctrl = 0;
	for (let i = 0; i < sample.length; i++) {
		const c = sample.charCodeAt(i);
		if (c === 0) return true;
		if (c < 9 || (c > 13 && c < 32) || c === 0xfffd) ctrl++;
	}
	return ctrl > 0 && ctrl * 20 > sample.length;
}

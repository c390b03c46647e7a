/**
 * Upstream expected nft lines (iptables/extensions/*.txlate, ip and ip6 families) wrapped in the
 * table and chain declarations they assume, so each case is a loadable nft file.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { SHARED } from "../../helpers/paths.js";

export interface TxlateCase {
	readonly id: string;
	readonly lines: readonly string[];
	readonly file: string;
}

interface Raw {
	readonly family: string;
	readonly expected_nft: readonly string[];
	readonly file: string;
	readonly line: number;
}

function isRaw(x: unknown): x is Raw {
	return typeof x === "object" && x !== null && "family" in x && "expected_nft" in x && Array.isArray((x as Raw).expected_nft);
}

const HOOK: Record<string, string> = {
	prerouting: "prerouting",
	input: "input",
	forward: "forward",
	output: "output",
	postrouting: "postrouting",
};

/** Declarations for `add|insert rule FAM TABLE CHAIN …` and `add set FAM TABLE …` lines. */
export function wrap(lines: readonly string[]): string {
	const tables = new Map<string, Set<string>>();
	const jumps = new Set<string>();
	for (const l of lines) {
		const f = /^flush table (\S+) (\S+)$/.exec(l);
		if (f !== null && !tables.has(`${f[1]} ${f[2]}`)) tables.set(`${f[1]} ${f[2]}`, new Set());
		const m = /^(?:add|insert) (?:rule|set) (\S+) (\S+) (\S+)/.exec(l);
		if (m === null) continue;
		const key = `${m[1]} ${m[2]}`;
		if (!tables.has(key)) tables.set(key, new Set());
		if (/^(?:add|insert) rule/.test(l)) tables.get(key)!.add(m[3]!);
		for (const j of l.matchAll(/\b(?:jump|goto) (\S+)/g)) jumps.add(`${key} ${j[1]}`);
	}
	const out: string[] = [];
	for (const [key, chains] of tables) {
		const [fam, table] = key.split(" ") as [string, string];
		out.push(`table ${fam} ${table} {`);
		for (const c of chains) {
			const hook = HOOK[c.toLowerCase()];
			const type = table === "nat" ? "nat" : "filter";
			const prio = table === "nat" ? (hook === "postrouting" || hook === "input" ? 100 : -100) : table === "mangle" ? -150 : table === "raw" ? -300 : 0;
			if (hook !== undefined) out.push(`\tchain ${c} {\n\t\ttype ${type} hook ${hook} priority ${prio}; policy accept;\n\t}`);
			else out.push(`\tchain ${c} {\n\t}`);
		}
		for (const j of jumps) {
			const [f, t, c] = j.split(" ");
			if (`${f} ${t}` === key && !chains.has(c!)) out.push(`\tchain ${c} {\n\t}`);
		}
		out.push("}");
	}
	out.push(...lines);
	return `${out.join("\n")}\n`;
}

export function txlateCases(): TxlateCase[] {
	const text = readFileSync(resolve(SHARED, "conformance", "txlate.jsonl"), "utf8");
	const out: TxlateCase[] = [];
	for (const line of text.split("\n")) {
		if (line.trim() === "") continue;
		const raw: unknown = JSON.parse(line);
		if (!isRaw(raw) || (raw.family !== "ip" && raw.family !== "ip6")) continue;
		out.push({ id: `${raw.file}:${raw.line}`, lines: raw.expected_nft, file: wrap(raw.expected_nft) });
	}
	return out;
}

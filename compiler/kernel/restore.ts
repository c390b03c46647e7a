/**
 * The original rules as `iptables-legacy-restore` reads them. An iptables-save file is loaded as
 * it is; an `iptables -S` dump (also a pasted shell session of several dumps) becomes one
 * `*table … COMMIT` block per table: `-P` gives the built-in chain's policy line, `-N` a user
 * chain line, `-A` lines stay as they are (they are iptables arguments already). A later dump of
 * the same table replaces the earlier one, as the parser reads it. Scripts of iptables commands
 * are not converted (shell variables, loops): the caller reports them as unsupported.
 */
import type { Family } from "../ir/ipt.js";
import { detectFamily, detectFormat } from "../../grammar/iptables/index.js";
import { toolFamily } from "../../grammar/iptables/tool.js";

export type RestoreText =
	| { readonly ok: true; readonly family: Family; readonly text: string }
	| { readonly ok: false; readonly reason: string };

const TABLES: ReadonlySet<string> = new Set(["filter", "nat", "mangle", "raw", "security"]);
const BUILTIN: ReadonlySet<string> = new Set(["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]);

export function toRestore(input: string, family?: Family): RestoreText {
	// iptables-restore reads `*nat\r` as a table named "nat\r".
	const text = input.replace(/\r\n/g, "\n");
	const format = detectFormat(text);
	if (format === "save") return { ok: true, family: family ?? detectFamily(text), text: text.endsWith("\n") ? text : text + "\n" };
	if (format === "script") return { ok: false, reason: "scripts of iptables commands cannot be loaded as they are; give iptables-save output" };
	return dumpToRestore(text, family ?? detectFamily(text));
}

interface TableDump {
	policies: Map<string, string>;
	chains: string[];
	rules: string[];
}

function dumpToRestore(text: string, family: Family): RestoreText {
	const tables = new Map<string, TableDump>();
	let fam: Family | undefined;
	let cur = "filter";
	const table = (): TableDump => {
		let t = tables.get(cur);
		if (!t) {
			t = { policies: new Map(), chains: [], rules: [] };
			tables.set(cur, t);
		}
		return t;
	};
	for (const raw of text.split("\n")) {
		const line = raw.trim();
		if (line === "" || line.startsWith("#")) continue;
		if (line.startsWith("-")) {
			const m = /^(-[PNA])\s+(\S+)(?:\s+(.*))?$/.exec(line);
			if (!m) return { ok: false, reason: `not an iptables -S line: ${line}` };
			const [, op, chain, rest] = m;
			const t = table();
			if (op === "-P") t.policies.set(chain!, (rest ?? "").trim());
			else if (op === "-N") t.chains.push(chain!);
			else t.rules.push(line);
			continue;
		}
		// A prompt line (`$ sudo iptables -t nat -S`) starts a new dump of that table.
		const words = line.split(/\s+/);
		const toolAt = words.findIndex((w) => toolFamily(w) !== undefined);
		if (toolAt < 0) continue;
		const f = toolFamily(words[toolAt]!)!;
		if (fam !== undefined && f !== fam) return { ok: false, reason: "the dump mixes iptables and ip6tables tables; load one family at a time" };
		fam = f;
		cur = "filter";
		for (let i = toolAt + 1; i < words.length - 1; i++) if ((words[i] === "-t" || words[i] === "--table") && TABLES.has(words[i + 1]!)) cur = words[i + 1]!;
		tables.delete(cur);
	}
	const out: string[] = [];
	for (const [name, t] of tables) {
		out.push(`*${name}`);
		for (const [chain, policy] of t.policies) if (BUILTIN.has(chain)) out.push(`:${chain} ${policy} [0:0]`);
		for (const chain of t.chains) out.push(`:${chain} - [0:0]`);
		out.push(...t.rules, "COMMIT");
	}
	return { ok: true, family: fam ?? family, text: out.join("\n") + "\n" };
}

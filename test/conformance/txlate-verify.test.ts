/**
 * Upstream's txlate vectors (ip/ip6), every one of the 383:
 * - each case is placed on its hook in a one-rule iptables-save file (see `place`);
 * - what ipt2nft translates must pass real `nft -c -f` and decide every corpus packet like the
 *   iptables rule; upstream's expected nft (parsed with our nft grammar) is checked the same way;
 * - every case ipt2nft does not translate, and every case where upstream's nft decides differently
 *   from iptables, is listed with its reason in test/fixtures/txlate/differences.tsv — and the
 *   table must match what happens exactly (a stale row fails, an unlisted case fails).
 * The host runs conntrack, as migration hosts do: without nf_defrag, iptables' tcp match drops
 * ("hotdrop") TCP fragments at offset 1 where nft's `tcp dport` just does not match — a known,
 * separately tracked difference this test does not re-report per case.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile, type CompileResult } from "../../compiler/index.js";
import { verifyTexts } from "../../compiler/verify.js";
import { nftCheck } from "../helpers/nft-check.js";
import { ROOT, SHARED } from "../helpers/paths.js";

interface Case {
	readonly family: string;
	readonly argv: readonly string[];
	readonly expected_nft: readonly string[];
	readonly file: string;
	readonly line: number;
}

const HOOKS: Readonly<Record<string, string>> = {
	PREROUTING: "prerouting",
	INPUT: "input",
	FORWARD: "forward",
	OUTPUT: "output",
	POSTROUTING: "postrouting",
};
const BUILTIN: Readonly<Record<string, readonly string[]>> = {
	filter: ["INPUT", "FORWARD", "OUTPUT"],
	nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
	mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
	raw: ["PREROUTING", "OUTPUT"],
	security: ["INPUT", "FORWARD", "OUTPUT"],
};
const PRIO: Readonly<Record<string, string>> = { raw: "-300", mangle: "-150", filter: "0", security: "50" };

interface Placed {
	readonly text: string;
	readonly table: string;
	readonly chain: string;
}

const quote = (a: string): string => (/^[\w.:/,!+-]+$/.test(a) ? a : `"${a.replace(/["\\]/g, "\\$&")}"`);

function saveText(table: string, chain: string, spec: readonly string[], userChains: readonly string[]): string {
	const decl = userChains.map((u) => `:${u} - [0:0]\n`).join("");
	return `*${table}\n:${chain} ACCEPT [0:0]\n${decl}-A ${chain} ${spec.map(quote).join(" ")}\nCOMMIT\n`;
}

/**
 * The one-rule iptables-save file a txlate command line stands for, or why it is not a rule.
 * Upstream's cases are translator inputs, not always loadable rules, so they are placed where the
 * kernel would take them: nft-style lower-case chain names (`-t nat -A postrouting`) name the
 * hook; a hook chain the table lacks (`-A PREROUTING` in filter) moves to mangle, which has every
 * hook; a mangle-only target (DSCP, TOS in filter) moves to mangle; a `-j CHAIN` gets its chain.
 */
function place(c: Case, fam: { family?: "ip6" }): { placed: Placed; result: CompileResult } | string {
	const args = c.argv.slice(1);
	let table = "filter";
	const ti = args.indexOf("-t");
	if (ti >= 0) table = args[ti + 1] ?? "filter";
	const rest = ti >= 0 ? args.filter((_, i) => i !== ti && i !== ti + 1) : args;
	if (rest[0] !== "-A" && rest[0] !== "-I") return `command ${rest[0] ?? ""}`;
	let chain = rest[1] ?? "";
	if (chain.toUpperCase() in HOOKS) chain = chain.toUpperCase();
	if (!(chain in HOOKS)) return "user chain";
	if (!(BUILTIN[table] ?? []).includes(chain)) table = "mangle";
	const spec = rest.slice(2);
	const users: string[] = [];
	const file = `${c.file}:${c.line}`;
	for (let attempt = 0; attempt < 3; attempt++) {
		const text = saveText(table, chain, spec, users);
		const result = compile(text, { file, ...fam });
		const first = result.diagnostics.find((d) => d.severity === "error");
		if (first?.code === "target_not_allowed_here" && table === "filter") {
			table = "mangle";
			continue;
		}
		const missing = /^-j (\S+): no such chain/.exec(first?.message ?? "");
		if (first?.code === "jump_target_missing" && missing?.[1] !== undefined) {
			users.push(missing[1]);
			continue;
		}
		return { placed: { text, table, chain }, result };
	}
	return "placement did not converge";
}

/** Upstream's `add rule ip filter INPUT …` lines inside a table/chain of the right hook. */
function wrapUpstream(c: Case, p: Placed): string {
	const fam = c.family === "ip6" ? "ip6" : "ip";
	const type = p.table === "nat" ? "nat" : "filter";
	const prio = p.table === "nat" ? (p.chain === "PREROUTING" || p.chain === "OUTPUT" ? "-100" : "100") : (PRIO[p.table] ?? "0");
	// Upstream names the table and chain as its input did; use the placed ones.
	const retarget = (l: string): string => l.replace(/^(add|insert) rule (ip6?) \S+ \S+ /, `$1 rule $2 ${p.table} ${p.chain} `);
	const rules = c.expected_nft.filter((l) => /^(add|insert) rule /.test(l)).map(retarget);
	const sets = c.expected_nft.filter((l) => /^add set /.test(l)).map((l) => l.replace(/^add set (ip6?) \S+ /, `add set $1 ${p.table} `));
	return [
		`table ${fam} ${p.table} {`,
		`\tchain ${p.chain} {`,
		`\t\ttype ${type} hook ${HOOKS[p.chain]} priority ${prio}; policy accept;`,
		"\t}",
		"}",
		...sets,
		...rules,
		"",
	].join("\n");
}

/** Each translated case's ruleset under its own table names, so they can share one `nft -c` run. */
function renameTables(text: string, tag: string): string {
	return text.replace(/^table (ip6?|inet) (\S+) \{/gm, `table $1 ${tag}_$2 {`);
}

/** The reviewed table of cases where ipt2nft and upstream part ways. */
interface Difference {
	readonly where: string;
	/**
	 * `refused:<code>`: ipt2nft reports the case with that code; `upstream-wrong`: upstream's nft
	 * decides differently from iptables; `sim-refused`: translated, but the simulator does not
	 * model it (so it is not verified); `ours-lossy`: translated with a lossy_translation warning
	 * and the simulator shows the difference; `not-a-rule`: the case is a command, not a rule.
	 */
	readonly kind: string;
	readonly reason: string;
}

function readDifferences(): Map<string, Difference> {
	const text = readFileSync(join(ROOT, "test", "fixtures", "txlate", "differences.tsv"), "utf8");
	const rows = new Map<string, Difference>();
	for (const line of text.split("\n")) {
		if (line.trim() === "" || line.startsWith("#")) continue;
		const [where, kind, reason] = line.split("\t");
		if (where === undefined || kind === undefined || reason === undefined || reason.trim() === "") throw new Error(`bad row: ${line}`);
		rows.set(`${where} ${kind}`, { where, kind, reason });
	}
	return rows;
}

/**
 * Statements this machine's kernel may have no module for (nft -c then fails with ENOENT): probed
 * once with a minimal ruleset, so on a kernel that has them every case is checked.
 */
const KERNEL_LACKS: readonly { readonly what: string; readonly pattern: RegExp }[] = [
	{ what: "nft_queue", pattern: /\bqueue (num|flags|to)\b/, probe: "queue num 0" },
].flatMap((k) => {
	const probe = nftCheck(`table ip ipt2nft_probe {\n\tchain c {\n\t\ttype filter hook output priority 0;\n\t\t${k.probe}\n\t}\n}\n`);
	return probe.ok || !/No such file or directory/.test(probe.stderr) ? [] : [{ what: k.what, pattern: k.pattern }];
});

const cases = readFileSync(join(SHARED, "conformance", "txlate.jsonl"), "utf8")
	.split("\n")
	.filter((l) => l.trim() !== "")
	.map((l) => JSON.parse(l) as Case)
	.filter((c) => c.family === "ip" || c.family === "ip6");

describe("upstream txlate cases (ip/ip6)", () => {
	const n = { total: cases.length, translated: 0, nftValid: 0, oursEqual: 0, oursRefused: 0, upstreamEqual: 0, upstreamDiffers: 0, upstreamRefused: 0 };
	const seen: string[] = [];
	const ourDiffs: string[] = [];
	const notRules: string[] = [];

	it("every case is translated, nft-valid and equivalent, or listed with its reason", () => {
		const outputs: string[] = [];
		const outputCase: string[] = [];
		for (const c of cases) {
			const where = `${c.file}:${c.line}`;
			const fam = c.family === "ip6" ? ({ family: "ip6" } as const) : {};
			const p = place(c, fam);
			if (typeof p === "string") {
				notRules.push(`${where} ${p}`);
				seen.push(`${where} not-a-rule`);
				continue;
			}
			const { placed, result } = p;
			if (!result.ok) {
				const first = result.diagnostics.find((d) => d.severity === "error");
				seen.push(`${where} refused:${first?.code ?? "none"}`);
				continue;
			}
			n.translated++;
			outputs.push(renameTables(result.output, `c${outputs.length}`));
			outputCase.push(where);
			const ours = verifyTexts(placed.text, result.output, { oldFile: where, newFile: "ours.nft", packets: 400, conntrack: true, ...fam });
			if (ours.kind === "input-error") {
				n.oursRefused++;
				seen.push(`${where} sim-refused`);
			} else if (ours.result.equal) n.oursEqual++;
			else if (result.diagnostics.some((d) => d.code === "lossy_translation")) seen.push(`${where} ours-lossy`);
			else ourDiffs.push(`${where} ${c.argv.join(" ")}`);
			const up = verifyTexts(placed.text, wrapUpstream(c, placed), { oldFile: where, newFile: "upstream.nft", packets: 400, conntrack: true, ...fam });
			if (up.kind === "input-error") n.upstreamRefused++;
			else if (up.result.equal) n.upstreamEqual++;
			else {
				n.upstreamDiffers++;
				seen.push(`${where} upstream-wrong`);
			}
		}
		// One real `nft -c` over every translation (each under its own table names); on failure,
		// name the cases nft rejects. `nft -c` asks the kernel, so a statement whose module this
		// kernel lacks cannot be checked here: those cases are named, not counted as checked.
		const checkable = outputs.map((o) => !KERNEL_LACKS.some((k) => k.pattern.test(o)));
		const unchecked = outputCase.filter((_, i) => !checkable[i]);
		if (unchecked.length > 0) console.log(`nft -c skipped (this kernel lacks ${KERNEL_LACKS.map((k) => k.what).join(", ")}): ${unchecked.join(", ")}`);
		const toCheck = outputs.filter((_, i) => checkable[i]);
		const caseOf = outputCase.filter((_, i) => checkable[i]);
		const all = nftCheck(toCheck.join("\n"));
		if (all.ok) n.nftValid = toCheck.length;
		else {
			const bad = toCheck.flatMap((o, i) => {
				const r = nftCheck(o);
				return r.ok ? [] : [`${caseOf[i]}: ${r.stderr.split("\n")[0]}`];
			});
			n.nftValid = toCheck.length - bad.length;
			expect(bad).toEqual([]);
		}
		expect(ourDiffs).toEqual([]);

		// The reviewed table matches what happened, in both directions.
		const table = readDifferences();
		const unlisted = seen.filter((k) => !table.has(k));
		const stale = [...table.keys()].filter((k) => !seen.includes(k));
		expect({ unlisted, stale }).toEqual({ unlisted: [], stale: [] });
	});

	afterAll(() => {
		console.log(
			`txlate ip/ip6: ${n.total} cases; ${n.translated} translated by ipt2nft, ${n.nftValid} pass nft -c, ` +
				`${n.oursEqual} verify equal, ${ourDiffs.length} different, ${n.oursRefused} refused by the simulator;\n` +
				`  not rules: ${notRules.join("; ")}\n` +
				`  upstream expected nft on the translated cases: ${n.upstreamEqual} equal, ${n.upstreamDiffers} different, ${n.upstreamRefused} refused/unparsed\n` +
				`  refused by ipt2nft, each with a reason in test/fixtures/txlate/differences.tsv: ${seen.filter((k) => k.includes(" refused:")).length}`,
		);
	});
});

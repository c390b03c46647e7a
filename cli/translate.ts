import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import type { Command } from "commander";
import { Option } from "commander";
import { compile } from "../compiler/index.js";
import type { InputFormat, OutputFormat, Preamble } from "../compiler/index.js";
import type { Family, TableName } from "../compiler/ir/ipt.js";
import { formatDiagnostics, summarize } from "../compiler/report/format.js";
import { formatExplain } from "../compiler/report/explain.js";
import type { OptLevel } from "../compiler/passes/pass.js";
import { nfacctCatalogue, parseNfacctList } from "../grammar/nfacct/index.js";
import { EXIT, readInput } from "./io.js";
import { translateVerifier } from "./verifier.js";
import type { Io } from "./io.js";

interface TranslateOpts {
	readonly output?: string;
	readonly family?: Family;
	readonly table?: TableName;
	readonly inputFormat: InputFormat;
	readonly format: OutputFormat;
	readonly counters: boolean;
	readonly preamble: Preamble;
	readonly verify: boolean;
	readonly packets?: string;
	readonly seed: string;
	readonly optimize: string;
	readonly explain: boolean;
	readonly ipset?: string;
	readonly nfacct?: string;
}

export function registerTranslate(program: Command, io: Io, setExit: (code: number) => void): void {
	program
		.command("translate")
		.description("translate iptables-save / iptables -S / iptables scripts into an nft -f ruleset")
		.argument("[file]", "input file; - or none for stdin")
		.option("-o, --output <file>", "write the ruleset here instead of stdout")
		.addOption(new Option("--family <family>", "family when the input does not say (iptables-save has no family)").choices(["ip", "ip6"]))
		.addOption(
			new Option("--table <table>", "table for `iptables -S` dumps without a `-t` header").choices([
				"filter",
				"nat",
				"mangle",
				"raw",
				"security",
			]),
		)
		.addOption(
			new Option("--input-format <fmt>", "input syntax").choices(["auto", "save", "dump", "script"]).default("auto"),
		)
		.addOption(new Option("--format <fmt>", "output: nft text or libnftables JSON").choices(["text", "json"]).default("text"))
		.addOption(
			new Option(
				"-O, --optimize <level>",
				"0: line by line (like iptables-restore-translate); 1: sets, concatenations, verdict and NAT maps, chain inlining, dead rules, keeping every table's name and family; 2: also fold ip + ip6 tables into one inet table where they agree",
			)
				.choices(["0", "1", "2"])
				.default("1"),
		)
		.option("--explain", "print every optimisation to stderr with the input lines it merged or removed", false)
		.option("--counters", "keep the input's packet/byte counters", false)
		.option("--ipset <file>", "the host's `ipset save` output: the sets -m set / -j SET use become named nft sets")
		.option("--nfacct <file>", "the host's `nfacct list` output: -m nfacct objects are checked (missing: error) and their quotas kept")
		.addOption(
			new Option("--preamble <kind>", "what to put before the tables so loading replaces the host's ruleset")
				.choices(["none", "flush", "destroy"])
				.default("none"),
		)
		.option("--verify", "after translating, run the differential simulator on input vs output (exit 1 on differences)", false)
		.option("--packets <n>", "with --verify: scenarios in the packet corpus (default: as for verify)")
		.option("--seed <s>", "with --verify: corpus seed", "1")
		.addHelpText(
			"after",
			"\nExit codes: 0 everything translated; 2 input errors or anything untranslated (the output is still\nwritten, every untranslated rule is listed on stderr); 3 internal error.",
		)
		.action((file: string | undefined, opts: TranslateOpts) => setExit(translateAction(file, opts, io)));
}

export function translateAction(file: string | undefined, opts: TranslateOpts, io: Io): number {
	const input = readInput(file, io);
	if (!input.ok) {
		io.stderr(`ipt2nft: ${input.message}\n`);
		return EXIT.input;
	}
	const host = (option: string, path: string | undefined): { text: string; file: string } | undefined | false => {
		if (path === undefined) return undefined;
		try {
			return { text: readFileSync(path, "utf8"), file: path };
		} catch (e) {
			io.stderr(`ipt2nft: cannot read ${option} ${path}: ${e instanceof Error ? e.message : String(e)}\n`);
			return false;
		}
	};
	const ipset = host("--ipset", opts.ipset);
	const nfacct = host("--nfacct", opts.nfacct);
	if (ipset === false || nfacct === false) return EXIT.input;
	// The output goes out as it is printed (a 100k-rule ruleset is then never held as one string);
	// --explain prints before the ruleset and --verify reads it, so those keep it whole.
	const stream = !opts.explain && !opts.verify;
	const fd = stream && opts.output ? openSync(opts.output, "w") : undefined;
	const result = compile(input.text, {
		...(stream ? { write: fd !== undefined ? (s: string) => writeAll(fd, s) : io.stdout } : {}),
		recordChanges: opts.explain,
		...(ipset !== undefined ? { ipset } : {}),
		...(nfacct !== undefined ? { nfacct } : {}),
		file: input.name,
		...(opts.family ? { family: opts.family } : {}),
		...(opts.table ? { table: opts.table } : {}),
		inputFormat: opts.inputFormat,
		counters: opts.counters,
		preamble: opts.preamble,
		outputFormat: opts.format,
		optimize: Number(opts.optimize) as OptLevel,
	});
	const sources = new Map([
		[input.name, input.text],
		...(ipset !== undefined ? [[ipset.file, ipset.text] as const] : []),
		...(nfacct !== undefined ? [[nfacct.file, nfacct.text] as const] : []),
	]);
	if (opts.explain) io.stderr(formatExplain(result.changes, sources));
	if (fd !== undefined) closeSync(fd);
	else if (!stream) {
		if (opts.output) writeFileSync(opts.output, result.output);
		else io.stdout(result.output);
	}
	if (result.diagnostics.length > 0) {
		io.stderr(formatDiagnostics(result.diagnostics, sources) + "\n");
	}
	const s = result.stats;
	if (!result.ok || result.diagnostics.length > 0) {
		io.stderr(
			`ipt2nft: ${s.rulesIn} rules read, ${s.rulesOut} nft rules written, ${s.rulesFailed} input lines not translated; ${summarize(result.diagnostics)}\n`,
		);
	}
	if (!result.ok) return EXIT.input;
	if (opts.verify) {
		if (opts.format !== "text") {
			io.stderr("ipt2nft: --verify needs --format text (the simulator reads nft text)\n");
			return EXIT.input;
		}
		const outName = opts.output ?? "<output>";
		const { verifyTexts, reportVerify } = translateVerifier();
		const res = verifyTexts(input.text, result.output, {
			oldFile: input.name,
			newFile: outName,
			...(opts.packets !== undefined ? { packets: Number(opts.packets) } : {}),
			seed: Number(opts.seed),
			...(opts.family ? { family: opts.family } : {}),
			...(opts.table ? { table: opts.table } : {}),
			...(nfacct !== undefined ? { nfacct: nfacctCatalogue(parseNfacctList(nfacct.text, nfacct.file).objects) } : {}),
		});
		// The report goes to stderr: stdout may be the ruleset itself.
		const toStderr: Io = { ...io, stdout: io.stderr };
		return reportVerify(res, new Map([[input.name, input.text], [outName, result.output]]), false, toStderr);
	}
	return EXIT.ok;
}

function writeAll(fd: number, s: string): void {
	const b = Buffer.from(s, "utf8");
	for (let at = 0; at < b.length; ) at += writeSync(fd, b, at);
}

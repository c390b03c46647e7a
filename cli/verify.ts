import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { Option } from "commander";
import type { Family } from "../compiler/ir/ipt.js";
import { formatDiagnostics } from "../compiler/report/format.js";
import { differenceToJson, formatDifference } from "../compiler/sim/diff.js";
import { verifyKernel } from "../compiler/kernel/index.js";
import { formatKernelReport, kernelReportJson, kernelReportOk } from "../compiler/kernel/report.js";
import { verifyTexts } from "../compiler/verify.js";
import type { NfacctCatalogue } from "../compiler/ir/nfacct.js";
import { nfacctCatalogue, parseNfacctList } from "../grammar/nfacct/index.js";
import type { VerifyTextsResult } from "../compiler/verify.js";
import { EXIT, readInput } from "./io.js";
import { provideVerifier } from "./verifier.js";
import type { Io } from "./io.js";

export interface VerifyCliOpts {
	readonly packets?: string;
	readonly seed: string;
	readonly host?: string;
	readonly json: boolean;
	readonly family?: Family;
	readonly kernel?: boolean;
	readonly sim?: boolean;
	readonly settle?: string;
	readonly stats?: boolean;
	readonly nfacct?: string;
}

export function registerVerify(program: Command, io: Io, setExit: (code: number) => void): void {
	program
		.command("verify")
		.description("prove an nft ruleset decides every packet like the iptables rules it replaces")
		.argument("<old>", "the iptables input (iptables-save, iptables -S dump or script)")
		.argument("<new>", "the nft ruleset text (what `nft -f` loads)")
		.option("--packets <n>", "scenarios in the packet corpus (default: 20000, or 8 per input rule on large rulesets)")
		.option("--seed <s>", "corpus seed (same seed, same packets)", "1")
		.option("--host <file>", "host description JSON (interfaces, addresses, routes)")
		.addOption(new Option("--family <family>", "family of the iptables input").choices(["ip", "ip6"]))
		.option("--json", "machine-readable report", false)
		.option("--stats", "also print rules examined per packet on each side (mean and max, counted as the kernel walks chains)", false)
		.option("--kernel", "replay the packets through the real kernel: the old rules loaded with iptables-legacy-restore, the new with nft -f, each in its own network namespaces (root; default 200 packets)", false)
		.option("--sim", "with --kernel: also report where the simulator's prediction differs from the kernel", false)
		.option("--settle <ms>", "with --kernel: quiet time that closes a packet's observation", "5")
		.option("--nfacct <file>", "the host's `nfacct list` output: -m nfacct of an object with a quota matches only once over it (default: objects without quotas)")
		.addHelpText(
			"after",
			"\nExit codes: 0 equal; 1 differences found (with --kernel --sim also: the simulator disagrees with the kernel);\n2 input errors, constructs the simulator cannot model, or (--kernel) no root / no network namespaces.",
		)
		.action((oldFile: string, newFile: string, opts: VerifyCliOpts) => setExit(verifyAction(oldFile, newFile, opts, io)));
}

export function verifyAction(oldFile: string, newFile: string, opts: VerifyCliOpts, io: Io): number {
	const oldIn = readInput(oldFile, io);
	const newIn = readInput(newFile, io);
	for (const r of [oldIn, newIn]) {
		if (!r.ok) {
			io.stderr(`ipt2nft: ${r.message}\n`);
			return EXIT.input;
		}
	}
	if (!oldIn.ok || !newIn.ok) return EXIT.input;
	if (opts.sim && !opts.kernel) {
		io.stderr("ipt2nft: --sim compares the simulator with the kernel; use it with --kernel\n");
		return EXIT.input;
	}
	const packets = opts.packets === undefined ? undefined : Number(opts.packets);
	const seed = Number(opts.seed);
	if ((packets !== undefined && (!Number.isInteger(packets) || packets < 1)) || !Number.isInteger(seed)) {
		io.stderr("ipt2nft: --packets must be a positive integer and --seed an integer\n");
		return EXIT.input;
	}
	let host: unknown;
	if (opts.host) {
		try {
			host = JSON.parse(readFileSync(opts.host, "utf8")) as unknown;
		} catch (e) {
			io.stderr(`ipt2nft: cannot read --host ${opts.host}: ${(e as Error).message}\n`);
			return EXIT.input;
		}
	}
	const sources = new Map([
		[oldIn.name, oldIn.text],
		[newIn.name, newIn.text],
	]);
	let nfacct: NfacctCatalogue | undefined;
	if (opts.nfacct !== undefined) {
		if (opts.kernel) {
			io.stderr("ipt2nft: --nfacct is for the simulator; the kernel replay creates the objects without quotas\n");
			return EXIT.input;
		}
		let text: string;
		try {
			text = readFileSync(opts.nfacct, "utf8");
		} catch (e) {
			io.stderr(`ipt2nft: cannot read --nfacct ${opts.nfacct}: ${(e as Error).message}\n`);
			return EXIT.input;
		}
		const list = parseNfacctList(text, opts.nfacct);
		if (list.diagnostics.some((d) => d.severity === "error")) {
			io.stderr(formatDiagnostics(list.diagnostics, new Map([[opts.nfacct, text]])) + "\n");
			return EXIT.input;
		}
		nfacct = nfacctCatalogue(list.objects);
	}
	if (opts.kernel) {
		const settle = Number(opts.settle ?? "5");
		if (!(settle > 0)) {
			io.stderr("ipt2nft: --settle must be a positive number of milliseconds\n");
			return EXIT.input;
		}
		return kernelAction(oldIn.text, newIn.text, { oldFile: oldIn.name, newFile: newIn.name, packets, seed, host, settle, family: opts.family }, sources, opts, io);
	}
	const res = verifyTexts(oldIn.text, newIn.text, {
		oldFile: oldIn.name,
		newFile: newIn.name,
		...(packets !== undefined ? { packets } : {}),
		seed,
		...(host !== undefined ? { host } : {}),
		...(opts.family ? { family: opts.family } : {}),
		...(opts.stats ? { stats: true } : {}),
		...(nfacct !== undefined ? { nfacct } : {}),
	});
	return reportVerify(res, sources, opts.json, io);
}

interface KernelArgs {
	readonly oldFile: string;
	readonly newFile: string;
	readonly packets: number | undefined;
	readonly seed: number;
	readonly host: unknown;
	readonly settle: number;
	readonly family: Family | undefined;
}

function kernelAction(oldText: string, newText: string, a: KernelArgs, sources: ReadonlyMap<string, string>, opts: VerifyCliOpts, io: Io): number {
	const res = verifyKernel(oldText, newText, {
		oldFile: a.oldFile,
		newFile: a.newFile,
		seed: a.seed,
		settleMs: a.settle,
		...(a.packets !== undefined ? { packets: a.packets } : {}),
		...(a.host !== undefined ? { host: a.host } : {}),
		...(a.family ? { family: a.family } : {}),
	});
	if (res.kind === "input-error") {
		io.stderr(formatDiagnostics(res.diagnostics, sources) + "\n");
		io.stderr("ipt2nft verify --kernel: cannot compare (input errors or constructs the simulator does not model)\n");
		return EXIT.input;
	}
	if (res.kind === "unsupported") {
		io.stderr(`ipt2nft verify --kernel: ${res.reason}\n`);
		return EXIT.input;
	}
	const ropts = { sim: opts.sim ?? false };
	if (opts.json) io.stdout(JSON.stringify(kernelReportJson(res, ropts), (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n");
	else io.stdout(formatKernelReport(res, ropts));
	return kernelReportOk(res, ropts) ? EXIT.ok : EXIT.different;
}

/** Shared by `verify` and `translate --verify`. */
export function reportVerify(res: VerifyTextsResult, sources: ReadonlyMap<string, string>, json: boolean, io: Io): number {
	if (res.kind === "input-error") {
		io.stderr(formatDiagnostics(res.diagnostics, sources) + "\n");
		io.stderr("ipt2nft verify: cannot compare (input errors or constructs the simulator does not model)\n");
		return EXIT.input;
	}
	const r = res.result;
	if (json) {
		io.stdout(
			JSON.stringify(
				{
					equal: r.equal,
					scenarios: r.checked,
					packets: r.packets,
					truncated: r.truncated,
					differences: r.differences.map(differenceToJson),
					...(r.stats !== undefined ? { ruleStats: { old: r.stats.old.toJSON(), new: r.stats.new.toJSON() } } : {}),
				},
				(_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v),
				2,
			) + "\n",
		);
	} else {
		for (const d of r.differences) io.stdout(formatDifference(d) + "\n\n");
		io.stdout(
			r.equal
				? `equal: ${r.checked} scenarios (${r.packets} packets) decided alike\n`
				: `DIFFERENT: ${r.differences.length}${r.differences.length >= 20 ? "+" : ""} of ${r.checked} scenarios differ\n`,
		);
		if (r.stats !== undefined) {
			const line = (side: string, st: { mean: number; max: number; packets: number }): string =>
				`${side}: ${st.mean.toFixed(1)} rules examined per packet on average, at most ${st.max} (${st.packets} packets)\n`;
			io.stdout(line("old", r.stats.old) + line("new", r.stats.new));
		}
		if (r.truncated > 0) io.stderr(`note: ${r.truncated} scenarios had too many random branches to enumerate fully\n`);
	}
	return r.equal ? EXIT.ok : EXIT.different;
}

// translate --verify uses these (cli/verifier.ts): loading this module hands them over.
provideVerifier({ verifyTexts, reportVerify });

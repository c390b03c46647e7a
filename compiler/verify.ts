/**
 * verifyTexts(): the differential check, readable as a pipeline:
 *   parse iptables input -> parse the nft TEXT with the simulator's own grammar -> build both
 *   sides -> one host -> one packet corpus from both rulesets' boundaries -> compare outcomes.
 * The nft side never sees the compiler's IR, so a lowering bug cannot hide behind it.
 */
import { parseIptables } from "../grammar/iptables/index.js";
import { parseNft } from "../grammar/nft/index.js";
import type { Diagnostic } from "./ir/diagnostics.js";
import { hasErrors } from "./ir/diagnostics.js";
import type { Family, TableName } from "./ir/ipt.js";
import type * as ipt from "./ir/ipt.js";
import { reassemblesFragments } from "./ir/defrag.js";
import { mergeBoundary } from "./sim/boundary.js";
import { generateCorpus } from "./sim/corpus.js";
import { defaultHost, hostFromJson } from "./sim/host.js";
import { iptBoundaryValues, iptHostHints, iptSide } from "./sim/ipt/index.js";
import type { BoundaryValues } from "./sim/boundary.js";
import type { Host, SimSide } from "./sim/model.js";
import { nftBoundaryValues, nftSide } from "./sim/nft/index.js";
import type { VerifyResult } from "./sim/verify.js";
import type { NfacctCatalogue } from "./ir/nfacct.js";
import { withNfacctHost } from "./sim/ipt/match/nfacct.js";
import { verify } from "./sim/verify.js";

export interface VerifyTextsOptions {
	readonly oldFile: string;
	readonly newFile: string;
	readonly family?: Family;
	readonly table?: TableName;
	/** Scenarios in the corpus (default: 20000, or 8 per iptables rule on larger rulesets, at most 400k). */
	readonly packets?: number;
	readonly seed?: number;
	/** Parsed JSON of a --host file; default: a host derived from both rulesets. */
	readonly host?: unknown;
	readonly maxDifferences?: number;
	/**
	 * The host runs conntrack (so nf_defrag reassembles fragments before every table) even if the
	 * iptables rules do not need it. Default: only when the rules use it.
	 */
	readonly conntrack?: boolean;
	/** Collect rule evaluations per packet on each side (result.stats; see RuleStats). */
	readonly stats?: boolean;
	/** The host's nfacct objects (`nfacct list`): -m nfacct of an object with a quota is false until over. */
	readonly nfacct?: NfacctCatalogue;
}

export type VerifyTextsResult =
	| { readonly kind: "input-error"; readonly diagnostics: readonly Diagnostic[] }
	| { readonly kind: "done"; readonly result: VerifyResult; readonly host: Host; readonly diagnostics: readonly Diagnostic[] };

/** Both rulesets parsed into simulator sides, on one host, with the boundary values of both. */
export interface PreparedSides {
	readonly kind: "ready";
	readonly oldRuleset: ipt.Ruleset;
	readonly oldSide: SimSide;
	readonly newSide: SimSide;
	readonly host: Host;
	readonly boundary: BoundaryValues;
	readonly diagnostics: readonly Diagnostic[];
}

export interface PrepareOptions {
	readonly oldFile: string;
	readonly newFile: string;
	readonly family?: Family;
	readonly table?: TableName;
	readonly host?: unknown;
	readonly nfacct?: NfacctCatalogue;
}

/**
 * The front half every comparison shares (simulator and kernel replay): parse both texts, build
 * both sides, refuse what a side cannot model, and make one host from what both rulesets name.
 */
export function prepareSides(oldText: string, newText: string, opts: PrepareOptions): PreparedSides | { readonly kind: "input-error"; readonly diagnostics: readonly Diagnostic[] } {
	const parsedOld = parseIptables(oldText, {
		file: opts.oldFile,
		...(opts.family ? { family: opts.family } : {}),
		...(opts.table ? { table: opts.table } : {}),
	});
	const parsedNew = parseNft(newText, opts.newFile);
	const inputDiags = [...parsedOld.diagnostics, ...parsedNew.diagnostics];
	if (hasErrors(inputDiags)) return { kind: "input-error", diagnostics: inputDiags };

	const oldSide = iptSide(opts.nfacct !== undefined ? withNfacctHost(parsedOld.ruleset, opts.nfacct) : parsedOld.ruleset, { name: "iptables" });
	const newSide = nftSide(parsedNew.ast, { name: "nft" });
	// Constructs a side cannot model make the comparison meaningless: refuse rather than guess.
	const refused = [...oldSide.unsupported, ...newSide.diagnostics.filter((d) => d.severity === "error")];
	if (refused.length > 0) return { kind: "input-error", diagnostics: [...inputDiags, ...refused] };

	const newBv = nftBoundaryValues(parsedNew.ast);
	let host: Host;
	if (opts.host !== undefined) {
		const h = hostFromJson(opts.host, "--host");
		if (!h.host) return { kind: "input-error", diagnostics: h.diagnostics };
		host = h.host;
	} else {
		const hints = iptHostHints(parsedOld.ruleset);
		host = defaultHost({ ifaces: [...new Set([...hints.ifaces, ...newBv.ifaces])], addrs: hints.addrs, ...(hints.groups ? { groups: hints.groups } : {}) });
	}
	const boundary = mergeBoundary(iptBoundaryValues(parsedOld.ruleset), newBv);
	return { kind: "ready", oldRuleset: parsedOld.ruleset, oldSide, newSide, host, boundary, diagnostics: inputDiags };
}

export function verifyTexts(oldText: string, newText: string, opts: VerifyTextsOptions): VerifyTextsResult {
	const prep = prepareSides(oldText, newText, opts);
	if (prep.kind !== "ready") return prep;
	const { oldSide, newSide, host } = prep;
	const corpus = generateCorpus(prep.boundary, {
		packets: opts.packets ?? defaultPackets(prep.oldRuleset),
		seed: opts.seed ?? 1,
		host,
		defragmented: opts.conntrack ?? reassemblesFragments(prep.oldRuleset),
	});
	const result = verify(oldSide, newSide, corpus, host, { maxDifferences: opts.maxDifferences ?? 20, ...(opts.stats ? { stats: true } : {}) });
	return { kind: "done", result, host, diagnostics: prep.diagnostics };
}

/**
 * Probes are visited round-robin, one rule's fields at a time, so a large ruleset needs several
 * packets per rule before every rule has been aimed at (kube-proxy: each service's dispatch).
 */
export function defaultPackets(rs: ipt.Ruleset): number {
	let rules = 0;
	for (const t of rs.tables) for (const c of t.chains) rules += c.rules.length;
	return Math.min(400_000, Math.max(20_000, 8 * rules));
}

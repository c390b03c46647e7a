/**
 * verifyKernel(): the real kernel as the judge, readable as a pipeline:
 *   parse both rulesets (the simulator's sides, for the host model, the corpus and predictions)
 *   -> plan which scenarios the kernel can replay faithfully (the rest is counted as skipped)
 *   -> two host namespaces shaped like the model, each with its own peer namespace
 *   -> load the original rules with iptables-legacy-restore into one, the translation with
 *      nft -f into the other, plus the observer
 *   -> replay every scenario through both (one driver process, packet by packet)
 *   -> compare kernel(old) with kernel(new), and each with the simulator's prediction
 *   -> delete the namespaces (also on errors; signals and exit are hooked in netns.ts).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../ir/diagnostics.js";
import type { Fam, Family } from "../ir/ipt.js";
import { formatAddr, formatMac } from "../sim/addr.js";
import { generateCorpus } from "../sim/corpus.js";
import { HostTables } from "../sim/host.js";
import type { Host } from "../sim/model.js";
import type { Scenario } from "../sim/scenario.js";
import { reassemblesFragments } from "../ir/defrag.js";
import { prepareSides } from "../verify.js";
import { expectedKeys, kernelKeys, maskPorts, natChoosesPorts, parseDriverOutput, type KernelScenario } from "./compare.js";
import { KernelSetupError, kernelSupport, NsGroup, PYTHON, run, runIn, sweepStale } from "./netns.js";
import { planReplay, type PlannedScenario } from "./plan.js";
import { toRestore } from "./restore.js";
import { nfacctNames } from "../sim/ipt/match/nfacct.js";
import { buildTopology, OBSERVER_GROUPS, OBSERVER_TABLE, observerRuleset, type Topology } from "./topology.js";

export { kernelSupport } from "./netns.js";

export interface KernelVerifyOptions {
	readonly oldFile: string;
	readonly newFile: string;
	readonly family?: Family;
	/** Corpus size in packets (flows count 3); default 200. */
	readonly packets?: number;
	readonly seed?: number;
	/** Parsed JSON of a --host file; default: the host derived from the rulesets. */
	readonly host?: unknown;
	/** Replay exactly these scenarios instead of a generated corpus. */
	readonly scenarios?: readonly Scenario[];
	/** Quiet time after a packet before its observation is closed (ms); default 5. */
	readonly settleMs?: number;
}

export interface KernelComparison {
	readonly planned: PlannedScenario;
	readonly kernelOld: KernelScenario;
	readonly kernelNew: KernelScenario;
	readonly keys: { readonly kernelOld: readonly string[]; readonly kernelNew: readonly string[]; readonly simOld: readonly string[]; readonly simNew: readonly string[] };
	readonly kernelEqual: boolean;
	readonly simOldAgrees: boolean;
	readonly simNewAgrees: boolean;
}

export interface Fidelity {
	/** Packets compared (per side: the longer of the simulated and the observed sequence). */
	readonly packets: number;
	readonly agree: number;
}

export interface KernelVerifyReport {
	readonly kind: "done";
	readonly host: Host;
	readonly corpusScenarios: number;
	readonly corpusPackets: number;
	readonly comparisons: readonly KernelComparison[];
	/** Packets replayed per side. */
	readonly replayedPackets: number;
	readonly skipped: ReadonlyMap<string, number>;
	readonly skippedPackets: ReadonlyMap<string, number>;
	readonly kernelEqual: boolean;
	readonly fidelity: { readonly old: Fidelity; readonly new: Fidelity };
	/** Observer events that arrived after their packet's window closed (should be 0). */
	readonly late: number;
	readonly seconds: { readonly setup: number; readonly replay: number };
}

export type KernelVerifyResult =
	| { readonly kind: "input-error"; readonly diagnostics: readonly Diagnostic[] }
	/** The machine cannot replay (not root, no netns, tools missing) or the input cannot be loaded. */
	| { readonly kind: "unsupported"; readonly reason: string }
	| KernelVerifyReport;

export function verifyKernel(oldText: string, newText: string, opts: KernelVerifyOptions): KernelVerifyResult {
	const prep = prepareSides(oldText, newText, { oldFile: opts.oldFile, newFile: opts.newFile, ...(opts.family ? { family: opts.family } : {}), ...(opts.host !== undefined ? { host: opts.host } : {}) });
	if (prep.kind !== "ready") return prep;
	const { oldSide, newSide, host } = prep;

	const restore = toRestore(oldText, opts.family);
	if (!restore.ok) return { kind: "unsupported", reason: restore.reason };
	const support = kernelSupport();
	if (!support.ok) return { kind: "unsupported", reason: support.reason };

	// The kernel tracks connections when either side asks for it (nat, ct matches).
	const conntrack = reassemblesFragments(prep.oldRuleset) || /\b(ct|nat|masquerade|dnat|snat|redirect|notrack)\b/.test(newText);
	const scenarios =
		opts.scenarios ??
		generateCorpus(prep.boundary, {
			packets: opts.packets ?? 200,
			seed: opts.seed ?? 1,
			host,
			defragmented: conntrack,
		}).scenarios;
	const ifaces = new Set(host.interfaces.map((i) => i.name).filter((n) => n !== "lo"));
	const plan = planReplay(scenarios, { oldSide, newSide, host, ifaces, conntrack });

	const t0 = performance.now();
	sweepStale();
	const g = new NsGroup();
	let setupDone = 0;
	try {
		const topo: Record<"old" | "new", Topology> = {
			old: buildTopology(g.add("ho"), g.add("po"), host),
			new: buildTopology(g.add("hn"), g.add("pn"), host),
		};
		// The observer goes in first: a hook registered later at an equal priority runs before the
		// earlier ones, so conntrack's confirmation (INT_MAX), registered when the rules load, then
		// runs before the observer's drop at input INT_MAX and the connection survives it.
		for (const t of [topo.old, topo.new]) {
			const ob = runIn(t.hostNs, "nft", ["-f", "-"], observerRuleset());
			if (!ob.ok) throw new KernelSetupError(`observer: ${ob.stderr.trim()}`);
		}
		// The kernel refuses -m nfacct of an object that does not exist: create each one the rules
		// name, without quota (what the translation and the simulator assume without --nfacct).
		for (const name of nfacctNames(prep.oldRuleset)) {
			const na = runIn(topo.old.hostNs, "nfacct", ["add", name]);
			if (!na.ok) return { kind: "unsupported", reason: `the rules use nfacct object ${JSON.stringify(name)} and \`nfacct add\` failed (apt-get install nfacct): ${na.stderr.trim()}` };
		}
		const restoreTool = restore.family === "ip6" ? "ip6tables-legacy-restore" : "iptables-legacy-restore";
		const lo = runIn(topo.old.hostNs, restoreTool, [], restore.text);
		if (!lo.ok) return { kind: "unsupported", reason: `${restoreTool} refused the original rules: ${lo.stderr.trim()}` };
		// `flush ruleset` (--preamble flush) is a no-op in a fresh namespace, except that it would
		// remove the observer.
		const ln = runIn(topo.new.hostNs, "nft", ["-f", "-"], newText.replace(/^[ \t]*flush[ \t]+ruleset[ \t]*;?[ \t]*$/gm, ""));
		if (!ln.ok) return { kind: "unsupported", reason: `nft -f refused the translation: ${ln.stderr.trim()}` };
		for (const t of [topo.old, topo.new]) {
			const ob = runIn(t.hostNs, "nft", ["list", "table", "inet", OBSERVER_TABLE]);
			if (!ob.ok) throw new KernelSetupError(`the rules removed the observer table inet ${OBSERVER_TABLE}`);
		}
		setupDone = performance.now();
		const driven = drive(plan.replay, topo, host, opts.settleMs ?? 5);
		const t2 = performance.now();
		return report(plan, driven, host, scenarios, { setup: (setupDone - t0) / 1000, replay: (t2 - setupDone) / 1000 });
	} catch (e) {
		if (e instanceof KernelSetupError) return { kind: "unsupported", reason: e.message };
		throw e;
	} finally {
		g.destroy();
	}
}

/** The driver script: beside this module in the source tree, or found from dist/. */
export function injectScript(): string {
	const here = import.meta.dirname;
	for (const p of [join(here, "inject.py"), join(here, "..", "..", "..", "compiler", "kernel", "inject.py")]) if (existsSync(p)) return p;
	throw new KernelSetupError("compiler/kernel/inject.py not found beside the installed package");
}

function packetJson(p: Scenario["pkt"], tables: HostTables): Record<string, unknown> {
	const broadcast = p.iif !== undefined && p.fam === 4 && tables.addrType(4, p.daddr) === "broadcast";
	return {
		fam: p.fam,
		saddr: formatAddr(p.fam, p.saddr),
		daddr: formatAddr(p.fam, p.daddr),
		proto: p.proto,
		sport: p.sport,
		dport: p.dport,
		tcpFlags: p.tcpFlags,
		tcpOptions: p.tcpOptions,
		icmpType: p.icmpType,
		icmpCode: p.icmpCode,
		length: p.length,
		ttl: p.ttl,
		dscp: p.dscp,
		ecn: p.ecn,
		iif: p.iif ?? null,
		srcMac: p.srcMac === undefined ? null : formatMac(p.srcMac),
		mark: p.mark >>> 0,
		...(broadcast ? { l2dst: "broadcast" } : {}),
	};
}

interface Driven {
	readonly old: ReadonlyMap<number, KernelScenario>;
	readonly new: ReadonlyMap<number, KernelScenario>;
	readonly late: number;
}

function drive(items: readonly PlannedScenario[], topo: Record<"old" | "new", Topology>, host: Host, settleMs: number): Driven {
	const tables = new HostTables(host);
	const groups = { input: OBSERVER_GROUPS.input, output: OBSERVER_GROUPS.output, postrouting: OBSERVER_GROUPS.postrouting };
	const side = (name: string, t: Topology): unknown => ({ name, hostNs: t.hostNs, peerNs: t.peerNs, ports: t.ports, hostMacs: t.hostMacs, groups });
	const req = {
		settleMs,
		sides: [side("old", topo.old), side("new", topo.new)],
		scenarios: items.map((it) => ({ id: it.scenario.id, kind: it.scenario.kind, pkt: packetJson(it.scenario.pkt, tables) })),
	};
	const packets = items.reduce((n, it) => n + (it.scenario.kind === "flow" ? 3 : 1), 0);
	const r = run(PYTHON, [injectScript()], JSON.stringify(req), 60_000 + packets * 2 * (settleMs + 50));
	if (!r.ok) throw new KernelSetupError(`replay driver failed (${r.status ?? "killed"}): ${r.stderr.trim().split("\n").slice(-5).join("\n")}`);
	let json: unknown;
	try {
		json = JSON.parse(r.stdout) as unknown;
	} catch {
		throw new KernelSetupError(`replay driver printed no JSON: ${r.stdout.slice(0, 200)}`);
	}
	const parsed = parseDriverOutput(json);
	if (!parsed) throw new KernelSetupError("replay driver output has an unexpected shape");
	const byId = (name: string): Map<number, KernelScenario> => new Map((parsed.sides.get(name) ?? []).map((s) => [s.id, s]));
	return { old: byId("old"), new: byId("new"), late: parsed.late };
}

function agreeCount(a: readonly string[], b: readonly string[]): { packets: number; agree: number } {
	const n = Math.max(a.length, b.length);
	let agree = 0;
	for (let i = 0; i < n; i++) if (a[i] !== undefined && a[i] === b[i]) agree++;
	return { packets: n, agree };
}

function report(
	plan: ReturnType<typeof planReplay>,
	driven: Driven,
	host: Host,
	scenarios: readonly Scenario[],
	seconds: { setup: number; replay: number },
): KernelVerifyReport {
	const comparisons: KernelComparison[] = [];
	const fid = { old: { packets: 0, agree: 0 }, new: { packets: 0, agree: 0 } };
	let replayedPackets = 0;
	for (const it of plan.replay) {
		const id = it.scenario.id;
		const kOld = driven.old.get(id) ?? { id, packets: [] };
		const kNew = driven.new.get(id) ?? { id, packets: [] };
		const fam: Fam = it.scenario.pkt.fam;
		const proto = it.scenario.pkt.proto;
		const so = it.sim.old.entries[0]!.outcome;
		const sn = it.sim.new.entries[0]!.outcome;
		let keys = {
			kernelOld: kernelKeys(kOld, fam, proto),
			kernelNew: kernelKeys(kNew, fam, proto),
			simOld: expectedKeys(it.scenario.pkt, so, host),
			simNew: expectedKeys(it.scenario.pkt, sn, host),
		};
		// Ports NAT picked from a range are the kernel's choice: compared as `*`.
		if (natChoosesPorts(so) || natChoosesPorts(sn)) {
			keys = { kernelOld: maskPorts(keys.kernelOld), kernelNew: maskPorts(keys.kernelNew), simOld: maskPorts(keys.simOld), simNew: maskPorts(keys.simNew) };
		}
		replayedPackets += kOld.packets.length;
		const a = agreeCount(keys.simOld, keys.kernelOld);
		const b = agreeCount(keys.simNew, keys.kernelNew);
		fid.old.packets += a.packets;
		fid.old.agree += a.agree;
		fid.new.packets += b.packets;
		fid.new.agree += b.agree;
		comparisons.push({
			planned: it,
			kernelOld: kOld,
			kernelNew: kNew,
			keys,
			kernelEqual: keys.kernelOld.join("\n") === keys.kernelNew.join("\n"),
			simOldAgrees: a.agree === a.packets,
			simNewAgrees: b.agree === b.packets,
		});
	}
	return {
		kind: "done",
		host,
		corpusScenarios: scenarios.length,
		corpusPackets: scenarios.reduce((n, s) => n + (s.kind === "flow" ? 3 : 1), 0),
		comparisons,
		replayedPackets,
		skipped: plan.skipped,
		skippedPackets: plan.skippedPackets,
		kernelEqual: comparisons.every((c) => c.kernelEqual),
		fidelity: fid,
		late: driven.late,
		seconds,
	};
}

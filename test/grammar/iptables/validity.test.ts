/**
 * Upstream iptables' own rule vectors (extensions/*.t, see shared/conformance/README.md): every
 * covered OK rule must parse without errors, every covered FAIL rule must give a coded error.
 *
 * Some FAIL vectors fail only in the kernel, because an object the rule names does not exist on
 * upstream's test host: `-m set --match-set foo`, `-j SET --add-set foo` (the runner creates no
 * ipsets) and `-m nfacct --nfacct-name wrong` (it ran only `nfacct add test`, recorded in the
 * vector's preceding_commands). The test models that host explicitly: an empty `ipset save` and
 * an `nfacct list` holding exactly the objects the preceding commands added, passed to the
 * lowering the way `translate --ipset/--nfacct` does; its `host_object_missing` errors count as
 * rejections (other lowering errors do not: this test is about what iptables accepts).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Family, TableName } from "../../../compiler/ir/ipt.js";
import { parseIptables } from "../../../grammar/iptables/index.js";
import { lower } from "../../../compiler/lower/index.js";
import { nfacctCatalogue, parseNfacctList } from "../../../grammar/nfacct/index.js";
import { SHARED } from "./helpers.js";

interface Rec {
	module: string;
	family: string;
	table: TableName;
	chains: string[];
	rule: string;
	rule_argv: string[];
	expect_legacy: "OK" | "FAIL" | "NOMATCH" | null;
	tools: string[];
	line: number;
	preceding_commands?: string[];
}

/** Upstream's test host: no ipsets; the nfacct objects `@nfacct add NAME` lines created, no quota. */
function hostOf(r: Rec) {
	const listed = (r.preceding_commands ?? [])
		.map((c) => /^@nfacct add (\S+)$/.exec(c)?.[1])
		.filter((n): n is string => n !== undefined)
		.map((n) => `{ pkts = 00000000000000000000, bytes = 00000000000000000000 } = ${n};`);
	const nfacct = parseNfacctList(listed.join("\n"), "nfacct.list");
	expect(nfacct.diagnostics).toEqual([]);
	return { ipsets: { sets: new Map() }, nfacct: nfacctCatalogue(nfacct.objects) };
}

const COVERED = new RegExp(
	"^(?:iptables|ip6tables|lib(?:xt|ipt|ip6t)_(?:tcp|udp|icmp|icmp6|multiport|conntrack|state|addrtype|comment|mark|connmark|limit|mac|iprange|length|pkttype|owner|statistic|standard|REJECT|LOG|NFLOG|DNAT|SNAT|MASQUERADE|REDIRECT|MARK|CONNMARK|NOTRACK|CT|TCPMSS|NFQUEUE|hl|ttl|rt|frag|ah|esp|sctp|dccp|dscp|tos|ecn|rpfilter|physdev|policy|time|string|helper|devgroup|realm|cpu|cgroup|nfacct|socket|HL|TTL|CHECKSUM|DSCP|TOS|TPROXY|CLASSIFY|AUDIT|recent|connlimit|hashlimit|quota|set|SET|SYNPROXY|NETMAP|TCPOPTSTRIP|HMARK|SECMARK|CONNSECMARK|connbytes|connlabel|cluster))$",
);
const BUILTIN = new Set(["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"]);

/** Quotes a word back for the save line the way iptables-save would. */
function quote(w: string): string {
	return w === "" || /[\s"'\\]/.test(w) ? `"${w.replace(/(["\\])/g, "\\$1")}"` : w;
}

function records(): Rec[] {
	const text = fs.readFileSync(path.join(SHARED, "conformance", "validity.jsonl"), "utf8");
	return text
		.split("\n")
		.filter((l) => l.trim() !== "")
		.map((l) => JSON.parse(l) as Rec)
		.filter((r) => ["ip", "ip6", "both"].includes(r.family) && COVERED.test(r.module))
		.filter((r) => ["ip", "ip6", "both"].includes(r.family));
}

function run(r: Rec, tool: string): { errors: string[]; all: string[]; rules: number } {
	const family: Family = tool === "ip6tables" ? "ip6" : "ip";
	const user = r.chains.filter((c) => !BUILTIN.has(c));
	const lines = [`*${r.table}`, ...user.map((c) => `:${c} - [0:0]`), ...r.chains.map((c) => `-A ${c} ${r.rule_argv.map(quote).join(" ")}`), "COMMIT", ""];
	const res = parseIptables(lines.join("\n"), { file: `${r.module}.t:${r.line}`, family, format: "save" });
	const host = lower(res.ruleset, { counters: false, ...hostOf(r) }).diagnostics.filter((d) => d.code === "host_object_missing");
	const errors = [...res.diagnostics.filter((d) => d.severity === "error" && d.code !== "unsupported_extension" && d.code !== "unsupported_option"), ...host];
	let rules = 0;
	for (const t of res.ruleset.tables) for (const c of t.chains) rules += c.rules.length;
	return { errors: errors.map((d) => d.code), all: [...res.diagnostics, ...host].map((d) => `${d.code}: ${d.message}`), rules };
}

describe("upstream validity vectors", () => {
	const recs = records();
	it("covers a meaningful share of the corpus", () => {
		expect(recs.length).toBeGreaterThan(400);
	});

	it("the modelled host has the nfacct objects the vector's preceding commands added, and no ipsets", () => {
		const base: Rec = { module: "libxt_nfacct", family: "both", table: "filter", chains: ["INPUT"], rule: "", rule_argv: [], expect_legacy: "OK", tools: ["iptables"], line: 0, preceding_commands: ["@nfacct add test"] };
		expect(run({ ...base, rule_argv: ["-m", "nfacct", "--nfacct-name", "test"] }, "iptables").errors).toEqual([]);
		expect(run({ ...base, rule_argv: ["-m", "nfacct", "--nfacct-name", "wrong"] }, "iptables").errors).toEqual(["host_object_missing"]);
		expect(run({ ...base, rule_argv: ["-m", "set", "--match-set", "test", "src"] }, "iptables").errors).toEqual(["host_object_missing"]);
	});

	it("accepts OK rules and rejects FAIL rules", () => {
		let okN = 0;
		let okAccepted = 0;
		let failN = 0;
		let failRejected = 0;
		const misses: string[] = [];
		for (const r of recs) {
			const expect_ = r.expect_legacy;
			if (expect_ !== "OK" && expect_ !== "FAIL") continue;
			for (const tool of r.tools) {
				const res = run(r, tool);
				if (expect_ === "OK") {
					okN++;
					// Accepted means: no error and one rule per chain in the ruleset.
					if (res.errors.length === 0 && res.rules === r.chains.length) okAccepted++;
					else misses.push(`OK rejected  ${r.module}:${r.line} [${tool}] ${r.rule}  -> ${res.all.join("; ")}`);
				} else {
					failN++;
					if (res.errors.length > 0) failRejected++;
					else misses.push(`FAIL accepted ${r.module}:${r.line} [${tool}] ${r.rule}`);
				}
			}
		}
		console.log(`validity: ok accepted ${okAccepted}/${okN}, fail rejected ${failRejected}/${failN}`);
		if (misses.length > 0) console.log(misses.join("\n"));
		if (process.env.SHOW_FAILS === "1")
			for (const r of recs.filter((x) => x.expect_legacy === "FAIL")) console.log(`${r.module}:${r.line} ${r.rule} -> ${run(r, r.tools[0]!).errors.join(",")}`);
		// Every OK vector must parse; every FAIL vector must be refused, by the parser or (objects
		// missing on the modelled host) by the host-state check.
		expect(okAccepted).toBe(okN);
		expect(failRejected).toBe(failN);
	});
});

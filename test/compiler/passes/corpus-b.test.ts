/**
 * Real rulesets the part-B passes rewrite (inlining, dead/shadowed rules, NAT maps, numgen, inet
 * folding): the -O1 and -O2 outputs decide like the input, load with nft -c, and are fixpoints.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { CORPUS_REAL } from "../../helpers/paths.js";
import { SHARED } from "../../helpers/paths.js";
import { expectEquivalent, expectNftAccepts } from "./fixture.js";
import { PASSES, optimise } from "../../../compiler/passes/pipeline.js";
import { emitText } from "../../../compiler/emit/text.js";

const FILES = [
	"docker1.x-libvirt-centos7.rules",
	"iptables-upstream-fedora27-firewalld.v6.rules",
	"libvirt-network-nat-many-ips.sh",
	"netnetwork-openwrt-fw3-openvpn.rules",
	"moby-iptablesdoc-usernet-portmap.rules",
	"netnetwork-ugent.rules",
	"iptables-upstream-2003-filter.rules",
];

describe("part-B passes on real rulesets", () => {
	for (const f of FILES) {
		const text = readFileSync(resolve(CORPUS_REAL, f), "utf8");
		for (const level of [1, 2] as const) {
			it(`${f} -O${level}: equivalent, loads, fixpoint`, () => {
				const c = compile(text, { file: f, optimize: level });
				expect(c.changes.length).toBeGreaterThan(0);
				expectEquivalent(text, c.output, f);
				expectNftAccepts(c.output);
				const again = optimise(c.nft, level, PASSES);
				expect(emitText(again.ruleset, { preamble: "none" })).toBe(c.output);
			});
		}
	}

	it("libvirt-network-nat-many-ips.sh (v4 + v6 commands) folds its filter tables into inet at -O2", () => {
		const f = "libvirt-network-nat-many-ips.sh";
		const c = compile(readFileSync(resolve(CORPUS_REAL, f), "utf8"), { file: f, optimize: 2 });
		expect(c.changes.some((x) => x.pass === "inet-fold")).toBe(true);
		expect(c.output).toContain("table inet filter");
	});

	it("(iptables-save; ip6tables-save) of one host (synology ds414) folds into one inet table at -O2: equivalent, loads, fixpoint", () => {
		const text = ["netnetwork-synology-ds414.rules", "netnetwork-synology-ds414.v6.rules"].map((f) => readFileSync(resolve(CORPUS_REAL, f), "utf8")).join("");
		const c = compile(text, { file: "ds414-both.rules", optimize: 2 });
		expect(c.ok).toBe(true);
		expect(c.ipt.tables.map((t) => `${t.family} ${t.name}`).sort()).toEqual(["ip filter", "ip6 filter"]);
		expect(c.output.match(/^table .*$/gm)).toEqual(["table inet filter {"]);
		expectEquivalent(text, c.output, "ds414-both.rules");
		expectNftAccepts(c.output);
		expect(emitText(optimise(c.nft, 2, PASSES).ruleset, { preamble: "none" })).toBe(c.output);
	});

	it("a fragment (ufw before.rules: no base chain rules) keeps its user chains", () => {
		const f = "ufw-0.37-before.rules";
		const out = compile(readFileSync(resolve(CORPUS_REAL, f), "utf8"), { file: f, optimize: 1 }).output;
		expect(out).toContain("chain ufw-before-input");
		expect(out).toContain("chain ufw-not-local");
	});
});

describe("kube-proxy (gen_kubeproxy 60): -O1 and -O2 are equivalent, load, and dispatch by numgen", () => {
	const text = execFileSync("python3", [resolve(SHARED, "tools", "gen_kubeproxy.py"), "60"], { encoding: "utf8" });
	for (const level of [1, 2] as const) {
		it(`-O${level}`, () => {
			const c = compile(text, { file: "kp60.rules", optimize: level });
			expect(c.ok).toBe(true);
			expect(c.output.match(/numgen random mod 3 vmap/g)).toHaveLength(60);
			expect(c.output).not.toContain("chain KUBE-MARK-MASQ");
			expect(c.output).not.toContain("meta random");
			expectEquivalent(text, c.output, "kp60.rules");
			expectNftAccepts(c.output);
		});
	}
});

/**
 * `translate --nfacct FILE`: the host's `nfacct list` output. Without it, -m nfacct becomes a named
 * counter with a warning (exit 0); with it, missing objects are errors (exit 2) and byte quotas
 * are kept. The kube-proxy corpus file (which uses nfacct) translates, loads in `nft -c` and
 * verifies equal.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { nftCheck } from "../helpers/nft-check.js";

const SHARED = resolve(import.meta.dirname, "../../..", "shared");
const KUBE = join(SHARED, "corpus", "real", "kubeproxy-iptables-restore-overall.rules");

const RULES = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 80 -m nfacct --nfacct-name http -j DROP\n-A INPUT -m nfacct --nfacct-name plain\nCOMMIT\n";
const LIST =
	"{ pkts = 00000000000000000000, bytes = 00000000000000000000 } = plain;\n" +
	"{ pkts = 00000000000000000002, bytes = 00000000000000000120, quota = 00000000000000004096, mode = byte, overquota = no } = http;\n";

describe("translate --nfacct", () => {
	const dir = mkdtempSync(join(tmpdir(), "ipt2nft-nfacct-"));
	const rules = join(dir, "rules.v4");
	const list = join(dir, "nfacct.list");
	writeFileSync(rules, RULES);
	writeFileSync(list, LIST);

	it("without it: named counters, a warning naming --nfacct, exit 0", () => {
		const r = cli(["translate", rules]);
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('tcp dport 80 counter name "http" drop');
		expect(r.stderr).toMatch(/warning\[assumed_host_state\]/);
		expect(r.stderr).toMatch(/--nfacct FILE/);
		expect(r.stderr).toMatch(/0 input lines not translated/);
		expect(nftCheck(r.stdout).stderr).toBe("");
	});
	it("with it: the byte quota becomes a named quota, nothing to warn about", () => {
		const r = cli(["translate", rules, "--nfacct", list]);
		expect(r.stderr).toBe("");
		expect(r.code).toBe(0);
		expect(r.stdout).toContain("quota http {\n\t\tover 4096 bytes used 120 bytes\n\t}");
		expect(r.stdout).toContain('tcp dport 80 quota name "http" drop');
		expect(r.stdout).toContain('counter name "plain"');
		expect(nftCheck(r.stdout).stderr).toBe("");
	});
	it("--verify with it: the simulator knows the quota, so the named quota verifies equal", () => {
		const q = join(dir, "quota.v4");
		writeFileSync(q, "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m nfacct --nfacct-name http -j DROP\nCOMMIT\n");
		const r = cli(["translate", q, "--nfacct", list, "--verify", "--packets", "2000", "-o", join(dir, "quota.nft")]);
		expect(r.stderr).toMatch(/^equal:/m);
		expect(r.code).toBe(0);
	});
	it("an object the list lacks: exit 2, the error points at the name", () => {
		const other = join(dir, "other.list");
		writeFileSync(other, "{ pkts = 00000000000000000000, bytes = 00000000000000000000 } = plain;\n");
		const r = cli(["translate", rules, "--nfacct", other]);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/rules\.v4:3:52: error\[host_object_missing\]: nfacct object "http" does not exist/);
		expect(r.stdout).not.toContain("http");
	});
	it("errors in the list point into it; an unreadable file is an input error", () => {
		const bad = join(dir, "bad.list");
		writeFileSync(bad, "<?xml version=\"1.0\"?>\n");
		const r = cli(["translate", rules, "--nfacct", bad]);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/bad\.list:1:1: error\[syntax_error\]/);
		const gone = cli(["translate", rules, "--nfacct", join(dir, "nope")]);
		expect(gone.code).toBe(2);
		expect(gone.stderr).toMatch(/cannot read --nfacct/);
	});
	it("--ipset with a set the host lacks: exit 2 (the kernel would refuse the rule)", () => {
		const setRules = join(dir, "set.v4");
		writeFileSync(setRules, "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set foo src,dst -j ACCEPT\nCOMMIT\n");
		const empty = join(dir, "empty.ipset");
		writeFileSync(empty, "");
		const r = cli(["translate", setRules, "--ipset", empty]);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/set\.v4:3:29: error\[host_object_missing\]: ipset "foo"/);
	});

	it("the kube-proxy corpus file: exit 0, nft -c accepts it, verify finds no difference", () => {
		const out = join(dir, "kube.nft");
		const r = cli(["translate", KUBE, "-o", out, "--verify", "--packets", "4000"]);
		expect(r.stderr).toMatch(/assumed_host_state/);
		expect(r.stderr).toMatch(/equal:/);
		expect(r.code).toBe(0);
		const nft = readFileSync(out, "utf8");
		expect(nft).toContain('ct state invalid counter name "ct_state_invalid_dropped_pkts" drop');
		expect(nft.match(/counter name "localhost_nps_accepted_pkts"/g)?.length).toBe(3);
		expect(nftCheck(nft).stderr).toBe("");
		const json = cli(["translate", KUBE, "--format", "json", "-O2"]);
		expect(json.code).toBe(0);
		expect(nftCheck(json.stdout, { json: true }).stderr).toBe("");
	});
	it("the kube-proxy corpus file with kube-proxy's objects listed: no warning at all", () => {
		const kl = join(dir, "kube.list");
		writeFileSync(kl, "{ pkts = 00000000000000000000, bytes = 00000000000000000000 } = ct_state_invalid_dropped_pkts;\n{ pkts = 00000000000000000007, bytes = 00000000000000000420 } = localhost_nps_accepted_pkts;\n");
		const r = cli(["translate", KUBE, "--nfacct", kl]);
		expect(r.stderr).toBe("");
		expect(r.code).toBe(0);
	});
	it("verify --nfacct: the quota is known to the simulator; without the list the objects are quota-less", () => {
		// A conntrack rule makes the host defragment, as migration hosts do (see defrag.ts).
		const tracked = join(dir, "tracked.v4");
		writeFileSync(tracked, RULES.replace("-A INPUT -p tcp", "-A INPUT -m state --state ESTABLISHED -j ACCEPT\n-A INPUT -p tcp"));
		const out = join(dir, "quota.nft");
		expect(cli(["translate", tracked, "--nfacct", list, "-o", out]).code).toBe(0);
		// iptables matches `http` only once over its quota; the translation's named quota says so too.
		expect(cli(["verify", tracked, out, "--nfacct", list]).code).toBe(0);
		// Without the list, verify takes `http` as a plain counter (always matching): a difference.
		expect(cli(["verify", tracked, out]).code).toBe(1);
		expect(cli(["verify", tracked, out, "--nfacct", join(dir, "missing.list")]).code).toBe(2);
		expect(cli(["verify", tracked, out, "--nfacct", list, "--kernel"]).code).toBe(2);
	});
});

/** `translate --ipset FILE`: the host's `ipset save` output declares the sets -m set uses. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { nftCheck } from "../helpers/nft-check.js";

const RULES = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set blocked src -j DROP\nCOMMIT\n";
const SAVE = "create blocked hash:net family inet hashsize 1024 maxelem 65536\nadd blocked 10.0.0.0/8\nadd blocked 192.0.2.1\n";

describe("translate --ipset", () => {
	const dir = mkdtempSync(join(tmpdir(), "ipt2nft-ipset-"));
	const rules = join(dir, "rules.v4");
	const save = join(dir, "ipset.save");
	writeFileSync(rules, RULES);
	writeFileSync(save, SAVE);

	it("without it the set is missing: exit 2 with a hint to pass --ipset", () => {
		const r = cli(["translate", rules]);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/--ipset FILE/);
	});
	it("with it the set becomes a named interval set and the rule a lookup; nft -c accepts it", () => {
		const r = cli(["translate", rules, "--ipset", save]);
		expect(r.stderr).toBe("");
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/set ipset_blocked \{[^}]*flags interval[^}]*elements = \{ 10\.0\.0\.0\/8, 192\.0\.2\.1 \}/s);
		expect(r.stdout).toMatch(/ip saddr @ipset_blocked drop/);
		expect(nftCheck(r.stdout).ok).toBe(true);
	});
	it("errors in the ipset file point into it", () => {
		const bad = join(dir, "bad.save");
		writeFileSync(bad, "create blocked hash:bogus family inet\n");
		const r = cli(["translate", rules, "--ipset", bad]);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/bad\.save:1/);
	});
	it("an unreadable file is an input error", () => {
		expect(cli(["translate", rules, "--ipset", join(dir, "nope")]).code).toBe(2);
	});
});

/**
 * Simulator semantics of -m nfacct and nft named objects: an nfacct object without quota always
 * matches, so ipt2nft's named counter verifies equal, and a mutant that turns the counter into a
 * quota (false until exceeded) is caught; a named quota decides like the anonymous one its object
 * declares (over vs until), so a mutant that flips it is caught too.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../../compiler/index.js";
import { verifyTexts } from "../../../../compiler/verify.js";
import type { NfacctCatalogue } from "../../../../compiler/ir/nfacct.js";
import { nfacctCatalogue, parseNfacctList } from "../../../../grammar/nfacct/index.js";

function save(rule: string): string {
	return `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${rule}\nCOMMIT\n`;
}

function nftText(objects: string, rule: string): string {
	return `table ip filter {\n${objects}\tchain INPUT {\n\t\ttype filter hook input priority 0; policy accept;\n\t\t${rule}\n\t}\n}\n`;
}

function verify(rules: string, nft: string, nfacct?: NfacctCatalogue) {
	const r = verifyTexts(rules, nft, { oldFile: "t.rules", newFile: "t.nft", family: "ip", packets: 3000, conntrack: true, ...(nfacct !== undefined ? { nfacct } : {}) });
	if (r.kind === "input-error") throw new Error(r.diagnostics.map((d) => `${d.code}: ${d.message}`).join("; "));
	return r.result;
}

describe("nfacct: a named counter", () => {
	it.each([
		["alone", "-m nfacct --nfacct-name x -j DROP", 'counter name "x" drop'],
		["after other matches", "-p tcp --dport 22 -m nfacct --nfacct-name x -j DROP", 'tcp dport 22 counter name "x" drop'],
		["before other matches", "-m nfacct --nfacct-name x -p udp --dport 53 -j DROP", 'counter name "x" udp dport 53 drop'],
	])("%s: equal, and a quota mutant differs", (_n, rule, counterRule) => {
		const out = compile(save(rule), { file: "t.rules", family: "ip" });
		expect(out.ok).toBe(true);
		expect(out.output).toContain(counterRule);
		expect(verify(save(rule), out.output).equal).toBe(true);
		const mutant = nftText("\tquota x {\n\t\t100 bytes\n\t}\n", counterRule.replace('counter name "x"', 'quota name "x"'));
		expect(verify(save(rule), mutant).equal).toBe(false);
	});
});

describe("nft named quota against xt_quota", () => {
	// `! --quota N` matches once over N bytes: `quota over N bytes`, named or not.
	const rules = save("-m quota ! --quota 1000 -j DROP");
	it("over: equal", () => {
		expect(verify(rules, nftText("\tquota q {\n\t\tover 1000 bytes\n\t}\n", 'quota name "q" drop')).equal).toBe(true);
	});
	it("until: different", () => {
		expect(verify(rules, nftText("\tquota q {\n\t\t1000 bytes\n\t}\n", 'quota name "q" drop')).equal).toBe(false);
	});
	it("an anonymous `quota over` decides like the named one", () => {
		expect(verify(rules, nftText("", "quota over 1000 bytes drop")).equal).toBe(true);
	});
	it("a named counter that the table does not declare is an input error, not a guess", () => {
		const r = verifyTexts(save("-m nfacct --nfacct-name x -j DROP"), nftText("", 'counter name "x" drop'), { oldFile: "t.rules", newFile: "t.nft", family: "ip" });
		expect(r.kind).toBe("input-error");
		if (r.kind === "input-error") expect(r.diagnostics.map((d) => d.code)).toContain("nft_undefined");
	});
});

describe("nfacct with a byte quota (host state from `nfacct list`)", () => {
	const LIST = "{ pkts = 00000000000000000003, bytes = 00000000000000000180, quota = 00000000000000001000, mode = byte, overquota = no } = http;\n";
	const host = nfacctCatalogue(parseNfacctList(LIST, "nfacct.list").objects);
	const rules = save("-p tcp --dport 80 -m nfacct --nfacct-name http -j DROP");
	const out = compile(rules, { file: "t.rules", family: "ip", nfacct: { text: LIST, file: "nfacct.list" } });
	it("the named quota verifies equal when the simulator knows the host's object", () => {
		expect(out.ok).toBe(true);
		expect(out.output).toContain('tcp dport 80 quota name "http" drop');
		expect(verify(rules, out.output, host).equal).toBe(true);
	});
	it("without the host state the iptables side assumes no quota: the quota translation differs", () => {
		expect(verify(rules, out.output).equal).toBe(false);
	});
	it("a named counter (quota ignored) differs from the host's quota object", () => {
		const counter = nftText("\tcounter http {\n\t}\n", 'tcp dport 80 counter name "http" drop');
		expect(verify(rules, counter, host).equal).toBe(false);
	});
});

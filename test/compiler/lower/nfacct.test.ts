/**
 * -m nfacct: named counters (objects without quota), named quotas (byte quotas from `nfacct
 * list`), refusals, and the host-state checks (--nfacct, --ipset) that reject rules the kernel
 * refuses. Real parser, lowering, passes, both emitters, and the real `nft -c` (text and JSON).
 */
import { describe, expect, it } from "vitest";
import { compile, type CompileOptions } from "../../../compiler/index.js";
import { nftCheck } from "../../helpers/nft-check.js";

const LIST = [
	"{ pkts = 00000000000000000000, bytes = 00000000000000000000 } = plain;",
	"{ pkts = 00000000000000000003, bytes = 00000000000000000180, quota = 00000000000000001000, mode = byte, overquota = no } = http;",
	"{ pkts = 00000000000000000000, bytes = 00000000000000000000, quota = 00000000000000000005, mode = packet, overquota = no } = pk;",
	"{ pkts = 00000000000000000000, bytes = 00000000000000000000 } = x y;",
	"{ pkts = 00000000000000000000, bytes = 00000000000000000000 } = drop;",
	"",
].join("\n");

function save(table: string, rules: string[], chains = ["INPUT"]): string {
	return [`*${table}`, ...chains.map((c) => `:${c} ACCEPT [0:0]`), ...rules, "COMMIT", ""].join("\n");
}

function run(text: string, opts: Partial<CompileOptions> = {}) {
	const r = compile(text, { file: "t.rules", family: "ip", ...opts });
	const json = compile(text, { file: "t.rules", family: "ip", ...opts, outputFormat: "json" });
	return { ...r, json: json.output, codes: r.diagnostics.map((d) => d.code) };
}

const withList = { nfacct: { text: LIST, file: "nfacct.list" } } as const;

describe("nfacct without --nfacct: named counters, one warning per object", () => {
	const r = run(
		save("filter", [
			"-A INPUT -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP",
			"-A INPUT -p tcp --dport 22 -m nfacct --nfacct-name ssh",
			"-A INPUT -p tcp --dport 23 -m nfacct --nfacct-name ssh -m comment --comment telnet -j ACCEPT",
		]),
	);
	it("declares one counter per object and counts at the match's place", () => {
		expect(r.ok).toBe(true);
		expect(r.output).toContain("\tcounter ct_state_invalid_dropped_pkts {\n\t}\n");
		expect(r.output).toContain("\tcounter ssh {\n\t}\n");
		expect(r.output).toContain('\t\tct state invalid counter name "ct_state_invalid_dropped_pkts" drop\n');
		expect(r.output).toContain('\t\ttcp dport 22 counter name "ssh"\n');
		expect(r.output).toContain('\t\ttcp dport 23 counter name "ssh" accept comment "telnet"\n');
	});
	it("warns once per object (assumed quota-less), at the name in the first rule, never partial", () => {
		expect(r.codes).toEqual(["assumed_host_state", "assumed_host_state"]);
		expect(r.diagnostics[0]!.span).toMatchObject({ line: 3, col: 65, length: "ct_state_invalid_dropped_pkts".length });
		expect(r.diagnostics[0]!.hint).toMatch(/--nfacct FILE/);
		expect(r.stats.rulesFailed).toBe(0);
	});
	it("nft -c accepts text and JSON", () => {
		expect(nftCheck(r.output).stderr).toBe("");
		expect(nftCheck(r.json, { json: true }).stderr).toBe("");
		expect(r.json).toContain('{"counter":{"family":"ip","table":"filter","name":"ssh"}}');
		expect(r.json).toContain('{"counter":"ssh"}');
	});
	it("an object used from two tables is declared in each (nft objects belong to one table)", () => {
		const two = run(save("nat", ["-A PREROUTING -m nfacct --nfacct-name n"], ["PREROUTING"]) + save("filter", ["-A INPUT -m nfacct --nfacct-name n -j ACCEPT"]));
		expect(two.ok).toBe(true);
		expect(two.output.match(/\tcounter n \{/g)?.length).toBe(2);
		expect(nftCheck(two.output).stderr).toBe("");
	});
});

describe("nfacct at -O2: an object both families use is one counter of the inet table", () => {
	it("folds, declares the counter once, and loads", () => {
		const script = "iptables -A INPUT -p tcp --dport 22 -m nfacct --nfacct-name ssh -j DROP\nip6tables -A INPUT -p tcp --dport 22 -m nfacct --nfacct-name ssh -j DROP\n";
		const r = compile(script, { file: "t.sh", optimize: 2 });
		expect(r.ok).toBe(true);
		expect(r.output.match(/^table .*$/gm)).toEqual(["table inet filter {"]);
		expect(r.output.match(/\tcounter ssh \{/g)?.length).toBe(1);
		expect(r.output).toContain('tcp dport 22 counter name "ssh" drop');
		expect(nftCheck(r.output).stderr).toBe("");
	});
});

describe("nfacct with --nfacct (the host's `nfacct list`)", () => {
	it("an object without quota: a counter, no warning", () => {
		const r = run(save("filter", ["-A INPUT -m nfacct --nfacct-name plain -j ACCEPT"]), withList);
		expect(r.codes).toEqual([]);
		expect(r.output).toContain('counter name "plain" accept');
	});
	it("--counters: the counter starts at the listed counts (in the first table that uses it)", () => {
		const list = { nfacct: { text: "{ pkts = 00000000000000000007, bytes = 00000000000000000420 } = seen;\n", file: "n.list" } };
		const r = run(save("mangle", ["-A INPUT -m nfacct --nfacct-name seen"]) + save("filter", ["-A INPUT -m nfacct --nfacct-name seen"]), { ...list, counters: true });
		expect(r.codes).toEqual([]);
		expect(r.output).toContain("table ip mangle {\n\tcounter seen {\n\t\tpackets 7 bytes 420\n\t}");
		expect(r.output).toContain("table ip filter {\n\tcounter seen {\n\t}");
		expect(nftCheck(r.output).stderr).toBe("");
		expect(nftCheck(r.json, { json: true }).stderr).toBe("");
		expect(run(save("filter", ["-A INPUT -m nfacct --nfacct-name seen"]), list).output).toContain("\tcounter seen {\n\t}");
	});
	it("a byte quota: a named quota over N bytes that starts at the listed bytes", () => {
		const r = run(save("filter", ["-A INPUT -p tcp --dport 80 -m nfacct --nfacct-name http -j DROP"]), withList);
		expect(r.codes).toEqual([]);
		expect(r.output).toContain("\tquota http {\n\t\tover 1000 bytes used 180 bytes\n\t}\n");
		expect(r.output).toContain('\t\ttcp dport 80 quota name "http" drop\n');
		expect(nftCheck(r.output).stderr).toBe("");
		expect(nftCheck(r.json, { json: true }).stderr).toBe("");
		expect(r.json).toContain('{"quota":{"family":"ip","table":"filter","name":"http","bytes":1000,"used":180,"inv":true}}');
	});
	it("a packet quota is inexpressible (nft quotas count bytes)", () => {
		const r = run(save("filter", ["-A INPUT -m nfacct --nfacct-name pk -j ACCEPT"]), withList);
		expect(r.codes).toEqual(["inexpressible"]);
		expect(r.ok).toBe(false);
		expect(r.output).not.toContain("pk");
	});
	it("a byte quota used from two tables is inexpressible (an nft quota belongs to one table)", () => {
		const r = run(save("mangle", ["-A INPUT -m nfacct --nfacct-name http"]) + save("filter", ["-A INPUT -m nfacct --nfacct-name http -j DROP"]), withList);
		expect(r.codes).toEqual(["inexpressible", "inexpressible"]);
	});
	it("a quota rule that lowering must split is inexpressible (each copy would count the packet)", () => {
		// ctstate NEW,DNAT is `ct state new` OR `ct status dnat`: two exclusive nft rules.
		const split = run(save("filter", ["-A INPUT -m nfacct --nfacct-name http -m conntrack --ctstate NEW,DNAT -j DROP"]), withList);
		expect(split.codes).toEqual(["inexpressible"]);
		const counter = run(save("filter", ["-A INPUT -m nfacct --nfacct-name plain -m conntrack --ctstate NEW,DNAT -j DROP"]), withList);
		// A counter only counts: the rule is translated, with a note that copies may count twice.
		expect(counter.codes).toEqual(["lossy_translation"]);
		expect(counter.ok).toBe(true);
	});
	it("a missing object is an error at the name: the kernel refuses the rule", () => {
		const r = run(save("filter", ["-A INPUT -m nfacct --nfacct-name wrong -j ACCEPT"]), withList);
		expect(r.codes).toEqual(["host_object_missing"]);
		expect(r.diagnostics[0]!.span).toEqual({ file: "t.rules", line: 3, col: 34, length: 5 });
		expect(r.ok).toBe(false);
	});
	it("names nft cannot spell are renamed with a warning; keywords too", () => {
		const r = run(save("filter", ['-A INPUT -m nfacct --nfacct-name "x y" -j ACCEPT', "-A INPUT -m nfacct --nfacct-name drop -j ACCEPT"]), withList);
		expect(r.codes).toEqual(["renamed_object", "renamed_object"]);
		expect(r.output).toContain('counter name "x_y" accept');
		expect(r.output).toContain('counter name "_drop" accept');
		expect(nftCheck(r.output).stderr).toBe("");
	});
	it("two objects that would get one spelling stay apart", () => {
		const r = run(save("filter", ['-A INPUT -m nfacct --nfacct-name "a b" -j ACCEPT', "-A INPUT -m nfacct --nfacct-name a_b -j DROP"]));
		expect(r.output).toContain('counter name "a_b" accept');
		expect(r.output).toContain('counter name "a_b_2" drop');
		expect(r.diagnostics.filter((d) => d.code === "renamed_object").map((d) => d.message)).toEqual([
			'nfacct object "a b" is written as a_b (nft cannot spell the original name)',
			'nfacct object "a_b" is written as a_b_2 (another nfacct object is already spelled so)',
		]);
		expect(nftCheck(r.output).stderr).toBe("");
	});
	it("errors in the list point into it", () => {
		const r = run(save("filter", ["-A INPUT -m nfacct --nfacct-name plain -j ACCEPT"]), { nfacct: { text: "garbage\n", file: "bad.list" } });
		expect(r.diagnostics.map((d) => [d.code, d.span?.file])).toContainEqual(["syntax_error", "bad.list"]);
		expect(r.ok).toBe(false);
	});
});

describe("ipset existence with --ipset (the host's `ipset save`)", () => {
	const ipset = { text: "create known hash:ip family inet hashsize 1024 maxelem 65536\n", file: "ipset.save" };
	it("-m set and -j SET naming a set the host lacks are errors at the name", () => {
		const r = run(save("filter", ["-A INPUT -m set --match-set foo src,dst -j ACCEPT", "-A INPUT -j SET --add-set bar src", "-A INPUT -m set --match-set known src -j DROP"]), { ipset });
		expect(r.codes).toEqual(["host_object_missing", "host_object_missing"]);
		expect(r.diagnostics.map((d) => d.span)).toEqual([
			{ file: "t.rules", line: 3, col: 29, length: 3 },
			{ file: "t.rules", line: 4, col: 27, length: 3 },
		]);
		expect(r.output).toContain("ip saddr @ipset_known drop");
		expect(r.output).not.toMatch(/foo|bar/);
	});
	it("without --ipset, -m set of a set the rules do not fill is an error, never a reference to an undeclared set", () => {
		const r = run(save("filter", ["-A INPUT -m set --match-set foo src,dst -j ACCEPT"]));
		expect(r.codes).toEqual(["missing_argument"]);
		expect(r.ok).toBe(false);
		expect(r.output).not.toContain("@");
		expect(nftCheck(r.output).stderr).toBe("");
	});
	it("without --ipset, a set the rules fill by -j SET is declared (inferred, with a warning) so nft -c accepts it", () => {
		const r = run(save("filter", ["-A INPUT -j SET --add-set seen src", "-A INPUT -m set --match-set seen src -j DROP"]));
		expect(r.ok).toBe(true);
		expect(r.output).toMatch(/set ipset_seen \{/);
		expect(nftCheck(r.output).stderr).toBe("");
	});
});

/**
 * `-t raw … -j CT --helper NAME`: moved to a `ct helper` object and a chain right after conntrack
 * where the raw traversal proves it exact (compiler/lower/ct-helper-chain.ts), refused elsewhere.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { verifyTexts } from "../../../compiler/verify.js";
import { nftCheck } from "../../helpers/nft-check.js";

const REAL = join(resolve(import.meta.dirname, "../../../.."), "shared", "corpus", "real");

function raw(rules: readonly string[], chains: readonly string[] = [], fam: "ip" | "ip6" = "ip"): { text: string; fam: "ip" | "ip6" } {
	const decl = chains.map((c) => `:${c} - [0:0]\n`).join("");
	return { text: `*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${decl}${rules.join("\n")}\nCOMMIT\n`, fam };
}

function translate(input: { text: string; fam: "ip" | "ip6" }, optimize: 0 | 1 = 0) {
	return compile(input.text, { file: "t.rules", family: input.fam, optimize });
}

function errors(r: ReturnType<typeof compile>) {
	return r.diagnostics.filter((d) => d.severity === "error").map((d) => ({ code: d.code, line: d.span?.line, message: d.message }));
}

describe("CT --helper: golden output", () => {
	it("a rule in PREROUTING becomes an object and a rule after conntrack", () => {
		const r = translate(raw(["-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"]));
		expect(errors(r)).toEqual([]);
		expect(r.output).toBe(
			[
				"table ip raw {",
				"\tct helper ftp-tcp {",
				'\t\ttype "ftp" protocol tcp',
				"\t\tl3proto ip",
				"\t}",
				"",
				"\tchain PREROUTING {",
				"\t\ttype filter hook prerouting priority raw; policy accept;",
				"\t}",
				"",
				"\tchain OUTPUT {",
				"\t\ttype filter hook output priority raw; policy accept;",
				"\t}",
				"",
				"\tchain ct_helper_PREROUTING {",
				"\t\ttype filter hook prerouting priority -199; policy accept;",
				'\t\ttcp dport 21 ct state new ct helper set "ftp-tcp"',
				"\t}",
				"}",
				"",
			].join("\n"),
		);
		expect(nftCheck(r.output).stderr).toBe("");
	});

	it("ip6, OUTPUT, a helper name with dots, and a shared chain reached from both hooks", () => {
		const r = translate(raw(["-A PREROUTING -j H", "-A OUTPUT -j H", "-A H -p tcp -m tcp --dport 1720 -j CT --helper Q.931", "-A H -p udp -m udp --dport 5060 -j CT --helper sip"], ["H"], "ip6"));
		expect(errors(r)).toEqual([]);
		expect(r.output).toContain("ct helper Q.931-tcp {\n\t\ttype \"Q.931\" protocol tcp\n\t\tl3proto ip6\n\t}");
		expect(r.output).toContain("ct helper sip-udp {\n\t\ttype \"sip\" protocol udp\n\t\tl3proto ip6\n\t}");
		for (const hook of ["prerouting", "output"]) {
			const name = hook === "prerouting" ? "ct_helper_PREROUTING" : "ct_helper_OUTPUT";
			expect(r.output).toContain(
				`chain ${name} {\n\t\ttype filter hook ${hook} priority -199; policy accept;\n\t\ttcp dport 1720 ct state new ct helper set "Q.931-tcp"\n\t\tudp dport 5060 ct state new ct helper set "sip-udp"\n\t}`,
			);
		}
		expect(nftCheck(r.output).stderr).toBe("");
	});

	it("JSON output: a `ct helper` object and the `ct helper` statement, accepted by nft -j -c", () => {
		const r = compile(raw(["-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"]).text, { file: "t.rules", family: "ip", optimize: 0, outputFormat: "json" });
		expect(errors(r)).toEqual([]);
		expect(r.output).toContain('{"ct helper":{"family":"ip","table":"raw","name":"ftp-tcp","type":"ftp","protocol":"tcp","l3proto":"ip"}}');
		expect(r.output).toContain('{"ct helper":"ftp-tcp"}');
		expect(nftCheck(r.output, { json: true }).stderr).toBe("");
	});

	it("with --counters the raw rule keeps its counter; the helper rule has none", () => {
		const r = compile(raw(["[5:300] -A PREROUTING -p udp -m udp --dport 69 -j CT --helper tftp"]).text, { file: "t.rules", family: "ip", optimize: 0, counters: true });
		expect(errors(r)).toEqual([]);
		expect(r.output).toContain("\t\tudp dport 69 counter packets 5 bytes 300\n");
		expect(r.output).toContain('\t\tudp dport 69 ct state new ct helper set "tftp-udp"\n');
		expect(nftCheck(r.output).stderr).toBe("");
	});

	it("overlapping helper rules keep the raw order (the first one wins on both sides)", () => {
		const r = translate(raw(["-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp", "-A PREROUTING -p tcp -j CT --helper irc"]));
		expect(errors(r)).toEqual([]);
		const a = r.output.indexOf('ct helper set "ftp-tcp"');
		const b = r.output.indexOf('ct helper set "irc-tcp"');
		expect(a).toBeGreaterThan(0);
		expect(b).toBeGreaterThan(a);
	});

	it("accepted shapes: NOTRACK before, DROP before, disjoint ACCEPT before, firewalld's goto pair, RETURN of other packets", () => {
		const ok: readonly { rules: string[]; chains?: string[] }[] = [
			{ rules: ["-A PREROUTING -p tcp -m tcp --dport 21 -j NOTRACK", "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"] },
			{ rules: ["-A PREROUTING -s 10.0.0.0/8 -j DROP", "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"] },
			{ rules: ["-A PREROUTING -p udp -j ACCEPT", "-A PREROUTING -i eth1 -j ACCEPT", "-A PREROUTING -i eth0 -p tcp -m tcp --dport 21 -j CT --helper ftp"] },
			{ rules: ["-A PREROUTING -j Z", "-A Z -i eth0 -g P", "-A Z -g P", "-A P -p tcp -m tcp --dport 21 -j CT --helper ftp"], chains: ["Z", "P"] },
			{ rules: ["-A PREROUTING -j X", "-A X -p udp -j RETURN", "-A X -p tcp -m tcp --dport 21 -j CT --helper ftp"], chains: ["X"] },
			{ rules: ["-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp", "-A PREROUTING -p tcp -m tcp --dport 22 -j CT --zone 4"] },
		];
		for (const c of ok) {
			const r = translate(raw(c.rules, c.chains ?? []));
			expect(errors(r), c.rules.join(" / ")).toEqual([]);
			expect(r.output).toContain('ct state new ct helper set "ftp-tcp"');
			expect(nftCheck(r.output).stderr).toBe("");
		}
	});
});

describe("CT --helper: rules reached on some paths only carry those paths' conditions", () => {
	it("through a jump from one interface", () => {
		const r = translate(raw(["-A PREROUTING -i eth0 -j X", "-A X -p tcp -m tcp --dport 21 -j CT --helper ftp"], ["X"]));
		expect(errors(r)).toEqual([]);
		expect(r.output).toContain('\t\tiifname "eth0" tcp dport 21 ct state new ct helper set "ftp-tcp"\n');
		expect(nftCheck(r.output).stderr).toBe("");
	});
	it("after an ACCEPT of one source prefix: its negation", () => {
		const r = translate(raw(["-A PREROUTING -s 10.0.0.0/8 -j ACCEPT", "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"]));
		expect(errors(r)).toEqual([]);
		expect(r.output).toContain('\t\tip saddr != 10.0.0.0/8 tcp dport 21 ct state new ct helper set "ftp-tcp"\n');
		expect(nftCheck(r.output).stderr).toBe("");
	});
	it("firewalld zones by interface, with a default zone", () => {
		const r = translate(raw(["-A PREROUTING -j Z", "-A Z -i eth0 -g PUB", "-A Z -i eth1 -g HOME", "-A Z -g PUB", "-A PUB -p tcp -m tcp --dport 21 -j CT --helper ftp", "-A HOME -p udp -m udp --dport 69 -j CT --helper tftp"], ["Z", "PUB", "HOME"]));
		expect(errors(r)).toEqual([]);
		const chain = r.output.slice(r.output.indexOf("chain ct_helper_PREROUTING"));
		expect(chain).toContain('\t\tiifname != "eth0" iifname != "eth1" tcp dport 21 ct state new ct helper set "ftp-tcp"\n');
		expect(chain).toContain('\t\tiifname "eth0" tcp dport 21 ct state new ct helper set "ftp-tcp"\n');
		expect(chain).toContain('\t\tiifname "eth1" udp dport 69 ct state new ct helper set "tftp-udp"\n');
		expect(nftCheck(r.output).stderr).toBe("");
	});
});

describe("CT --helper: a rule no packet it matches can reach does nothing", () => {
	it("only udp enters the chain of a tcp helper rule: no helper chain, no object, no error", () => {
		const r = translate(raw(["-A PREROUTING -p udp -j X", "-A X -p tcp -m tcp --dport 21 -j CT --helper ftp"], ["X"]));
		expect(errors(r)).toEqual([]);
		expect(r.output).not.toContain("ct helper");
		expect(nftCheck(r.output).stderr).toBe("");
	});
});

describe("CT --helper: refused where the move is not exact", () => {
	const cases: readonly { name: string; rules: string[]; chains?: string[]; line: number; says: RegExp }[] = [
		{ name: "no protocol", rules: ["-A PREROUTING -j CT --helper ftp"], line: 4, says: /needs -p tcp or -p udp/ },
		{ name: "sctp", rules: ["-A PREROUTING -p sctp -j CT --helper ftp"], line: 4, says: /needs -p tcp or -p udp/ },
		{ name: "conditional ACCEPT before (two conditions: no single negation)", rules: ["-A PREROUTING -s 10.0.0.0/8 -i eth0 -j ACCEPT", "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"], line: 5, says: /leave the raw chains without reaching it \(line 4/ },
		{ name: "reached only through a mark test", rules: ["-A PREROUTING -m mark --mark 0x1 -j X", "-A X -p tcp -m tcp --dport 21 -j CT --helper ftp"], chains: ["X"], line: 6, says: /only through a rule whose conditions differ after conntrack \(line 5/ },
		{ name: "RETURN of some of its packets before it", rules: ["-A PREROUTING -j X", "-A X -s 10.0.0.0/8 -p udp -j RETURN", "-A X -p udp -m udp --dport 69 -j CT --helper tftp"], chains: ["X"], line: 7, says: /without reaching it/ },
		{ name: "CT --zone before, overlapping", rules: ["-A PREROUTING -p tcp -j CT --zone 5", "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"], line: 5, says: /earlier CT target can attach its template first \(line 4/ },
		{ name: "plain CT before, overlapping", rules: ["-A PREROUTING -j CT", "-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp"], line: 5, says: /earlier CT target/ },
		{ name: "NOTRACK after, overlapping", rules: ["-A PREROUTING -p tcp -m tcp --dport 21 -j CT --helper ftp", "-A PREROUTING -j NOTRACK"], line: 4, says: /later NOTRACK rule matches the same packets \(line 5/ },
		{ name: "mark match", rules: ["-A PREROUTING -p tcp -m mark --mark 0x1 -j CT --helper ftp"], line: 4, says: /-m mark/ },
		{ name: "conntrack match", rules: ["-A PREROUTING -p tcp -m conntrack --ctstate NEW -j CT --helper ftp"], line: 4, says: /-m conntrack/ },
		{ name: "with --zone", rules: ["-A PREROUTING -p tcp -j CT --zone 3 --helper ftp"], line: 4, says: /together with --zone/ },
	];
	for (const c of cases) {
		it(c.name, () => {
			const r = translate(raw(c.rules, c.chains ?? []));
			const e = errors(r);
			expect(r.ok).toBe(false);
			expect(e.map((x) => [x.code, x.line])).toEqual([["inexpressible", c.line]]);
			expect(e[0]?.message).toMatch(c.says);
			expect(r.diagnostics.find((d) => d.severity === "error")?.hint).toBeTruthy();
			// What was translated still loads.
			expect(nftCheck(r.output).stderr).toBe("");
		});
	}
});

describe("CT --helper: the three real rulesets that use it", () => {
	const files = ["iptables-upstream-fedora27-firewalld-libvirt.rules", "iptables-upstream-wireless-router.rules", "netnetwork-shorewall-sqrl-2014.rules"];
	for (const f of files) {
		it(f, () => {
			const text = readFileSync(join(REAL, f), "utf8");
			const r = compile(text, { file: f });
			const ctLines = new Set(text.split("\n").flatMap((l, i) => (l.includes("CT --helper") ? [i + 1] : [])));
			expect(ctLines.size).toBeGreaterThan(0);
			// No CT --helper line is refused (the shorewall file has an unrelated -m recent refusal).
			expect(r.diagnostics.filter((d) => d.severity === "error" && ctLines.has(d.span?.line ?? 0))).toEqual([]);
			expect(r.output).toMatch(/ct state new ct helper set "/);
			expect(nftCheck(r.output).stderr).toBe("");
			const v = verifyTexts(text, r.output, { oldFile: f, newFile: "out.nft", packets: 4000 });
			expect(v.kind).toBe("done");
			if (v.kind === "done") expect(v.result.differences.map((d) => d.scenario.id)).toEqual([]);
		}, 120_000);
	}
});

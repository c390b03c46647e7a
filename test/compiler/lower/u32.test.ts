/**
 * Lowering of -m u32: iptables-save text -> the exact nft rules (fixed-offset raw payload compares,
 * the IPv4 header skip as @th behind a fragment guard), the refusals with their codes and hints,
 * and the real `nft -c` on the text and JSON output.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { nftCheck } from "../../helpers/nft-check.js";

interface Case {
	readonly name: string;
	readonly fam: "ip" | "ip6";
	readonly rule: string;
	/** Rules of another chain that make the ruleset use conntrack (defragmentation). */
	readonly extra?: string;
	/** The INPUT chain's rules, in order; [] when nothing is emitted. */
	readonly nft: readonly string[];
	/** Diagnostic codes, in order (default none). */
	readonly codes?: readonly string[];
}

const CASES: readonly Case[] = [
	// ----- fixed offsets from the network header
	{ name: "protocol byte (6&0xFF=6)", fam: "ip", rule: '-m u32 --u32 "6&0xFF=6" -j DROP', nft: ["@nh,48,32 & 0xff == 6 drop"] },
	{ name: "total length range", fam: "ip", rule: '-m u32 --u32 "0&0xFFFF=0x100:0xFFFF" -j DROP', nft: ["@nh,0,32 & 0xffff == 256-65535 drop"] },
	{ name: "whole word, no mask", fam: "ip", rule: '-m u32 --u32 "12=0x0a000001" -j DROP', nft: ["@nh,96,32 167772161 drop"] },
	{ name: "right shift moves onto the values", fam: "ip", rule: '-m u32 --u32 "0>>28=4" -j DROP', nft: ["@nh,0,32 & 0xf0000000 == 1073741824 drop"] },
	{ name: "left shift truncates the high bits and scales the values", fam: "ip", rule: '-m u32 --u32 "4<<8=0x100:0x2ff" -j DROP', nft: ["@nh,32,32 & 0xffffff == 1-2 drop"] },
	{ name: "left then right shift clears bits", fam: "ip", rule: '-m u32 --u32 "8<<8>>24=64" -j DROP', nft: ["@nh,64,32 & 0xff0000 == 4194304 drop"] },
	{ name: "two tests, a range list", fam: "ip", rule: '-m u32 --u32 "0>>28=4&&8&0xFF0000>>16=6,17" -j DROP', nft: ["@nh,0,32 & 0xf0000000 == 1073741824 @nh,64,32 & 0xff0000 == { 393216, 1114112 } drop"] },
	{ name: "overlapping ranges merge", fam: "ip", rule: '-m u32 --u32 "9&0xff=1:5,3:9,10" -j DROP', nft: ["@nh,72,32 & 0xff == 1-10 drop"] },
	{ name: "mask 0: only the length decides", fam: "ip", rule: '-m u32 --u32 "100&0=0" -j DROP', nft: ["meta length >= 104 drop"] },
	{ name: "IPv6 header offsets", fam: "ip6", rule: '-m u32 --u32 "40=1" -j DROP', nft: ["@nh,320,32 1 drop"] },
	// ----- negation: the read must also fail when it is past the end (no match, then inverted)
	{ name: "! inside the minimal IPv4 header", fam: "ip", rule: '-m u32 ! --u32 "6&0xFF=6" -j DROP', nft: ["@nh,48,32 & 0xff != 6 drop"] },
	{ name: "! past the minimal header: short packets match too", fam: "ip", rule: '-m u32 ! --u32 "40&0xFF=1:5,9" -j DROP', nft: ["meta length < 44 drop", "@nh,320,32 & 0xff != { 1-5, 9 } drop"] },
	{ name: "! inside the IPv6 header", fam: "ip6", rule: '-m u32 ! --u32 "36&0xFF=1" -j DROP', nft: ["@nh,288,32 & 0xff != 1 drop"] },
	{
		name: "! over two tests: exclusive alternatives",
		fam: "ip",
		rule: '-m u32 ! --u32 "0>>28=4&&40&0xff=1" -j DROP',
		nft: ["@nh,0,32 & 0xf0000000 != 1073741824 drop", "@nh,0,32 & 0xf0000000 == 1073741824 meta length < 44 drop", "@nh,0,32 & 0xf0000000 == 1073741824 @nh,320,32 & 0xff != 1 drop"],
	},
	{ name: "! of a test that never holds: every packet", fam: "ip", rule: '-m u32 ! --u32 "0=5:1" -j DROP', nft: ["drop"] },
	// ----- the IPv4 header skip 0>>22&0x3C@ = @th, when later fragments cannot reach the rule
	{ name: "@th with ! -f", fam: "ip", rule: '-p tcp ! -f -m u32 --u32 "0>>22&0x3C@0>>16=80" -j DROP', nft: ["ip frag-off & 0x1fff == 0 ip protocol tcp @th,0,32 & 0xffff0000 == 5242880 drop"] },
	{ name: "the header skip spelled >>24&0xF<<2", fam: "ip", rule: '! -f -m u32 --u32 "0>>24&0xF<<2@8=1" -j DROP', nft: ["ip frag-off & 0x1fff == 0 @th,64,32 1 drop"] },
	{ name: "@th when conntrack defragments", fam: "ip", rule: '-m u32 --u32 "0>>22&0x3c@4=0x10000000:0x1fffffff" -j DROP', extra: "-A OUTPUT -m conntrack --ctstate INVALID -j DROP", nft: ["@th,32,32 268435456-536870911 drop"] },
	// ----- refused
	{ name: "@th without a fragment guard", fam: "ip", rule: '-m u32 --u32 "0>>22&0x3C@0>>16=80" -j DROP', nft: [], codes: ["inexpressible"] },
	{
		name: "TCP payload (data-offset skip): @ih, bogus data offsets at fixed @th offsets",
		fam: "ip",
		rule: '-p tcp ! -f -m u32 --u32 "0>>22&0x3C@12>>26&0x3C@0>>24=0x47" -j DROP',
		nft: [
			"ip frag-off & 0x1fff == 0 ip protocol tcp @th,96,32 & 0xf0000000 >= 1073741824 @ih,0,32 & 0xff000000 == 1191182336 drop",
			"ip frag-off & 0x1fff == 0 ip protocol tcp @th,96,32 & 0xf0000000 == 0 @th,0,32 & 0xff000000 == 1191182336 drop",
			"ip frag-off & 0x1fff == 0 ip protocol tcp @th,96,32 & 0xf0000000 == 268435456 @th,32,32 & 0xff000000 == 1191182336 drop",
			"ip frag-off & 0x1fff == 0 ip protocol tcp @th,96,32 & 0xf0000000 == 536870912 @th,64,32 & 0xff000000 == 1191182336 drop",
			"ip frag-off & 0x1fff == 0 ip protocol tcp @th,96,32 & 0xf0000000 == 805306368 @th,96,32 & 0xff000000 == 1191182336 drop",
		],
	},
	{ name: "TCP payload word 16 on: @ih alone", fam: "ip", rule: '-p tcp -m conntrack --ctstate ESTABLISHED -m u32 --u32 "0>>22&0x3C@12>>26&0x3C@16=1:2" -j DROP', nft: ["ip protocol tcp ct state established @ih,128,32 1-2 drop"] },
	{ name: "data-offset skip without -p tcp", fam: "ip", rule: '! -f -m u32 --u32 "0>>22&0x3C@12>>26&0x3C@0>>24=0x47" -j DROP', nft: [], codes: ["inexpressible"] },
	{ name: "data-offset skip without fragment guard", fam: "ip", rule: '-p tcp -m u32 --u32 "0>>22&0x3C@12>>26&0x3C@0>>24=0x47" -j DROP', nft: [], codes: ["inexpressible"] },
	{ name: "three pointer moves", fam: "ip", rule: '-p tcp ! -f -m u32 --u32 "0>>22&0x3C@12>>26&0x3C@0>>24@0=1" -j DROP', nft: [], codes: ["inexpressible"] },
	{ name: "@ from another location", fam: "ip", rule: '-m u32 --u32 "8&0xff@0=1" -j DROP', nft: [], codes: ["inexpressible"] },
	{ name: "header skip on IPv6", fam: "ip6", rule: '-m u32 --u32 "0>>22&0x3C@0=1" -j DROP', nft: [], codes: ["inexpressible"] },
	{ name: "! over @th", fam: "ip", rule: '! -f -m u32 ! --u32 "0>>22&0x3C@0>>16=80" -j DROP', nft: [], codes: ["inexpressible"] },
	{ name: "shift by 32", fam: "ip", rule: '-m u32 --u32 "0<<32=0" -j DROP', nft: [], codes: ["inexpressible"] },
	{ name: "offset beyond nft's payload reach", fam: "ip", rule: '-m u32 --u32 "65533=1" -j DROP', nft: [], codes: ["inexpressible"] },
];

function save(c: Case): string {
	return `*filter\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT ${c.rule}\n${c.extra !== undefined ? `${c.extra}\n` : ""}COMMIT\n`;
}

/** The INPUT chain's rule lines. */
function inputRules(out: string): string[] {
	const m = /chain INPUT \{\n([\s\S]*?)\n\t\}/.exec(out);
	return (m?.[1] ?? "")
		.split("\n")
		.filter((l) => /^\t\t\S/.test(l) && !l.startsWith("\t\ttype "))
		.map((l) => l.trim());
}

describe("u32 lowering", () => {
	for (const c of CASES) {
		it(c.name, () => {
			const r = compile(save(c), { file: "t.rules", family: c.fam });
			expect(r.diagnostics.map((d) => d.code)).toEqual(c.codes ?? []);
			expect(inputRules(r.output)).toEqual(c.nft);
			if (c.nft.length === 0) return;
			expect(nftCheck(r.output).stderr).toBe("");
			const json = compile(save(c), { file: "t.rules", family: c.fam, outputFormat: "json" });
			expect(nftCheck(json.output, { json: true }).stderr).toBe("");
		});
	}
	it("a test that never holds drops the rule", () => {
		const r = compile('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m u32 --u32 "0=5:1" -j DROP\nCOMMIT\n', { file: "t.rules", family: "ip" });
		expect(inputRules(r.output)).toEqual([]);
	});
	it("hints say what to do instead", () => {
		const hint = (rule: string) => compile(`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${rule}\nCOMMIT\n`, { file: "t.rules", family: "ip" }).diagnostics[0]?.hint ?? "";
		expect(hint('-m u32 --u32 "0>>22&0x3C@0>>16=80" -j DROP')).toMatch(/! -f/);
		expect(hint('-m u32 --u32 "0>>22&0x3C@12>>26&0x3C@0>>24=0x47" -j DROP')).toMatch(/-p tcp/);
		expect(hint('-m u32 --u32 "8@0=1" -j DROP')).toMatch(/data-offset skip/);
		expect(hint('-m u32 --u32 "0<<40=0" -j DROP')).toMatch(/0\.\.31/);
	});
});

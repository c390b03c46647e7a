/**
 * Lowering of -m hbh / dst / mh / ipcomp / tcpmss / ipv6header: iptables-save text -> the exact nft rules
 * (real parser, lowering, passes, emitter), the refusals with their codes, and the real
 * `nft -c` on the text and JSON output. Where upstream's txlate vector is wrong the case says why.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { nftCheck } from "../../helpers/nft-check.js";

interface Case {
	readonly name: string;
	readonly fam: "ip" | "ip6";
	readonly rule: string;
	/** The chain's rules, in order; [] when nothing is emitted. */
	readonly nft: readonly string[];
	/** Diagnostic codes, in order (default none). */
	readonly codes?: readonly string[];
}

const CASES: readonly Case[] = [
	// ----- hbh / dst: the length is in bytes, (Hdr Ext Len + 1) * 8
	{ name: "hbh alone: the header exists", fam: "ip6", rule: "-m hbh -j ACCEPT", nft: ["exthdr hbh exists accept"] },
	{ name: "hbh len 16 bytes = raw 1", fam: "ip6", rule: "-m hbh --hbh-len 16 -j ACCEPT", nft: ["hbh hdrlength 1 accept"] },
	{ name: "hbh len negated", fam: "ip6", rule: "-m hbh ! --hbh-len 16 -j DROP", nft: ["hbh hdrlength != 1 drop"] },
	// upstream: `hbh hdrlength 22`. 22 bytes is no multiple of 8: ip6t_hbh never matches.
	{ name: "txlate hbh len 22 never matches", fam: "ip6", rule: "-m hbh --hbh-len 22", nft: [], codes: ["lossy_translation"] },
	// upstream: `hbh hdrlength != 22`; ip6t_hbh matches every packet that has the header.
	{ name: "txlate hbh ! len 22: every packet with the header", fam: "ip6", rule: "-m hbh ! --hbh-len 22", nft: ["exthdr hbh exists"] },
	{ name: "hbh largest length", fam: "ip6", rule: "-m hbh --hbh-len 2048 -j DROP", nft: ["hbh hdrlength 255 drop"] },
	{ name: "hbh len 0 never matches", fam: "ip6", rule: "-m hbh --hbh-len 0 -j DROP", nft: [], codes: ["lossy_translation"] },
	{ name: "dst len 8 = raw 0", fam: "ip6", rule: "-m dst --dst-len 8 -j DROP", nft: ["dst hdrlength 0 drop"] },
	{ name: "dst ! len 42", fam: "ip6", rule: "-m dst ! --dst-len 42 -j DROP", nft: ["exthdr dst exists drop"] },
	{ name: "hbh opts refused", fam: "ip6", rule: "-m hbh --hbh-len 42 --hbh-opts 1:2,23:42 -j DROP", nft: [], codes: ["inexpressible"] },
	{ name: "dst opts refused", fam: "ip6", rule: "-m dst --dst-opts 149:92 -j DROP", nft: [], codes: ["inexpressible"] },
	// ----- mh: xt_mh drops an MH whose Payload Proto is not 59 before it looks at the type
	{ name: "txlate mh type 1", fam: "ip6", rule: "-p mh --mh-type 1 -j ACCEPT", nft: ["mh nexthdr != 59 drop", "mh type 1 accept"] },
	{ name: "txlate mh type 1:3", fam: "ip6", rule: "-p mh --mh-type 1:3 -j ACCEPT", nft: ["mh nexthdr != 59 drop", "mh type 1-3 accept"] },
	{ name: "txlate mh type 0:255: the header exists", fam: "ip6", rule: "-p mh --mh-type 0:255 -j ACCEPT", nft: ["mh nexthdr != 59 drop", "exthdr mh exists accept"] },
	{ name: "txlate mh ! type 0:255: only the hotdrop is left", fam: "ip6", rule: "-p mh ! --mh-type 0:255 -j ACCEPT", nft: ["mh nexthdr != 59 drop"], codes: ["lossy_translation"] },
	{ name: "mh names, negated", fam: "ip6", rule: "-p mobility-header -m mh ! --mh-type binding-update:binding-error -j DROP", nft: ["mh nexthdr != 59 drop", "mh type != 5-7 drop"] },
	{
		name: "mh guard keeps the conditions before the match only",
		fam: "ip6",
		rule: "-s 2001:db8::/32 -p mh -m comment --comment x -m mh --mh-type 5 -m limit --limit 1/sec -j ACCEPT",
		nft: ['ip6 saddr 2001:db8::/32 mh nexthdr != 59 drop comment "x"', 'ip6 saddr 2001:db8::/32 mh type 5 limit rate 1/second burst 5 packets accept comment "x"'],
	},
	{ name: "mh after a stateful match refused", fam: "ip6", rule: "-p mh -m limit --limit 1/sec -m mh --mh-type 5 -j ACCEPT", nft: [], codes: ["inexpressible"] },
	// The guard and the rule would each draw their own random number: not xt_mh's one draw.
	{ name: "mh after a random match refused", fam: "ip6", rule: "-p mh -m statistic --mode random --probability 0.5 -m mh --mh-type 5 -j ACCEPT", nft: [], codes: ["inexpressible"] },
	// upstream: `exthdr mh exists`; the kernel refuses -m mh without -p mh.
	{ name: "txlate -m mh without -p mh", fam: "ip6", rule: "-m mh --mh-type 0:255 -j ACCEPT", nft: [], codes: ["protocol_required"] },
	// ----- ipcomp: 16-bit CPI, transport payload (never a later fragment)
	{ name: "ipcomp cpi (txlate with -p ipcomp)", fam: "ip", rule: "-p ipcomp -m ipcomp --ipcompspi 0x12 -j ACCEPT", nft: ["comp cpi 18 accept"] },
	{ name: "ipcomp cpi negated (txlate with -p ipcomp)", fam: "ip", rule: "-p ipcomp -m ipcomp ! --ipcompspi 0x12 -j ACCEPT", nft: ["comp cpi != 18 accept"] },
	{ name: "ipcomp range clipped to 16 bits", fam: "ip", rule: "-p ipcomp -m ipcomp --ipcompspi 1000:4294967295 -j DROP", nft: ["comp cpi 1000-65535 drop"] },
	{ name: "ipcomp cpi above 16 bits never matches", fam: "ip", rule: "-p ipcomp -m ipcomp --ipcompspi 70000 -j DROP", nft: [], codes: ["lossy_translation"] },
	{ name: "ipcomp negated above 16 bits: every first fragment", fam: "ip", rule: "-p ipcomp -m ipcomp ! --ipcompspi 70000:80000 -j DROP", nft: ["comp cpi 0-65535 drop"] },
	{ name: "ipcomp --compres is ignored (as the kernel does)", fam: "ip6", rule: "-p ipcomp -m ipcomp --compres -j DROP", nft: ["comp cpi 0-65535 drop"] },
	{ name: "ip6 ipcomp range", fam: "ip6", rule: "-p ipcomp -m ipcomp --ipcompspi 3:4 -j DROP", nft: ["comp cpi 3-4 drop"] },
	{ name: "txlate -m ipcomp without -p ipcomp", fam: "ip", rule: "-m ipcomp --ipcompspi 0x12 -j ACCEPT", nft: [], codes: ["protocol_required"] },
	// ----- tcpmss: no MSS option yields the invert flag
	{ name: "tcpmss (txlate with -p tcp)", fam: "ip", rule: "-p tcp -m tcpmss --mss 42", nft: ["tcp option maxseg size 42"] },
	{ name: "tcpmss range (txlate with -p tcp)", fam: "ip", rule: "-p tcp -m tcpmss --mss 42:1024", nft: ["tcp option maxseg size 42-1024"] },
	// upstream: `tcp option maxseg size != 42`, which misses every packet without an MSS option.
	{ name: "tcpmss negated (txlate with -p tcp)", fam: "ip", rule: "-p tcp -m tcpmss ! --mss 42", nft: ["ip protocol tcp tcp option maxseg missing", "ip protocol tcp tcp option maxseg size != 42"] },
	{ name: "tcpmss negated range (txlate with -p tcp)", fam: "ip", rule: "-p tcp -m tcpmss ! --mss 1461:65535 -j DROP", nft: ["ip protocol tcp tcp option maxseg missing drop", "ip protocol tcp tcp option maxseg size != 1461-65535 drop"] },
	{ name: "tcpmss full range: the option exists", fam: "ip6", rule: "-p tcp -m tcpmss --mss : -j DROP", nft: ["tcp option maxseg exists drop"] },
	{ name: "tcpmss negated full range: the option is missing", fam: "ip6", rule: "-p tcp -m tcpmss ! --mss 0:65535 -j DROP", nft: ["meta l4proto tcp tcp option maxseg missing drop"] },
	{ name: "txlate -m tcpmss without -p tcp", fam: "ip", rule: "-m tcpmss --mss 42", nft: [], codes: ["protocol_required"] },
	// ----- ipv6header --soft: the chain has these headers (negated: none of them)
	{ name: "ipv6header route --soft", fam: "ip6", rule: "-m ipv6header --header ipv6-route --soft -j DROP", nft: ["exthdr rt exists drop"] },
	{ name: "ipv6header several --soft", fam: "ip6", rule: "-m ipv6header --header hop,dst,frag --soft -j DROP", nft: ["exthdr hbh exists exthdr dst exists exthdr frag exists drop"] },
	{ name: "ipv6header negated --soft", fam: "ip6", rule: "-m ipv6header ! --header route,frag --soft -j ACCEPT", nft: ["exthdr rt missing exthdr frag missing accept"] },
	{ name: "ipv6header esp --soft", fam: "ip6", rule: "-m ipv6header --header esp --soft -j DROP", nft: ["meta l4proto esp drop"] },
	{ name: "ipv6header upper-layer protocol --soft", fam: "ip6", rule: "-m ipv6header --header prot --soft -j DROP", nft: ["meta l4proto != esp meta l4proto != 59 drop"] },
	{ name: "ipv6header no upper-layer protocol --soft", fam: "ip6", rule: "-m ipv6header ! --header protocol --soft -j DROP", nft: ["meta l4proto { esp, 59 } drop"] },
	{ name: "ipv6header exact set refused (AH)", fam: "ip6", rule: "-m ipv6header --header hop-by-hop -j DROP", nft: [], codes: ["inexpressible"] },
	{ name: "ipv6header auth refused", fam: "ip6", rule: "-m ipv6header --header auth --soft -j DROP", nft: [], codes: ["inexpressible"] },
];

function save(rule: string): string {
	return `*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${rule}\nCOMMIT\n`;
}

/** The rule lines of the one chain (two tabs deep, not the base-chain line). */
function ruleLines(out: string): string[] {
	return out
		.split("\n")
		.filter((l) => /^\t\t\S/.test(l) && !l.startsWith("\t\ttype "))
		.map((l) => l.trim());
}

describe("hbh / dst / mh / ipcomp / tcpmss lowering", () => {
	for (const c of CASES) {
		it(c.name, () => {
			const r = compile(save(c.rule), { file: "t.rules", family: c.fam });
			expect(r.diagnostics.map((d) => d.code)).toEqual(c.codes ?? []);
			expect(ruleLines(r.output)).toEqual(c.nft);
			if (c.nft.length === 0) return;
			expect(nftCheck(r.output).stderr).toBe("");
			const json = compile(save(c.rule), { file: "t.rules", family: c.fam, outputFormat: "json" });
			expect(nftCheck(json.output, { json: true }).stderr).toBe("");
		});
	}
	it("hints say what to do instead", () => {
		const opts = compile(save("-m hbh --hbh-opts 1:2 -j DROP"), { file: "t.rules", family: "ip6" });
		expect(opts.diagnostics[0]?.hint).toMatch(/hbh hdrlength/);
		const mh = compile(save("-m mh --mh-type 1 -j DROP"), { file: "t.rules", family: "ip6" });
		expect(mh.diagnostics[0]?.hint).toMatch(/-p mh/);
	});
});

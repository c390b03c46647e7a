/**
 * Simulator semantics of -m hbh / dst / mh / ipcomp / tcpmss / ipv6header: ipt2nft's translation verifies
 * equal, and a translation off by one value (or upstream's translation, where it differs) is
 * caught, so the corpus reaches the edges of each match on both sides: options header lengths,
 * MH types and Payload Proto (xt_mh's hotdrop), 16-bit CPIs, MSS values and packets without an
 * MSS option, later fragments.
 */
import { describe, expect, it } from "vitest";
import { expectExactWithMutantsCaught, nftText, verifyCase as run, type ExtCase } from "./harness.js";

interface Case extends ExtCase {
	readonly name: string;
	readonly fam: "ip" | "ip6";
	readonly rule: string;
	/** nft rules that decide differently for some packet: each must verify different. */
	readonly mutants: readonly (readonly string[])[];
	readonly conntrack?: boolean;
}

const CASES: readonly Case[] = [
	{ name: "hbh len", fam: "ip6", rule: "-m hbh --hbh-len 16 -j DROP", mutants: [["hbh hdrlength 2 drop"], ["hbh hdrlength 16 drop"]] },
	{ name: "hbh len negated", fam: "ip6", rule: "-m hbh ! --hbh-len 16 -j DROP", mutants: [["exthdr hbh exists drop"], ["hbh hdrlength != 0 drop"]] },
	{ name: "hbh exists", fam: "ip6", rule: "-m hbh -j DROP", mutants: [["exthdr dst exists drop"], ["hbh hdrlength 0 drop"]] },
	// upstream's txlate: `hbh hdrlength 22` / `hbh hdrlength != 22` read the raw field.
	{ name: "hbh len 22 never matches", fam: "ip6", rule: "-m hbh --hbh-len 22 -j DROP", mutants: [["hbh hdrlength 22 drop"]] },
	{ name: "hbh ! len 22 matches every header", fam: "ip6", rule: "-m hbh ! --hbh-len 22 -j DROP", mutants: [["hbh hdrlength != 22 drop"]] },
	{ name: "dst len", fam: "ip6", rule: "-m dst --dst-len 24 -j DROP", mutants: [["dst hdrlength 3 drop"], ["hbh hdrlength 2 drop"]] },
	{ name: "mh type range", fam: "ip6", rule: "-p mh -m mh --mh-type 1:3 -j DROP", mutants: [["mh nexthdr != 59 drop", "mh type 1-4 drop"], ["mh nexthdr != 59 drop", "mh type 0-3 drop"]] },
	// upstream: no drop of MHs whose Payload Proto is not 59.
	{ name: "mh hotdrop", fam: "ip6", rule: "-p mh -m mh --mh-type 5 -j ACCEPT", mutants: [["mh type 5 accept"], ["mh nexthdr != 58 drop", "mh type 5 accept"]] },
	{ name: "mh ! 0:255 still hotdrops", fam: "ip6", rule: "-p mh ! --mh-type 0:255 -j DROP", mutants: [["mh type != 0-255 drop"]] },
	{ name: "mh on later fragments", fam: "ip6", rule: "-p mh -m mh ! --mh-type 5 -j DROP", mutants: [["mh nexthdr != 59 drop", "meta l4proto 135 mh type != 5 drop", "meta l4proto 135 exthdr mh missing drop"]], conntrack: false },
	{ name: "ipcomp cpi", fam: "ip", rule: "-p ipcomp -m ipcomp --ipcompspi 18 -j DROP", mutants: [["comp cpi 19 drop"], ["comp cpi 17-18 drop"]] },
	{ name: "ipcomp cpi negated", fam: "ip", rule: "-p ipcomp -m ipcomp ! --ipcompspi 0x12 -j DROP", mutants: [["comp cpi != 17 drop"]] },
	{ name: "ipcomp range clipped", fam: "ip6", rule: "-p ipcomp -m ipcomp --ipcompspi 1000:4294967295 -j DROP", mutants: [["comp cpi 1000-65534 drop"], ["comp cpi 1001-65535 drop"]] },
	{ name: "ipcomp never on later fragments", fam: "ip", rule: "-p ipcomp -m ipcomp ! --ipcompspi 70000 -j DROP", mutants: [["ip protocol 108 drop"]], conntrack: false },
	{ name: "tcpmss range", fam: "ip", rule: "-p tcp -m tcpmss --mss 42:1024 -j DROP", mutants: [["tcp option maxseg size 42-1023 drop"], ["tcp option maxseg size 43-1024 drop"]] },
	// upstream: `tcp option maxseg size != 42` misses packets without an MSS option; without the
	// protocol `tcp option maxseg missing` also takes every UDP packet.
	{
		name: "tcpmss negated",
		fam: "ip",
		rule: "-p tcp -m tcpmss ! --mss 42 -j DROP",
		mutants: [["tcp option maxseg size != 42 drop"], ["tcp option maxseg missing drop", "tcp option maxseg size != 42 drop"], ["ip protocol tcp tcp option maxseg missing drop", "tcp option maxseg size != 41 drop"]],
	},
	{ name: "tcpmss negated, later fragments", fam: "ip6", rule: "-p tcp -m tcpmss ! --mss 1461:65535 -j DROP", mutants: [["meta l4proto tcp tcp option maxseg size != 1461-65535 drop"]], conntrack: false },
	{ name: "tcpmss full range: option present", fam: "ip6", rule: "-p tcp -m tcpmss --mss : -j DROP", mutants: [["tcp option maxseg size 0-65534 drop"], ["meta l4proto tcp drop"]] },
	{ name: "ipv6header route --soft", fam: "ip6", rule: "-m ipv6header --header route --soft -j DROP", mutants: [["exthdr dst exists drop"], ["exthdr rt missing drop"]] },
	{ name: "ipv6header hop,frag --soft, fragments", fam: "ip6", rule: "-m ipv6header --header hop,frag --soft -j DROP", mutants: [["exthdr hbh exists drop"], ["exthdr frag exists drop"]], conntrack: false },
	{ name: "ipv6header negated --soft", fam: "ip6", rule: "-m ipv6header ! --header dst,none --soft -j DROP", mutants: [["exthdr dst missing drop"], ["exthdr dst missing meta l4proto != 50 drop"]] },
	{ name: "ipv6header protocol --soft", fam: "ip6", rule: "-m ipv6header --header prot --soft -j DROP", mutants: [["meta l4proto != 50 drop"], ["meta l4proto != 59 drop"]] },
	{ name: "ipv6header no protocol --soft", fam: "ip6", rule: "-m ipv6header ! --header prot --soft -j DROP", mutants: [["meta l4proto 59 drop"], ["meta l4proto { 50, 51, 59 } drop"]] },
];

describe("hbh / dst / mh / ipcomp / tcpmss semantics: translation equal, mutants caught", () => {
	for (const c of CASES) {
		it(c.name, () => {
			expectExactWithMutantsCaught(c, c.mutants);
		});
	}
});

describe("what `nft list ruleset` prints reads back the same", () => {
	it("mh names (mh_type, ipv6-nonxt) as the kernel listed our translation", () => {
		const c: Case = { name: "mh listed", fam: "ip6", rule: "-p mh -m mh --mh-type 1 -j DROP", mutants: [] };
		// Listed by nft 1.0.6 from `mh nexthdr != 59 drop` / `mh type 1 drop` in a netns.
		expect(run(c, nftText(c, ["mh nexthdr != ipv6-nonxt drop", "mh type home-test-init drop"])).equal).toBe(true);
		expect(run(c, nftText(c, ["mh nexthdr != ipv6-nonxt drop", "mh type careof-test-init drop"])).equal).toBe(false);
	});
});

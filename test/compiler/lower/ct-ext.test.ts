/**
 * Lowering goldens for connbytes, connlabel and cluster (iptables rule -> exact nft rules), each
 * output checked with the real `nft -c`. Where upstream's txlate output is not exact the case
 * says why.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { nftCheck } from "../../helpers/nft-check.js";

interface Case {
	readonly name: string;
	readonly fam?: "ip" | "ip6";
	readonly table?: string;
	readonly chain?: string;
	readonly rule: string;
	/** The rule lines of the chain, in order (empty with `codes`). */
	readonly nft: readonly string[];
	/** Error/warning codes expected (errors: no output). */
	readonly codes?: readonly string[];
}

const CASES: readonly Case[] = [
	// ----- connbytes (xt_connbytes: from <= x <= to; `!` swaps the ends)
	{ name: "connbytes packets original ge", chain: "OUTPUT", rule: "-m connbytes --connbytes 200 --connbytes-dir original --connbytes-mode packets", nft: ["ct original packets >= 200"] },
	{ name: "connbytes ! packets reply: lt", chain: "OUTPUT", rule: "-m connbytes ! --connbytes 200 --connbytes-dir reply --connbytes-mode packets", nft: ["ct reply packets < 200"] },
	{ name: "connbytes bytes both range", chain: "OUTPUT", rule: "-m connbytes --connbytes 200:600 --connbytes-dir both --connbytes-mode bytes", nft: ["ct bytes 200-600"] },
	{ name: "connbytes ! bytes both range", chain: "OUTPUT", rule: "-m connbytes ! --connbytes 200:600 --connbytes-dir both --connbytes-mode bytes", nft: ["ct bytes != 200-600"] },
	{ name: "connbytes avgpkt single", chain: "OUTPUT", rule: "-m connbytes --connbytes 200:200 --connbytes-dir both --connbytes-mode avgpkt", nft: ["ct avgpkt 200"] },
	// The kernel keeps (from, to) = (200, 200) for `!`: the inversion is lost, as in iptables.
	{ name: "connbytes ! A:A is A:A", chain: "OUTPUT", rule: "-m connbytes ! --connbytes 200:200 --connbytes-dir original --connbytes-mode avgpkt", nft: ["ct original avgpkt 200"] },
	// Every counter passes, but only packets with a conntrack entry: the test stays.
	{ name: "connbytes 0: needs an entry", chain: "OUTPUT", rule: "-m connbytes --connbytes 0 --connbytes-dir original --connbytes-mode packets -j ACCEPT", nft: ["ct original packets >= 0 accept"] },
	{ name: "connbytes :B", chain: "INPUT", rule: "-m connbytes --connbytes :3 --connbytes-dir original --connbytes-mode packets -j DROP", nft: ["ct original packets 0-3 drop"] },
	{ name: "connbytes ! 0 never matches", chain: "INPUT", rule: "-m connbytes ! --connbytes 0 --connbytes-dir original --connbytes-mode packets -j DROP", nft: [], codes: ["lossy_translation"] },
	{ name: "connbytes ! 0:B", chain: "INPUT", rule: "-m connbytes ! --connbytes 0:10 --connbytes-dir reply --connbytes-mode bytes -j DROP", nft: ["ct reply bytes > 10 drop"] },
	{ name: "connbytes u64 max", chain: "INPUT", rule: "-m connbytes --connbytes 18446744073709551615 --connbytes-dir both --connbytes-mode bytes -j DROP", nft: ["ct bytes 18446744073709551615 drop"] },
	{ name: "connbytes ip6", fam: "ip6", chain: "FORWARD", rule: "-p tcp -m connbytes --connbytes 10:20 --connbytes-dir original --connbytes-mode packets -j ACCEPT", nft: ["meta l4proto tcp ct original packets 10-20 accept"] },
	// ----- connlabel
	{ name: "connlabel", chain: "INPUT", rule: "-m connlabel --label 40", nft: ["ct label 40"], codes: ["assumed_host_state"] },
	{ name: "connlabel set", chain: "INPUT", rule: "-m connlabel --label 40 --set -j ACCEPT", nft: ["ct label set 40 ct label 40 accept"] },
	// xt_connlabel returns the inversion without a conntrack entry; nft's `ct label` BREAKs there.
	{ name: "connlabel ! (no entry matches)", chain: "INPUT", rule: "-m connlabel ! --label 40 -j DROP", nft: ["ct state invalid,untracked drop", "ct label & 40 != 40 drop"], codes: ["assumed_host_state"] },
	// Upstream gives only the second rule: packets without an entry would no longer match.
	{ name: "connlabel ! --set", chain: "INPUT", rule: "-m connlabel ! --label 40 --set", nft: ["ct state invalid,untracked", "ct label set 40 ct label & 40 != 40"] },
	{ name: "connlabel 127", fam: "ip6", chain: "FORWARD", rule: "-m connlabel --label 127 -j ACCEPT", nft: ["ct label 127 accept"], codes: ["assumed_host_state"] },
	// ----- cluster
	{
		name: "cluster node 1 of 2",
		table: "mangle",
		chain: "PREROUTING",
		rule: "-i eth1 -m cluster --cluster-total-nodes 2 --cluster-local-node 1 --cluster-hash-seed 0xdeadbeef -j MARK --set-mark 0xffff",
		nft: ['iifname "eth1" meta pkttype multicast ip daddr != 224.0.0.0/4 meta pkttype set host', 'iifname "eth1" jhash ct original ip saddr mod 2 seed 0xdeadbeef 0 meta mark set 0x0000ffff'],
		codes: ["assumed_host_state"],
	},
	{
		name: "cluster nodemask",
		table: "mangle",
		chain: "PREROUTING",
		rule: "-i eth1 -m cluster --cluster-total-nodes 7 --cluster-local-nodemask 9 --cluster-hash-seed 0xdeadbeef -j MARK --set-mark 0xffff",
		nft: ['iifname "eth1" meta pkttype multicast ip daddr != 224.0.0.0/4 meta pkttype set host', 'iifname "eth1" jhash ct original ip saddr mod 7 seed 0xdeadbeef { 0, 3 } meta mark set 0x0000ffff'],
		codes: ["assumed_host_state"],
	},
	{ name: "cluster inverted", table: "mangle", chain: "PREROUTING", rule: "-m cluster ! --cluster-local-node 3 --cluster-total-nodes 4 --cluster-hash-seed 7 -j DROP", nft: ["meta pkttype multicast ip daddr != 224.0.0.0/4 meta pkttype set host", "jhash ct original ip saddr mod 4 seed 0x00000007 != 2 drop"], codes: ["assumed_host_state"] },
	// xt_cluster hashes only the first 32 bits of an IPv6 source (checked on the kernel): no nft equivalent.
	{ name: "cluster ip6 refused", fam: "ip6", table: "mangle", chain: "PREROUTING", rule: "-m cluster --cluster-local-node 3 --cluster-total-nodes 4 --cluster-hash-seed 7 -j DROP", nft: [], codes: ["inexpressible"] },
	{ name: "cluster after pkttype refused", table: "mangle", chain: "PREROUTING", rule: "-m pkttype --pkt-type multicast -m cluster --cluster-total-nodes 2 --cluster-local-node 1 --cluster-hash-seed 1 -j ACCEPT", nft: [], codes: ["assumed_host_state", "inexpressible"] },
];

function saveText(c: Case): string {
	const table = c.table ?? "filter";
	const chain = c.chain ?? "INPUT";
	return `*${table}\n:${chain} ACCEPT [0:0]\n-A ${chain} ${c.rule}\nCOMMIT\n`;
}

/** The rule lines of the output (indented lines that are not declarations). */
function ruleLines(out: string): string[] {
	return out
		.split("\n")
		.map((l) => l.trim())
		.filter((l) => l !== "" && !/^(table|chain|type|policy|flags|\}|#)/.test(l) && !l.endsWith("{"));
}

describe("connbytes / connlabel / cluster lowering", () => {
	for (const c of CASES) {
		it(c.name, () => {
			const out = compile(saveText(c), { file: "t.rules", ...(c.fam === "ip6" ? { family: "ip6" as const } : {}) });
			const codes = out.diagnostics.filter((d) => d.severity !== "note").map((d) => d.code);
			expect(codes).toEqual(c.codes ?? []);
			const errors = out.diagnostics.some((d) => d.severity === "error");
			if (errors) return;
			expect(ruleLines(out.output)).toEqual(c.nft);
			const check = nftCheck(out.output);
			expect(check.stderr).toBe("");
			expect(check.ok).toBe(true);
		});
	}
});

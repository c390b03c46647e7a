/**
 * Simulator semantics of connbytes, connlabel and cluster (conntrack counters, labels and the
 * jhash of the connection): ipt2nft's translation verifies equal, and an nft rule with one value
 * moved verifies different (the corpus reaches the edges on both sides). Also: the jhash
 * implementation against lookup3's published vectors, and the upstream translations that are not
 * exact are shown to differ.
 */
import { describe, expect, it } from "vitest";
import { expectExactWithMutantsCaught, nftText, verifyCase as run, type ExtCase } from "./harness.js";
import { addrBytes, jhash, jhash1word, jhash2, reciprocalScale } from "../../../../compiler/sim/jhash.js";
import { clusterHash } from "../../../../compiler/sim/ipt/match/cluster.js";

interface Case extends ExtCase {
	readonly name: string;
	readonly fam: "ip" | "ip6";
	readonly table: string;
	readonly chain: string;
	readonly rule: string;
	/** nft rule lines with one value moved: must verify different. */
	readonly mutant: readonly string[];
}

const CASES: readonly Case[] = [
	{ name: "connbytes packets original ge", fam: "ip", table: "filter", chain: "INPUT", rule: "-m connbytes --connbytes 200 --connbytes-dir original --connbytes-mode packets -j DROP", mutant: ["ct original packets >= 201 drop"] },
	{ name: "connbytes first packets (flows count their own)", fam: "ip", table: "filter", chain: "FORWARD", rule: "-m connbytes --connbytes 0:1 --connbytes-dir both --connbytes-mode packets -j DROP", mutant: ["ct packets 0-2 drop"] },
	{ name: "connbytes ! reply packets", fam: "ip", table: "filter", chain: "INPUT", rule: "-m connbytes ! --connbytes 200 --connbytes-dir reply --connbytes-mode packets -j DROP", mutant: ["ct reply packets <= 200 drop"] },
	{ name: "connbytes bytes both range", fam: "ip", table: "filter", chain: "INPUT", rule: "-m connbytes --connbytes 200:600 --connbytes-dir both --connbytes-mode bytes -j DROP", mutant: ["ct bytes 200-599 drop"] },
	{ name: "connbytes ! bytes both range", fam: "ip", table: "filter", chain: "INPUT", rule: "-m connbytes ! --connbytes 200:600 --connbytes-dir both --connbytes-mode bytes -j DROP", mutant: ["ct bytes != 201-600 drop"] },
	{ name: "connbytes original bytes low edge", fam: "ip", table: "filter", chain: "INPUT", rule: "-m connbytes --connbytes 100:5000 --connbytes-dir original --connbytes-mode bytes -j DROP", mutant: ["ct original bytes 101-5000 drop"] },
	{ name: "connbytes avgpkt single", fam: "ip", table: "filter", chain: "INPUT", rule: "-m connbytes --connbytes 200:200 --connbytes-dir both --connbytes-mode avgpkt -j DROP", mutant: ["ct avgpkt 201 drop"] },
	{ name: "connbytes avgpkt reply range", fam: "ip6", table: "filter", chain: "INPUT", rule: "-m connbytes --connbytes 500:900 --connbytes-dir reply --connbytes-mode avgpkt -j DROP", mutant: ["ct reply avgpkt 500-901 drop"] },
	{ name: "connbytes dir matters", fam: "ip", table: "filter", chain: "INPUT", rule: "-m connbytes --connbytes 3 --connbytes-dir original --connbytes-mode packets -j DROP", mutant: ["ct reply packets >= 3 drop"] },
	{ name: "connbytes needs an entry", fam: "ip", table: "filter", chain: "INPUT", rule: "-m connbytes --connbytes 0 --connbytes-dir original --connbytes-mode packets -j DROP", mutant: ["drop"] },
	{ name: "connlabel", fam: "ip", table: "filter", chain: "INPUT", rule: "-m connlabel --label 40 -j DROP", mutant: ["ct label 41 drop"] },
	{ name: "connlabel set", fam: "ip", table: "filter", chain: "INPUT", rule: "-m connlabel --label 40 --set -j ACCEPT", mutant: ["ct label set 41 ct label 41 accept"] },
	{ name: "connlabel ! without an entry matches", fam: "ip", table: "filter", chain: "INPUT", rule: "-m connlabel ! --label 3 -j DROP", mutant: ["ct label & 3 != 3 drop"] },
	{ name: "connlabel ! --set", fam: "ip6", table: "filter", chain: "INPUT", rule: "-m connlabel ! --label 40 --set -j DROP", mutant: ["ct label set 40 ct label & 40 != 40 drop"] },
	{ name: "connlabel set persists for the flow", fam: "ip", table: "filter", chain: "FORWARD", rule: "-m connlabel --label 9 --set", mutant: ["ct label set 8"] },
	{ name: "cluster node", fam: "ip", table: "mangle", chain: "PREROUTING", rule: "-m cluster --cluster-total-nodes 2 --cluster-local-node 1 --cluster-hash-seed 0xdeadbeef -j DROP", mutant: ["meta pkttype multicast ip daddr != 224.0.0.0/4 meta pkttype set host", "jhash ct original ip saddr mod 2 seed 0xdeadbeef 1 drop"] },
	{ name: "cluster seed", fam: "ip", table: "mangle", chain: "PREROUTING", rule: "-m cluster --cluster-total-nodes 7 --cluster-local-nodemask 9 --cluster-hash-seed 0xdeadbeef -j DROP", mutant: ["meta pkttype multicast ip daddr != 224.0.0.0/4 meta pkttype set host", "jhash ct original ip saddr mod 7 seed 0xdeadbeee { 0, 3 } drop"] },
	{ name: "cluster inverted", fam: "ip", table: "mangle", chain: "PREROUTING", rule: "-m cluster ! --cluster-local-node 3 --cluster-total-nodes 4 --cluster-hash-seed 7 -j DROP", mutant: ["meta pkttype multicast ip daddr != 224.0.0.0/4 meta pkttype set host", "jhash ct original ip saddr mod 4 seed 0x00000007 != 3 drop"] },
	{ name: "cluster pkttype rewrite whatever the hash", fam: "ip", table: "mangle", chain: "PREROUTING", rule: "-m cluster --cluster-total-nodes 4 --cluster-local-node 2 --cluster-hash-seed 1 -j MARK --set-mark 1", mutant: ["jhash ct original ip saddr mod 4 seed 0x00000001 1 meta pkttype set host meta mark set 0x00000001"] },
];

describe("conntrack extensions: translation equal, one-value mutant caught", () => {
	for (const c of CASES) {
		it(c.name, () => {
			expectExactWithMutantsCaught(c, [c.mutant]);
		});
	}
});

describe("upstream translations that are not exact verify different", () => {
	const up: Case[] = [
		// iptables-translate: `! --label 40 --set` -> `ct label set 40 ct label and 40 != 40`: an invalid packet no longer matches.
		{ name: "connlabel ! --set", fam: "ip", table: "filter", chain: "INPUT", rule: "-m connlabel ! --label 40 --set -j DROP", mutant: ["ct label set 40 ct label and 40 != 40 drop"] },
		// iptables-translate: node 1 is `eq 1` (it is hash value 0) and the rewrite only follows a hit.
		{ name: "cluster node 1", fam: "ip", table: "mangle", chain: "PREROUTING", rule: "-m cluster --cluster-total-nodes 2 --cluster-local-node 1 --cluster-hash-seed 0xdeadbeef -j DROP", mutant: ["jhash ct original saddr mod 2 seed 0xdeadbeef eq 1 meta pkttype set host drop"] },
	];
	for (const c of up) it(c.name, () => expect(run(c, nftText(c, c.mutant)).equal).toBe(false));
	it("ip6: a full-address jhash is not xt_cluster's one-word hash (ipt2nft refuses)", () => {
		const c: Case = { name: "", fam: "ip6", table: "mangle", chain: "PREROUTING", rule: "-m cluster --cluster-local-node 1 --cluster-total-nodes 2 --cluster-hash-seed 7 -j DROP", mutant: ["meta pkttype multicast ip6 daddr != ff00::/8 meta pkttype set host", "jhash ct original ip6 saddr mod 2 seed 0x00000007 0 drop"] };
		expect(run(c, nftText(c, c.mutant)).equal).toBe(false);
	});
});

describe("jhash (lookup3 as include/linux/jhash.h has it)", () => {
	const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
	it("matches lookup3's published hashlittle vectors", () => {
		// lookup3.c driver5: hashlittle("", 0, 0) = deadbeef, ("", 0, deadbeef) = bd5b7dde,
		// ("Four score and seven years ago", 30, 0) = 17770551, (…, 1) = cd628161.
		expect(jhash(bytes(""), 0)).toBe(0xdeadbeef);
		expect(jhash(bytes(""), 0xdeadbeef)).toBe(0xbd5b7dde);
		expect(jhash(bytes("Four score and seven years ago"), 0)).toBe(0x17770551);
		expect(jhash(bytes("Four score and seven years ago"), 1)).toBe(0xcd628161);
	});
	it("jhash_1word / jhash2 equal jhash over the same little-endian bytes", () => {
		const b = new Uint8Array([10, 0, 0, 1]);
		expect(jhash1word(0x0100000a, 0xdeadbeef)).toBe(jhash(b, 0xdeadbeef));
		const b16 = new Uint8Array(16).map((_, i) => (i * 37 + 11) & 0xff);
		const words = [0, 4, 8, 12].map((i) => (b16[i]! | (b16[i + 1]! << 8) | (b16[i + 2]! << 16) | (b16[i + 3]! << 24)) >>> 0);
		expect(jhash2(words, 7)).toBe(jhash(b16, 7));
	});
	it("xt_cluster's node for IPv6 sources hashes the first 32 bits only (as measured on the kernel)", () => {
		// Kernel run (ip6tables-legacy, 13 nodes, seed 7): fd00::2, fd00::10, fd00::abcd:1, fd00::77 all hit node 11.
		for (const s of [0xfd00n << 112n | 2n, 0xfd00n << 112n | 0x10n, 0xfd00n << 112n | 0xabcd0001n]) expect(clusterHash(6, s, 7, 13)).toBe(10);
		// and nft's `jhash ct original ip6 saddr mod 13 seed 7` gave 4, 0, 7 for the first three.
		expect([2n, 0x10n, 0xabcd0001n].map((x) => reciprocalScale(jhash(addrBytes(6, (0xfd00n << 112n) | x), 7), 13))).toEqual([4, 0, 7]);
	});
	it("IPv4: the kernel's nodes for seed 0xdeadbeef, 32 nodes (nft jhash and xt_cluster agreed)", () => {
		const got = ["10.99.0.2", "10.99.0.10", "10.99.0.12", "10.99.0.13", "10.99.0.77"].map((s) => clusterHash(4, BigInt(s.split(".").reduce((a, b) => a * 256 + Number(b), 0)), 0xdeadbeef, 32));
		expect(got).toEqual([1, 25, 27, 12, 14]);
	});
	it("reciprocal_scale", () => {
		expect(reciprocalScale(0xffffffff, 7)).toBe(6);
		expect(reciprocalScale(0x80000000, 2)).toBe(1);
		expect(reciprocalScale(0x7fffffff, 2)).toBe(0);
	});
});

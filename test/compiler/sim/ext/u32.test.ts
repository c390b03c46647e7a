/**
 * -m u32 in the simulator: the wire image both sides read (sim/wire.ts), xt_u32's evaluation on it
 * (pointer moves, bounds, `!`), and differential runs: ipt2nft's translation verifies equal and a
 * translation with one value moved verifies DIFFERENT (the corpus reaches the edges on both sides).
 */
import { describe, expect, it } from "vitest";
import { expectExactWithMutantsCaught, nftText, verifyCase as run, type ExtCase } from "./harness.js";
import { makePacket } from "../../../../compiler/sim/make.js";
import { packetBytes, packetWire, readU32 } from "../../../../compiler/sim/wire.js";
import { compileU32 } from "../../../../compiler/sim/ipt/match/u32.js";
import { parseU32Text } from "../../../../grammar/iptables/ext/u32match.js";
import type { U32Match } from "../../../../compiler/ir/ipt.js";

function u32(text: string, neg = false): U32Match {
	const r = parseU32Text(text);
	if (!r.ok) throw new Error(r.message);
	return { kind: "u32", tests: r.tests, neg };
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

describe("wire image", () => {
	it("IPv4 header fields, a valid checksum, the TCP header with options", () => {
		const p = makePacket({ length: 100, dscp: 10, ecn: 1, ttl: 7, moreFragments: true, tcpOptions: [2, 4], mss: 1400, tcpFlags: 0x12 });
		const b = packetBytes(p);
		expect(b.length).toBe(100);
		expect([...b.slice(0, 12)]).toEqual([0x45, 41, 0, 100, 0, 0, 0x20, 0, 7, 6, ...[...b.slice(10, 12)]]);
		let sum = 0;
		for (let i = 0; i < 20; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
		while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
		expect(sum).toBe(0xffff);
		expect(readU32(b, 12)).toBe(0xc0000201);
		expect(readU32(b, 20)).toBe(((40000 << 16) | 80) >>> 0);
		expect(b[32]! >> 4).toBe(7); // 20 + 8 bytes of options
		expect(b[33]).toBe(0x12);
		expect([...b.slice(40, 48)]).toEqual([2, 4, 0x05, 0x78, 4, 2, 0, 0]);
		expect(packetWire(p)).toMatchObject({ thoff: 20, payloadOff: 48, l3len: 20 });
	});
	it("later fragments have no transport header; IPv6 with a fragment header", () => {
		expect(packetWire(makePacket({ fragOffset: 3 })).thoff).toBeUndefined();
		const w = packetWire(makePacket({ fam: 6, proto: 17, length: 80, fragOffset: 0, moreFragments: true, fragId: 9 }));
		expect(w.bytes[6]).toBe(44);
		expect(w.bytes[40]).toBe(17);
		expect(readU32(w.bytes, 44)).toBe(9);
		expect(w.thoff).toBe(48);
		expect(readU32(w.bytes, 4)! >>> 16).toBe(40);
	});
	it("a packet shorter than its headers is cut at its length", () => {
		expect(packetBytes(makePacket({ length: 22 })).length).toBe(22);
	});
});

describe("xt_u32 evaluation", () => {
	const get = makePacket({ length: 60, payload: ascii("GET ") });
	const post = makePacket({ length: 60, payload: ascii("POST") });
	const http = u32("0>>22&0x3C@12>>26&0x3C@0>>24=0x47");
	it("TCP payload starts with G (IHL and data-offset skips)", () => {
		expect(compileU32(http)(get, undefined as never, undefined as never)).toBe(true);
		expect(compileU32(http)(post, undefined as never, undefined as never)).toBe(false);
		// Options move the payload; the data-offset skip follows them.
		expect(compileU32(http)(makePacket({ length: 80, tcpOptions: [2, 3, 8], payload: ascii("G") }), undefined as never, undefined as never)).toBe(true);
	});
	it("a read past the end fails the match before ! is applied", () => {
		const short = makePacket({ length: 40, payload: [] });
		expect(compileU32(http)(short, undefined as never, undefined as never)).toBe(false);
		expect(compileU32(u32("0>>22&0x3C@12>>26&0x3C@0>>24=0x47", true))(short, undefined as never, undefined as never)).toBe(true);
		expect(compileU32(u32("36=0"))(makePacket({ length: 40 }), undefined as never, undefined as never)).toBe(true);
		expect(compileU32(u32("37=0"))(makePacket({ length: 40 }), undefined as never, undefined as never)).toBe(false);
	});
	it("fixed offsets, masks, shifts, ranges, &&", () => {
		const p = makePacket({ proto: 17, length: 300 });
		expect(compileU32(u32("6&0xFF=17"))(p, undefined as never, undefined as never)).toBe(true);
		expect(compileU32(u32("0&0xFFFF=0x100:0xFFFF"))(p, undefined as never, undefined as never)).toBe(true);
		expect(compileU32(u32("0&0xFFFF=0x100:0xFFFF"))(makePacket({ length: 255 }), undefined as never, undefined as never)).toBe(false);
		expect(compileU32(u32("0>>28=4&&8&0xFF0000>>16=6,17"))(p, undefined as never, undefined as never)).toBe(true);
		expect(compileU32(u32("0>>28=4&&8&0xFF0000>>16=6,18"))(p, undefined as never, undefined as never)).toBe(false);
		expect(compileU32(u32("0<<4>>28=5"))(p, undefined as never, undefined as never)).toBe(true);
	});
});

interface Case extends ExtCase {
	readonly name: string;
	readonly fam: "ip" | "ip6";
	readonly rule: string;
	/** The rule's nft with one value moved: must verify different. */
	readonly mutant: string;
	readonly conntrack?: boolean;
}

const CASES: readonly Case[] = [
	{ name: "protocol byte", fam: "ip", rule: '-m u32 --u32 "6&0xFF=6" -j DROP', mutant: "@nh,48,32 & 0xff == 7 drop" },
	{ name: "total length at least 256", fam: "ip", rule: '-m u32 --u32 "0&0xFFFF=0x100:0xFFFF" -j DROP', mutant: "@nh,0,32 & 0xffff == 257-65535 drop" },
	{ name: "IPv4 and TCP or UDP", fam: "ip", rule: '-m u32 --u32 "0>>28=4&&8&0xFF0000>>16=6,17" -j DROP', mutant: "@nh,0,32 & 0xf0000000 == 1073741824 @nh,64,32 & 0xff0000 == { 393216, 1179648 } drop" },
	{ name: "payload word after a UDP/TCP header", fam: "ip", rule: '-m u32 --u32 "40&0xFF=1:5,9" -j DROP', mutant: "@nh,320,32 & 0xff == { 1-5, 10 } drop" },
	{ name: "negated payload word: short packets match", fam: "ip", rule: '-m u32 ! --u32 "40&0xFF=1:5,9" -j DROP', mutant: "meta length < 43 drop\n\t\t@nh,320,32 & 0xff != { 1-5, 9 } drop" },
	{ name: "negated payload word: the value", fam: "ip", rule: '-m u32 ! --u32 "40&0xFF=1:5,9" -j DROP', mutant: "meta length < 44 drop\n\t\t@nh,320,32 & 0xff != { 1-5, 10 } drop" },
	{ name: "negated two tests", fam: "ip", rule: '-m u32 ! --u32 "6&0xFF=17&&30>>16=0x100:0x1ff" -j DROP', mutant: "@nh,48,32 & 0xff != 17 drop\n\t\t@nh,48,32 & 0xff == 17 meta length < 34 drop\n\t\t@nh,48,32 & 0xff == 17 @nh,240,32 & 0xffff0000 != 16777216-33554432 drop" },
	{ name: "left shift", fam: "ip", rule: '-m u32 --u32 "40<<8=0x100:0x2ff" -j DROP', mutant: "@nh,320,32 & 0xffffff == 1-3 drop" },
	{ name: "TCP source port behind ! -f (@th)", fam: "ip", rule: '-p tcp ! -f -m u32 --u32 "0>>22&0x3C@0>>16=80" -j DROP', mutant: "ip frag-off & 0x1fff == 0 ip protocol tcp @th,0,32 & 0xffff0000 == 5308416 drop", conntrack: false },
	{ name: "UDP destination port with conntrack (@th)", fam: "ip", rule: '-m conntrack --ctstate NEW -m u32 --u32 "0>>22&0x3C@0&0xFFFF=53" -j DROP', mutant: "ct state new @th,0,32 & 0xffff == 54 drop" },
	{
		name: "TCP payload starts with G (data-offset skip, @ih)",
		fam: "ip",
		rule: '-p tcp ! -f -m u32 --u32 "0>>22&0x3C@12>>26&0x3C@0>>24=0x47" -j DROP',
		mutant: "ip frag-off & 0x1fff == 0 ip protocol tcp @th,96,32 & 0xf0000000 >= 1073741824 @ih,0,32 & 0xff000000 == 1207959552 drop",
	},
	{ name: "TCP payload word with conntrack (@ih alone)", fam: "ip", rule: '-p tcp -m conntrack --ctstate NEW -m u32 --u32 "0>>22&0x3C@12>>26&0x3C@16=1:2" -j DROP', mutant: "ip protocol tcp ct state new @ih,128,32 1-3 drop" },
	{ name: "IPv6 payload length", fam: "ip6", rule: '-m u32 ! --u32 "4>>16=0:100" -j DROP', mutant: "@nh,32,32 & 0xffff0000 != 0-6619136 drop" },
	{ name: "IPv6 payload word", fam: "ip6", rule: '-m u32 --u32 "60=0x47455420" -j DROP', mutant: "@nh,480,32 1195725857 drop" },
];

describe("u32: translation equal, one-value mutant caught", () => {
	for (const c of CASES) {
		it(c.name, () => {
			expectExactWithMutantsCaught(c, [c.mutant]);
		});
	}
	it("@th differs from u32's header skip on later fragments: why the guard is needed", () => {
		const c: Case = { name: "", fam: "ip", rule: '-m u32 --u32 "0>>22&0x3C@0>>16=80" -j DROP', mutant: "" };
		const th = "@th,0,32 & 0xffff0000 == 5242880 drop";
		expect(run({ ...c, conntrack: false }, nftText(c, th)).equal).toBe(false);
		expect(run({ ...c, conntrack: true }, nftText(c, th)).equal).toBe(true);
	});
});

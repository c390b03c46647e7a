/**
 * -m u32 against the real kernel, in uniquely named namespaces deleted afterwards: the host sends
 * crafted packets to itself (raw sockets, so the OUTPUT hook sees them as built) and a packet a
 * rule drops fails with EPERM. The original rule (iptables-legacy-restore) and ipt2nft's
 * translation (nft -f) must drop the same packets: fixed offsets, a read past the end under `!`,
 * the IPv4 header skip (also over IP options) as @th, IPv6.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { kernelSupport } from "../../../compiler/kernel/netns.js";
import { expectKernelDrops, kernelDrops, type KernelDropCase as Case, type Side } from "../../helpers/kernel-host.js";

const support = kernelSupport();
if (!support.ok) console.warn(`u32 kernel tests skipped: ${support.reason}`);

const UDP = (payload: string): string => `IP(dst="127.0.0.1")/UDP(sport=1, dport=9)/Raw(${payload})`;
const TCP4 = (sport: number, opts = false): string => `IP(dst="127.0.0.1"${opts ? ", options=[IPOption_NOP(), IPOption_NOP(), IPOption_NOP(), IPOption_EOL()]" : ""})/TCP(sport=${sport}, dport=9, flags="S")`;
const UDP6 = (n: number): string => `IPv6(dst="::1")/UDP(sport=1, dport=9)/Raw(b"\\x00"*${n})`;

const CASES: readonly Case[] = [
	{ name: "protocol byte", fam: "ip", rule: '-m u32 --u32 "6&0xFF=6" -j DROP', packets: [TCP4(1), UDP("b'x'")], dropped: [true, false] },
	{
		name: "! over a payload word: a short packet matches",
		fam: "ip",
		rule: '-m u32 ! --u32 "40&0xFF=1:5,9" -j DROP',
		packets: [UDP('b"\\x00"*15 + bytes([9])'), UDP('b"\\x00"*15 + bytes([7])'), UDP('b"\\x00"*15 + bytes([5])'), UDP('b"\\x00"*15')],
		dropped: [false, true, false, true],
	},
	{ name: "IPv4 header skip (@th), also over IP options", fam: "ip", rule: '-p tcp ! -f -m u32 --u32 "0>>22&0x3C@0>>16=80" -j DROP', packets: [TCP4(80), TCP4(81), TCP4(80, true), TCP4(81, true)], dropped: [true, false, true, false] },
	{
		name: "TCP payload starts with G: @ih, and a bogus data offset in a truncated header",
		fam: "ip",
		rule: '-p tcp ! -f -m u32 --u32 "0>>22&0x3C@12>>26&0x3C@0>>24=0x47" -j DROP',
		packets: [
			`${TCP4(1)}/Raw(b"GET /")`,
			`IP(dst="127.0.0.1")/TCP(sport=1, dport=9, options=[("MSS", 1460), ("WScale", 7)])/Raw(b"GET /")`,
			`${TCP4(1)}/Raw(b"POST")`,
			// 16 bytes of TCP header, data offset 2 (8 bytes): u32 reads the "payload" at th+8.
			'IP(dst="127.0.0.1", proto=6)/Raw(bytes([0, 1, 0, 9]) + bytes(4) + b"GET " + bytes([0x20, 2, 0, 0]))',
			'IP(dst="127.0.0.1", proto=6)/Raw(bytes([0, 1, 0, 9]) + bytes(4) + b"GET " + bytes([0x50, 2, 0, 0]))',
		],
		dropped: [true, true, false, true, false],
	},
	{ name: "IPv6 next header and payload length", fam: "ip6", rule: '-m u32 --u32 "6>>24=17&&4>>16=0:20" -j DROP', packets: [UDP6(12), UDP6(13), 'IPv6(dst="::1")/TCP(sport=1, dport=9)'], dropped: [true, false, false] },
];

const SCAPY = "IP, IPv6, IPOption_NOP, IPOption_EOL, Raw, TCP, UDP";
const dropsIn = (side: Side, c: Case, rules: string): boolean[] => kernelDrops("u32", side, c.fam, rules, SCAPY, c.packets);

describe.skipIf(!support.ok)("u32 in the kernel", () => {
	for (const c of CASES) {
		it(c.name, () => {
			expectKernelDrops(c, "u32", SCAPY);
		});
	}
	it("why the data-offset skip needs more than @ih: a truncated header with a bogus data offset", () => {
		const c = CASES.find((x) => x.name.startsWith("TCP payload starts with G"))!;
		const only = "table ip filter {\n\tchain OUTPUT {\n\t\ttype filter hook output priority 0; policy accept;\n\t\tip protocol tcp @ih,0,32 & 0xff000000 == 1191182336 drop\n\t}\n}\n";
		expect(dropsIn("nft", c, only)).toEqual([true, true, false, false, false]);
	});
	it("why the header skip needs a fragment guard: u32 reads a later fragment's data, nft's @th does not reliably", () => {
		// A later fragment whose data starts 00 50 00 09, then a TCP packet from port 80.
		const frag = 'IP(dst="127.0.0.1", proto=6, frag=10)/Raw(bytes([0, 80, 0, 9]) + b"\\x00"*16)';
		const table = (rule: string): string => `table ip filter {\n\tchain OUTPUT {\n\t\ttype filter hook output priority 0; policy accept;\n\t\t${rule}\n\t}\n}\n`;
		const c: Case = { name: "", fam: "ip", rule: "", packets: [frag, TCP4(80)], dropped: [] };
		const ipt = (rule: string): string => `*filter\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT ${rule}\nCOMMIT\n`;
		// u32 reads the fragment's data behind the IP header, whatever the offset.
		expect(dropsIn("iptables", c, ipt('-m u32 --u32 "0>>22&0x3C@0>>16=80" -j DROP'))).toEqual([true, true]);
		expect(dropsIn("iptables", c, ipt('-m u32 --u32 "0>>22&0x3C@1>>16=0x5000" -j DROP'))).toEqual([true, true]);
		// nft: a 4-byte-aligned @th load may take the kernel's fast path (no fragment check on some
		// kernels), an unaligned one breaks on later fragments; either way not u32's reading.
		const aligned = dropsIn("nft", c, table("@th,0,32 & 0xffff0000 == 5242880 drop"));
		const unaligned = dropsIn("nft", c, table("@th,8,32 & 0xffff0000 == 1342177280 drop"));
		expect(aligned[1]).toBe(true);
		expect(unaligned).toEqual([false, true]);
		expect(compile(ipt('-m u32 --u32 "0>>22&0x3C@0>>16=80" -j DROP'), { file: "t.rules" }).diagnostics.map((d) => d.code)).toEqual(["inexpressible"]);
	});
});

/**
 * -m hbh / dst / mh / ipcomp / tcpmss / ipv6header against the real kernel, in uniquely named
 * namespaces deleted afterwards: the host sends crafted packets to itself (raw sockets, so the
 * OUTPUT hook sees them as built) and a packet a rule drops fails with EPERM. The original rule
 * (iptables-legacy-restore) and ipt2nft's translation (nft -f) must drop the same packets, and
 * those packets are the ones the kernel facts say: --hbh-len counts bytes, xt_mh drops an MH
 * whose Payload Proto is not 59 whatever the target, `! --mss` takes packets without an MSS
 * option, xt_ipcomp reads the 16-bit CPI.
 */
import { describe, it } from "vitest";
import { kernelSupport } from "../../../compiler/kernel/netns.js";
import { expectKernelDrops, type KernelDropCase as Case } from "../../helpers/kernel-host.js";

const support = kernelSupport();
if (!support.ok) console.warn(`exthdr kernel tests skipped: ${support.reason}`);

const HBH = (n: number): string => `IPv6(dst="::1")/IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\\x00"*${n})])/UDP(sport=1, dport=9)`;
const DST = (n: number): string => `IPv6(dst="::1")/IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\\x00"*${n})])/UDP(sport=1, dport=9)`;
const MH = (proto: number, type: number): string => `IPv6(dst="::1", nh=135)/Raw(bytes([${proto}, 0, ${type}, 0, 0, 0, 0, 0]))`;
const UDP6 = 'IPv6(dst="::1")/UDP(sport=1, dport=9)';
const COMP = (cpi: number): string => `IP(dst="127.0.0.1", proto=108)/Raw(bytes([4, 0, ${cpi >> 8}, ${cpi & 0xff}]) + b"\\x00"*8)`;
const SYN = (mss?: number): string => `IP(dst="127.0.0.1")/TCP(sport=1000, dport=9, flags="S"${mss === undefined ? "" : `, options=[("MSS", ${mss})]`})`;

const CASES: readonly Case[] = [
	// PadN of 12 bytes: Hdr Ext Len 1 (16 bytes); of 4: Hdr Ext Len 0 (8 bytes).
	{ name: "hbh --hbh-len counts bytes", fam: "ip6", rule: "-m hbh --hbh-len 16 -j DROP", packets: [HBH(12), HBH(4), UDP6], dropped: [true, false, false] },
	{ name: "hbh ! --hbh-len 22 takes every packet with the header", fam: "ip6", rule: "-m hbh ! --hbh-len 22 -j DROP", packets: [HBH(12), HBH(4), UDP6], dropped: [true, true, false] },
	{ name: "dst ! --dst-len 8", fam: "ip6", rule: "-m dst ! --dst-len 8 -j DROP", packets: [DST(12), DST(4), HBH(12), UDP6], dropped: [true, false, false, false] },
	{ name: "mh drops Payload Proto != 59 even with -j ACCEPT", fam: "ip6", rule: "-p mh -m mh --mh-type 5 -j ACCEPT", packets: [MH(59, 5), MH(6, 5), MH(59, 1), MH(17, 1)], dropped: [false, true, false, true] },
	{ name: "mh type range", fam: "ip6", rule: "-p mh -m mh ! --mh-type 1:3 -j DROP", packets: [MH(59, 0), MH(59, 1), MH(59, 3), MH(59, 4), MH(6, 2)], dropped: [true, false, false, true, true] },
	{ name: "tcpmss ! --mss takes packets without an MSS option", fam: "ip", rule: "-p tcp -m tcpmss ! --mss 42 -j DROP", packets: [SYN(42), SYN(1460), SYN(), 'IP(dst="127.0.0.1")/UDP(sport=1, dport=9)'], dropped: [false, true, true, false] },
	{ name: "tcpmss range", fam: "ip", rule: "-p tcp -m tcpmss --mss 42:1024 -j DROP", packets: [SYN(41), SYN(42), SYN(1024), SYN(1025), SYN()], dropped: [false, true, true, false, false] },
	{ name: "ipcomp 16-bit cpi", fam: "ip", rule: "-p ipcomp -m ipcomp --ipcompspi 18:300 -j DROP", packets: [COMP(17), COMP(18), COMP(300), COMP(301)], dropped: [false, true, true, false] },
	{ name: "ipv6header --soft", fam: "ip6", rule: "-m ipv6header --header hop,dst --soft -j DROP", packets: [`IPv6(dst="::1")/IPv6ExtHdrHopByHop()/IPv6ExtHdrDestOpt()/UDP(sport=1, dport=9)`, HBH(4), DST(4), UDP6], dropped: [true, false, false, false] },
];

describe.skipIf(!support.ok)("hbh / dst / mh / ipcomp / tcpmss / ipv6header in the kernel", () => {
	for (const c of CASES) {
		it(c.name, () => {
			expectKernelDrops(c, "xh", "IP, IPv6, IPv6ExtHdrHopByHop, IPv6ExtHdrDestOpt, PadN, Raw, TCP, UDP");
		});
	}
});

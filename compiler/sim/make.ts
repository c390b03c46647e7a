/** A complete Packet from a few fields (tests, corpus, CLI `--packet`). */
import type { Packet } from "./packet.js";

export function makePacket(over: Partial<Packet> = {}): Packet {
	const fam = over.fam ?? 4;
	return {
		fam,
		saddr: fam === 4 ? 0xc0000201n : 0x20010db8000000000000000000000001n,
		daddr: fam === 4 ? 0xc6336401n : 0x20010db8000100000000000000000001n,
		proto: 6,
		sport: 40000,
		dport: 80,
		tcpFlags: 0x02,
		tcpOptions: [],
		icmpType: 0,
		icmpCode: 0,
		length: 60,
		fragOffset: 0,
		moreFragments: false,
		ttl: 64,
		dscp: 0,
		ecn: 0,
		iif: "eth0",
		oif: undefined,
		srcMac: 0x020000000099n,
		pkttype: "unicast",
		mark: 0,
		uid: undefined,
		gid: undefined,
		ct: { state: "new", status: 0, mark: 0, dir: "original", expire: 300, zone: 0 },
		overLimit: false,
		...over,
	};
}

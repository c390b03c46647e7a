import { expect, test } from "vitest";
import { parseNft } from "../../../../grammar/nft/index.js";
import { nftBoundaryValues } from "../../../../compiler/sim/nft/index.js";
import { ip } from "./harness.js";

test("boundary values: every compared constant with its interval edges", () => {
	const { ast, diagnostics } = parseNft(
		`table inet t {
	set s { type ipv4_addr; flags interval; elements = { 10.0.0.0/30 } }
	chain c {
		type filter hook input priority 0;
		iifname "eth*" tcp dport 80-90 ip saddr @s accept
		meta l4proto udp ip6 daddr ::1 mark and 0xff == 0x10 drop
		icmp type echo-request tcp flags syn accept
	}
}
`,
		"b.nft",
	);
	expect(diagnostics).toEqual([]);
	const b = nftBoundaryValues(ast);
	expect([...b.fams].sort()).toEqual([4, 6]);
	expect(b.ports).toEqual([79, 80, 90, 91]);
	expect(b.addrs4).toEqual([ip("10.0.0.0"), ip("10.0.0.3"), ip("10.0.0.4"), ip("9.255.255.255")].sort((x, y) => (x < y ? -1 : 1)));
	expect(b.addrs6).toEqual([0n, 1n, 2n]);
	expect(b.ifaces).toEqual(["eth", "eth0", "eti"]);
	expect(b.protos).toEqual([16, 17, 18]);
	expect(b.marks).toContain(0x10);
	expect(b.marks).toContain((0x10 | ~0xff) >>> 0);
	expect(b.marks).toContain(0x11);
	expect(b.icmpTypes).toEqual([7, 8, 9]);
	expect(b.tcpFlags).toContain(2);
	expect(b.tcpFlags).toContain(3);
});

import { describe, expect, it } from "vitest";
import { kernelProbability } from "../../../../compiler/sim/ipt/match/statistic.js";
import { makePacket } from "../../../../compiler/sim/make.js";
import { CT_STATUS } from "../../../../compiler/sim/packet.js";
import { defaultHost } from "../../../../compiler/sim/host.js";
import { matches, side, runChain, testCtx } from "../helpers.js";

const tcp = (over: Parameters<typeof makePacket>[0] = {}) => makePacket({ proto: 6, ...over });
const udp = (over: Parameters<typeof makePacket>[0] = {}) => makePacket({ proto: 17, sport: 5000, dport: 53, tcpFlags: 0, ...over });

describe("generic fields", () => {
	it("-s/-d with prefixes, negation", () => {
		expect(matches("-s 192.0.2.0/24", tcp({ saddr: 0xc00002ffn }))).toBe(true);
		expect(matches("-s 192.0.2.0/24", tcp({ saddr: 0xc0000300n }))).toBe(false);
		expect(matches("! -d 10.0.0.0/8", tcp({ daddr: 0x0a000001n }))).toBe(false);
		expect(matches("! -d 10.0.0.0/8", tcp({ daddr: 0x0b000001n }))).toBe(true);
		expect(matches("-d 255.255.255.255/32", tcp({ daddr: 0xffffffffn }))).toBe(true);
	});
	it("-i exact and wildcard; a missing device compares as the empty name", () => {
		expect(matches("-i eth+", tcp({ iif: "eth7" }))).toBe(true);
		expect(matches("-i eth+", tcp({ iif: "wlan0" }))).toBe(false);
		expect(matches("-i eth0", tcp({ iif: "eth00" }))).toBe(false);
		expect(matches("! -o eth0", tcp({ oif: undefined }), { chain: "FORWARD" })).toBe(true);
	});
	it("-p on IPv4 and IPv6 (upper-layer protocol)", () => {
		expect(matches("-p udp", udp())).toBe(true);
		expect(matches("-p udp", tcp())).toBe(false);
		expect(matches("! -p tcp", udp())).toBe(true);
		expect(matches("-p tcp", tcp({ fam: 6 }), { fam: 6 })).toBe(true);
	});
	it("-f matches only non-first fragments", () => {
		expect(matches("-f", tcp({ fragOffset: 3, sport: 0, dport: 0 }))).toBe(true);
		expect(matches("-f", tcp())).toBe(false);
		expect(matches("! -f", tcp())).toBe(true);
	});
});

describe("tcp / udp / multiport / icmp", () => {
	it("ports are inclusive ranges", () => {
		expect(matches("-p tcp --dport 1000:2000", tcp({ dport: 2000 }))).toBe(true);
		expect(matches("-p tcp --dport 1000:2000", tcp({ dport: 2001 }))).toBe(false);
		expect(matches("-p tcp ! --sport 1024:65535", tcp({ sport: 1023 }))).toBe(true);
		expect(matches("-p udp --dport 53", udp())).toBe(true);
	});
	it("tcp flags and --syn", () => {
		expect(matches("-p tcp --syn", tcp({ tcpFlags: 0x02 }))).toBe(true);
		expect(matches("-p tcp --syn", tcp({ tcpFlags: 0x12 }))).toBe(false);
		expect(matches("-p tcp --syn", tcp({ tcpFlags: 0x02 | 0x08 }))).toBe(true); // PSH not in the mask
		expect(matches("-p tcp ! --syn", tcp({ tcpFlags: 0x10 }))).toBe(true);
		expect(matches("-p tcp --tcp-flags SYN,ACK SYN,ACK", tcp({ tcpFlags: 0x12 }))).toBe(true);
	});
	it("never matches a non-first fragment, even negated; offset 1 is hot-dropped", () => {
		expect(matches("-p tcp ! --dport 80", tcp({ fragOffset: 5, sport: 0, dport: 0 }))).toBe(false);
		expect(matches("-p udp ! --dport 80", udp({ fragOffset: 5, sport: 0, dport: 0 }))).toBe(false);
		// hotdrop: a rule that would not match still drops (the target here is ACCEPT)
		const s = side("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n");
		const host = defaultHost({ ifaces: [], addrs: [] });
		const ctx = testCtx(host, "input");
		expect(runChain(s, "input", 4, tcp({ fragOffset: 1, sport: 0, dport: 0 }), ctx).kind).toBe("drop");
		expect(ctx.steps.at(-1)?.verdict).toMatch(/hotdrop/);
	});
	it("multiport src/dst/any with ranges and negation", () => {
		expect(matches("-p tcp -m multiport --dports 22,80:90", tcp({ dport: 85 }))).toBe(true);
		expect(matches("-p tcp -m multiport --dports 22,80:90", tcp({ dport: 91 }))).toBe(false);
		expect(matches("-p tcp -m multiport --ports 22", tcp({ sport: 22, dport: 9 }))).toBe(true);
		expect(matches("-p tcp -m multiport ! --dports 22,80", tcp({ dport: 81 }))).toBe(true);
		expect(matches("-p tcp -m multiport ! --dports 22,80", tcp({ dport: 80 }))).toBe(false);
	});
	it("icmp type/code and any", () => {
		const echo = makePacket({ proto: 1, sport: 0, dport: 0, tcpFlags: 0, icmpType: 8, icmpCode: 0 });
		expect(matches("-p icmp --icmp-type echo-request", echo)).toBe(true);
		expect(matches("-p icmp --icmp-type echo-reply", echo)).toBe(false);
		expect(matches("-p icmp --icmp-type any", echo)).toBe(true);
		expect(matches("-p icmp ! --icmp-type any", echo)).toBe(false);
		const unreach = makePacket({ proto: 1, sport: 0, dport: 0, icmpType: 3, icmpCode: 3 });
		expect(matches("-p icmp --icmp-type port-unreachable", unreach)).toBe(true);
		expect(matches("-p icmp --icmp-type host-unreachable", unreach)).toBe(false);
		expect(matches("-p icmp --icmp-type destination-unreachable", unreach)).toBe(true);
	});
});

describe("conntrack / state", () => {
	const ct = (state: "new" | "established" | "related" | "invalid" | "untracked", status = 0, dir: "original" | "reply" = "original") =>
		tcp({
			ct: {
				state,
				status,
				mark: 0,
				dir,
				expire: 100,
				zone: 0,
				...(state === "invalid" || state === "untracked"
					? {}
					: { orig: { saddr: 1n, daddr: 2n, proto: 6, sport: 3, dport: 4 }, reply: { saddr: 2n, daddr: 1n, proto: 6, sport: 4, dport: 3 } }),
			},
		});
	it("states, including the virtual DNAT/SNAT states", () => {
		expect(matches("-m conntrack --ctstate RELATED,ESTABLISHED", ct("established"))).toBe(true);
		expect(matches("-m conntrack --ctstate RELATED,ESTABLISHED", ct("new"))).toBe(false);
		expect(matches("-m conntrack --ctstate DNAT", ct("new", CT_STATUS.dstNat))).toBe(true);
		expect(matches("-m conntrack --ctstate SNAT", ct("new", CT_STATUS.dstNat))).toBe(false);
		expect(matches("-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT", ct("new", CT_STATUS.dstNat))).toBe(false);
		expect(matches("-m conntrack --ctstate UNTRACKED", ct("untracked"))).toBe(true);
		expect(matches("-m conntrack --ctstate INVALID", ct("invalid"))).toBe(true);
		expect(matches("-m state --state NEW", ct("new"))).toBe(true);
		expect(matches("-m state ! --state NEW", ct("invalid"))).toBe(true);
	});
	it("without an entry only a state test can match", () => {
		expect(matches("-m conntrack ! --ctstatus ASSURED", ct("invalid"))).toBe(false);
		expect(matches("-m conntrack ! --ctstatus ASSURED", ct("new"))).toBe(true);
		expect(matches("-m conntrack --ctstate INVALID --ctstatus ASSURED", ct("invalid"))).toBe(true);
	});
	it("direction, status, original tuple", () => {
		expect(matches("-m conntrack --ctdir REPLY", ct("established", CT_STATUS.seenReply, "reply"))).toBe(true);
		expect(matches("-m conntrack --ctdir ORIGINAL", ct("established", CT_STATUS.seenReply, "reply"))).toBe(false);
		expect(matches("-m conntrack --ctstatus SEEN_REPLY", ct("established", CT_STATUS.seenReply))).toBe(true);
		expect(matches("-m conntrack --ctorigdst 0.0.0.2", ct("new"))).toBe(true);
		expect(matches("-m conntrack --ctorigdstport 4", ct("new"))).toBe(true);
		expect(matches("-m conntrack --ctorigdstport 5", ct("new"))).toBe(false);
	});
});

describe("marks", () => {
	it("mark value/mask and negation", () => {
		expect(matches("-m mark --mark 0x4000/0x4000", tcp({ mark: 0x4001 }))).toBe(true);
		expect(matches("-m mark --mark 0x4000/0x4000", tcp({ mark: 0x8000 }))).toBe(false);
		expect(matches("-m mark ! --mark 0x4000/0x4000", tcp({ mark: 0 }))).toBe(true);
		expect(matches("-m mark --mark 0xffffffff", tcp({ mark: 0xffffffff }))).toBe(true);
	});
	it("connmark needs an entry even when negated", () => {
		const est = tcp({ ct: { state: "established", status: 0, mark: 5, dir: "original", expire: 1, zone: 0 } });
		const inv = tcp({ ct: { state: "invalid", status: 0, mark: 0, dir: "original", expire: 1, zone: 0 } });
		expect(matches("-m connmark --mark 5", est)).toBe(true);
		expect(matches("-m connmark ! --mark 5", inv)).toBe(false);
	});
});

describe("addrtype", () => {
	const host = defaultHost({ ifaces: ["eth1"], addrs: [] }); // eth0 has 198.51.100.1/24
	it("IPv4 types are exclusive; 0.0.0.0/8 counts as broadcast like the kernel", () => {
		expect(matches("-m addrtype --dst-type LOCAL", tcp({ daddr: 0xc6336401n }), { host })).toBe(true);
		expect(matches("-m addrtype --dst-type LOCAL", tcp({ daddr: 0x7f000005n }), { host })).toBe(true);
		expect(matches("-m addrtype --dst-type LOCAL", tcp({ daddr: 0xc6336402n }), { host })).toBe(false);
		expect(matches("-m addrtype --dst-type BROADCAST", tcp({ daddr: 0xc63364ffn }), { host })).toBe(true);
		expect(matches("-m addrtype --dst-type BROADCAST", tcp({ daddr: 0n }), { host })).toBe(true);
		expect(matches("-m addrtype --dst-type UNICAST", tcp({ daddr: 0x08080808n }), { host })).toBe(true);
		expect(matches("-m addrtype --dst-type MULTICAST", tcp({ daddr: 0xe0000001n }), { host })).toBe(true);
		expect(matches("-m addrtype ! --src-type LOCAL", tcp({ saddr: 0x08080808n }), { host })).toBe(true);
	});
	it("--limit-iface-in only counts local addresses of the input device", () => {
		expect(matches("-m addrtype --dst-type LOCAL --limit-iface-in", tcp({ daddr: 0xc6336401n, iif: "eth0" }), { host })).toBe(true);
		expect(matches("-m addrtype --dst-type LOCAL --limit-iface-in", tcp({ daddr: 0xc6336401n, iif: "eth1" }), { host })).toBe(false);
	});
	it("IPv6: a local address is UNICAST too", () => {
		const local6 = 0x20010db8000100000000000000000001n;
		expect(matches("-m addrtype --dst-type UNICAST", tcp({ fam: 6, daddr: local6 }), { host, fam: 6 })).toBe(true);
		expect(matches("-m addrtype --dst-type LOCAL", tcp({ fam: 6, daddr: local6 }), { host, fam: 6 })).toBe(true);
		expect(matches("-m addrtype --dst-type UNSPEC", tcp({ fam: 6, daddr: 0n }), { host, fam: 6 })).toBe(true);
	});
});

describe("other matches", () => {
	it("limit: within unless over the limit", () => {
		expect(matches("-m limit --limit 1/s", tcp())).toBe(true);
		expect(matches("-m limit --limit 1/s", tcp({ overLimit: true }))).toBe(false);
	});
	it("mac needs an Ethernet source, even when negated", () => {
		expect(matches("-m mac --mac-source 02:00:00:00:00:99", tcp())).toBe(true);
		expect(matches("-m mac ! --mac-source 02:00:00:00:00:99", tcp({ srcMac: undefined }))).toBe(false);
	});
	it("iprange, length, pkttype, comment", () => {
		expect(matches("-m iprange --src-range 192.0.2.1-192.0.2.9", tcp({ saddr: 0xc0000209n }))).toBe(true);
		expect(matches("-m iprange --src-range 192.0.2.1-192.0.2.9", tcp({ saddr: 0xc000020an }))).toBe(false);
		expect(matches("-m length --length 0:60", tcp({ length: 60 }))).toBe(true);
		expect(matches("-m length ! --length 0:60", tcp({ length: 61 }))).toBe(true);
		expect(matches("-m pkttype --pkt-type broadcast", tcp({ pkttype: "broadcast" }))).toBe(true);
		expect(matches("-m pkttype ! --pkt-type unicast", tcp())).toBe(false);
		expect(matches('-m comment --comment "x"', tcp())).toBe(true);
	});
	it("owner: only packets with a socket; without one, only all-negated tests hold", () => {
		expect(matches("-m owner --uid-owner 1000", tcp({ iif: undefined, uid: 1000, gid: 1000 }), { chain: "OUTPUT" })).toBe(true);
		expect(matches("-m owner --uid-owner 1000", tcp({ iif: undefined, uid: 0, gid: 0 }), { chain: "OUTPUT" })).toBe(false);
		expect(matches("-m owner ! --uid-owner 1000", tcp({ uid: undefined }), { chain: "OUTPUT" })).toBe(true);
		expect(matches("-m owner --uid-owner 1000", tcp({ uid: undefined }), { chain: "OUTPUT" })).toBe(false);
	});
	it("statistic random uses the kernel's rounded probability", () => {
		expect(kernelProbability(0.5)).toBe(0.5);
		expect(kernelProbability(0.33333333333)).toBe(Math.round(0.33333333333 * 2 ** 31) / 2 ** 31);
		expect(kernelProbability(1)).toBe(1);
		const s = side("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m statistic --mode random --probability 0.25 -j DROP\nCOMMIT\n");
		const host = defaultHost({ ifaces: [], addrs: [] });
		let asked = -1;
		const ctx = { ...testCtx(host, "input"), choose: (p: number) => ((asked = p), true) };
		expect(runChain(s, "input", 4, tcp(), ctx).kind).toBe("drop");
		expect(asked).toBe(0.25);
	});
	it("ttl and dscp", () => {
		expect(matches("-m ttl --ttl-lt 2", tcp({ ttl: 1 }))).toBe(true);
		expect(matches("-m ttl --ttl-gt 2", tcp({ ttl: 1 }))).toBe(false);
		expect(matches("-m dscp --dscp 0x2e", tcp({ dscp: 46 }))).toBe(true);
	});
});

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAddr } from "../../../compiler/sim/addr.js";
import { iptSide } from "../../../compiler/sim/ipt/side.js";
import { kernelProbability } from "../../../compiler/sim/ipt/match/statistic.js";
import { makePacket } from "../../../compiler/sim/make.js";
import type { Distribution, PacketOutcome } from "../../../compiler/sim/outcome.js";
import { formatDistribution } from "../../../compiler/sim/outcome.js";
import { simulate } from "../../../compiler/sim/verify.js";
import { defaultHost } from "../../../compiler/sim/host.js";
import { hostFor, parse, side } from "./helpers.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const V4 = (s: string): bigint => s.split(".").reduce((a, o) => (a << 8n) | BigInt(o), 0n);

function only(d: Distribution): readonly PacketOutcome[] {
	expect(d.entries.length, formatDistribution(d)).toBe(1);
	return d.entries[0]!.outcome.packets;
}

describe("docker published port (the seed article)", () => {
	const text = readFileSync(resolve(ROOT, "corpus/examples/docker-caddy.dump"), "utf8");
	const bridge = "br-ac3e0514d837";
	const flow = makePacket({ saddr: V4("203.0.113.5"), daddr: V4("198.51.100.1"), sport: 40000, dport: 8081, iif: "eth0" });

	it("DNAT in nat PREROUTING sends the packet through FORWARD to the container; the reply is reverse-NATed", () => {
		const host = hostFor(text);
		expect(host.interfaces.find((i) => i.name === bridge)?.addrs.map((a) => formatAddr(a.fam, a.addr))).toContain("172.18.0.1");
		const [first, reply, follow] = only(simulate([side(text)], host, { id: 0, kind: "flow", pkt: flow }));
		expect(first!.fate).toEqual({ kind: "forwarded", oif: bridge });
		expect(formatAddr(4, first!.daddr)).toBe("172.18.0.2");
		expect(first!.dport).toBe(80);
		expect(first!.trace.some((t) => t.chain === "ip filter DOCKER" && t.verdict === "ACCEPT")).toBe(true);
		expect(first!.trace.some((t) => t.chain.endsWith("INPUT"))).toBe(false);
		// The reply leaves as if the host itself answered on 8081.
		expect(reply!.fate).toEqual({ kind: "forwarded", oif: "eth0" });
		expect(formatAddr(4, reply!.saddr)).toBe("198.51.100.1");
		expect(reply!.sport).toBe(8081);
		expect(formatAddr(4, reply!.daddr)).toBe("203.0.113.5");
		expect(reply!.ctState).toBe("established");
		expect(follow!.fate).toEqual({ kind: "forwarded", oif: bridge });
		expect(follow!.ctState).toBe("established");
		// Follow-ups are translated by conntrack: no nat chain runs.
		expect(follow!.trace.some((t) => t.chain.startsWith("ip nat"))).toBe(false);
	});

	it("an INPUT drop rule does not stop it, a FORWARD drop does", () => {
		const host = hostFor(text);
		const withInputDrop = side(text + "-A INPUT -j DROP\n");
		expect(only(simulate([withInputDrop], host, { id: 0, kind: "packet", pkt: flow }))[0]!.fate.kind).toBe("forwarded");
		const withForwardDrop = side(text.replace("-A FORWARD -j DOCKER-USER", "-A FORWARD -j DROP\n-A FORWARD -j DOCKER-USER"));
		expect(only(simulate([withForwardDrop], host, { id: 0, kind: "packet", pkt: flow }))[0]!.fate).toMatchObject({ kind: "dropped", hook: "forward" });
	});

	it("a container's outgoing connection is masqueraded and the reply un-masqueraded", () => {
		const host = hostFor(text);
		const out = makePacket({ saddr: V4("172.17.0.2"), daddr: V4("8.8.8.8"), sport: 5555, dport: 443, iif: "docker0" });
		const [first, reply] = only(simulate([side(text)], host, { id: 0, kind: "flow", pkt: out }));
		expect(first!.fate).toEqual({ kind: "forwarded", oif: "eth0" });
		expect(formatAddr(4, first!.saddr)).toBe("198.51.100.1");
		expect(reply!.fate).toEqual({ kind: "forwarded", oif: "docker0" });
		expect(formatAddr(4, reply!.daddr)).toBe("172.17.0.2");
		expect(formatAddr(4, reply!.saddr)).toBe("8.8.8.8");
	});
});

describe("hooks and tables", () => {
	const host = defaultHost({ ifaces: [], addrs: [] });
	const toHost = makePacket({ daddr: V4("198.51.100.1"), iif: "eth0" });

	it("accept in one table does not skip the next; drop anywhere is final", () => {
		const s = side("*mangle\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j DROP\nCOMMIT\n");
		expect(only(simulate([s], host, { id: 0, kind: "packet", pkt: toHost }))[0]!.fate).toMatchObject({ kind: "dropped", hook: "input", chain: "ip filter INPUT" });
	});

	it("two tools on one host: an accept on one side, a drop on the other: dropped", () => {
		const a = side("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n");
		const b = iptSide(parse("*filter\n:INPUT DROP [0:0]\nCOMMIT\n"), { name: "other" });
		const o = only(simulate([a, b], host, { id: 0, kind: "packet", pkt: toHost }))[0]!;
		expect(o.fate.kind).toBe("dropped");
		expect(o.trace.map((t) => t.side)).toEqual(["iptables", "other"]);
	});

	it("goto returns to the chain that jumped; goto from a base chain ends in the policy", () => {
		const s = side(
			[
				"*filter",
				":INPUT DROP [0:0]",
				":A - [0:0]",
				":B - [0:0]",
				"-A INPUT -j A",
				'-A INPUT -j LOG --log-prefix "after-A"',
				"-A INPUT -j ACCEPT",
				"-A A -g B",
				'-A A -j LOG --log-prefix "never"',
				'-A B -j LOG --log-prefix "in-B"',
				"COMMIT",
				"",
			].join("\n"),
		);
		const o = only(simulate([s], host, { id: 0, kind: "packet", pkt: toHost }))[0]!;
		expect(o.logs.map((l) => l.prefix)).toEqual(["in-B", "after-A"]);
		expect(o.fate.kind).toBe("delivered");
		const g = side('*filter\n:INPUT DROP [0:0]\n:B - [0:0]\n-A INPUT -g B\n-A INPUT -j ACCEPT\n-A B -j LOG --log-prefix "in-B"\nCOMMIT\n');
		const o2 = only(simulate([g], host, { id: 0, kind: "packet", pkt: toHost }))[0]!;
		expect(o2.logs.map((l) => l.prefix)).toEqual(["in-B"]);
		expect(o2.fate.kind).toBe("dropped");
		const r = side("*filter\n:INPUT DROP [0:0]\n-A INPUT -j RETURN\n-A INPUT -j ACCEPT\nCOMMIT\n");
		expect(only(simulate([r], host, { id: 0, kind: "packet", pkt: toHost }))[0]!.fate.kind).toBe("dropped");
	});

	it("NOTRACK in raw: filter sees UNTRACKED and no NAT applies", () => {
		const text = [
			"*raw",
			":PREROUTING ACCEPT [0:0]",
			"-A PREROUTING -p tcp --dport 80 -j NOTRACK",
			"COMMIT",
			"*nat",
			":PREROUTING ACCEPT [0:0]",
			"-A PREROUTING -p tcp -j DNAT --to-destination 10.9.9.9",
			"COMMIT",
			"*filter",
			":INPUT ACCEPT [0:0]",
			'-A INPUT -m conntrack --ctstate UNTRACKED -j LOG --log-prefix "untracked"',
			"COMMIT",
			"",
		].join("\n");
		const o = only(simulate([side(text)], host, { id: 0, kind: "flow", pkt: toHost }))[0]!;
		expect(o.fate.kind).toBe("delivered");
		expect(o.ctState).toBe("untracked");
		expect(o.logs.map((l) => l.prefix)).toEqual(["untracked"]);
		expect(formatAddr(4, o.daddr)).toBe("198.51.100.1");
		// dport 81 is tracked: DNATed and forwarded
		const o81 = only(simulate([side(text)], host, { id: 0, kind: "packet", pkt: { ...toHost, dport: 81 } }))[0]!;
		expect(o81.fate).toEqual({ kind: "forwarded", oif: "eth0" });
		expect(formatAddr(4, o81.daddr)).toBe("10.9.9.9");
	});

	it("raw sees no conntrack entry yet (INVALID), filter sees the state", () => {
		const s = side(
			'*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -m state --state INVALID -j LOG --log-prefix "raw-invalid"\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m state --state NEW -j LOG --log-prefix "new"\nCOMMIT\n',
		);
		expect(only(simulate([s], host, { id: 0, kind: "packet", pkt: toHost }))[0]!.logs.map((l) => l.prefix)).toEqual(["raw-invalid", "new"]);
	});

	it("local traffic to a local address goes out and back in through lo", () => {
		const s = side("*filter\n:INPUT DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n");
		const local = makePacket({ saddr: V4("127.0.0.1"), daddr: V4("127.0.0.1"), iif: undefined, srcMac: undefined, uid: 0, gid: 0 });
		const o = only(simulate([s], host, { id: 0, kind: "flow", pkt: local }));
		expect(o.map((p) => p.fate.kind)).toEqual(["delivered", "delivered", "delivered"]);
		const s2 = side("*filter\n:INPUT DROP [0:0]\nCOMMIT\n");
		expect(only(simulate([s2], host, { id: 0, kind: "packet", pkt: local }))[0]!.fate).toMatchObject({ kind: "dropped", hook: "input" });
	});

	it("DNAT in nat OUTPUT re-routes; REDIRECT in PREROUTING delivers to the input interface's address", () => {
		const s = side("*nat\n:OUTPUT ACCEPT [0:0]\n:PREROUTING ACCEPT [0:0]\n-A OUTPUT -p tcp -d 10.0.0.1 -j DNAT --to-destination 127.0.0.1:8080\n-A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 3128\nCOMMIT\n");
		const local = makePacket({ saddr: V4("198.51.100.1"), daddr: V4("10.0.0.1"), iif: undefined, srcMac: undefined, uid: 0, gid: 0 });
		const o = only(simulate([s], host, { id: 0, kind: "packet", pkt: local }))[0]!;
		expect(o.fate.kind).toBe("delivered");
		expect(o.dport).toBe(8080);
		const fwd = makePacket({ daddr: V4("93.184.216.34"), iif: "eth0", dport: 80 });
		const r = only(simulate([s], host, { id: 0, kind: "packet", pkt: fwd }))[0]!;
		expect(r.fate.kind).toBe("delivered");
		expect(formatAddr(4, r.daddr)).toBe("198.51.100.1");
		expect(r.dport).toBe(3128);
	});

	// Measured with verify --kernel's namespaces: inet_select_addr falls back to the first global
	// address of any interface; only a host without any drops the packet ("ate my IP address").
	it("MASQUERADE on an interface without an address takes another interface's address", () => {
		const bare = { interfaces: [...host.interfaces, { name: "tun9", addrs: [] }], routes: [...host.routes, { fam: 4 as const, dst: V4("10.77.0.0"), len: 16, dev: "tun9" }] };
		const s = side("*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o tun9 -j MASQUERADE\nCOMMIT\n");
		const o = only(simulate([s], bare, { id: 0, kind: "packet", pkt: makePacket({ daddr: V4("10.77.1.1") }) }))[0]!;
		expect(o.fate).toEqual({ kind: "forwarded", oif: "tun9" });
		expect(o.saddr).toBe(host.interfaces.find((i) => i.name === "eth0")!.addrs.find((a) => a.fam === 4)!.addr);
		const none = { interfaces: [host.interfaces[0]!, { name: "tun9", addrs: [] }], routes: [{ fam: 4 as const, dst: 0n, len: 0, dev: "tun9" }] };
		const d = only(simulate([s], none, { id: 0, kind: "packet", pkt: makePacket({ daddr: V4("10.77.1.1"), iif: "tun9" }) }))[0]!;
		expect(d.fate).toMatchObject({ kind: "dropped", hook: "postrouting" });
	});
});

describe("random branches", () => {
	const host = defaultHost({ ifaces: [], addrs: [] });
	const pkt = makePacket({ daddr: V4("10.96.0.1"), dport: 80, iif: "eth0" });
	const lb = (n: number, decimals: number): string => {
		const lines = ["*nat", ":PREROUTING ACCEPT [0:0]"];
		for (let i = 0; i < n; i++) {
			const stat = i < n - 1 ? `-m statistic --mode random --probability ${(1 / (n - i)).toFixed(decimals)} ` : "";
			lines.push(`-A PREROUTING -p tcp ${stat}-j DNAT --to-destination 10.244.0.${i + 1}:8080`);
		}
		return lines.concat("COMMIT", "").join("\n");
	};

	it("three chained statistic rules (1/3, 1/2, rest) give equal thirds", () => {
		const d = simulate([side(lb(3, 11))], host, { id: 0, kind: "packet", pkt });
		expect(d.entries.length).toBe(3);
		for (const e of d.entries) expect(Math.abs(e.p - 1 / 3)).toBeLessThan(1e-9);
	});

	it("distributions are the kernel's exact products and sum to 1 (property)", () => {
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 2, max: 11 }), (n, decimals) => {
				const d = simulate([side(lb(n, decimals))], host, { id: 0, kind: "packet", pkt });
				expect(d.truncated).toBe(false);
				let rest = 1;
				const want = new Map<string, number>();
				for (let i = 0; i < n; i++) {
					const p = i < n - 1 ? kernelProbability(Number((1 / (n - i)).toFixed(decimals))) : 1;
					want.set(`10.244.0.${i + 1}`, (want.get(`10.244.0.${i + 1}`) ?? 0) + rest * p);
					rest *= 1 - p;
				}
				const got = new Map(d.entries.map((e) => [formatAddr(4, e.outcome.packets[0]!.daddr), e.p]));
				for (const [k, p] of want) if (p > 0) expect(Math.abs((got.get(k) ?? 0) - p)).toBeLessThan(1e-12);
				expect(Math.abs(d.entries.reduce((s, e) => s + e.p, 0) - 1)).toBeLessThan(1e-12);
			}),
			{ numRuns: 30 },
		);
	});
});

describe("conntrack zones (CT --zone on one direction only)", () => {
	// Packets in from eth0 get zone 1; their replies from eth1 carry no template (zone 0). The
	// kernel looks entries up by (tuple, zone), so the SYN/ACK finds nothing and is INVALID,
	// and a UDP reply opens a connection of its own in zone 0.
	const rules = (proto: string): string => `*raw
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A PREROUTING -i eth0 -j CT --zone 1
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT
-A FORWARD -i eth0 -o eth1 -p ${proto} -m conntrack --ctstate NEW -j ACCEPT
-A FORWARD -i eth1 -o eth0 -p udp -m conntrack --ctstate NEW -j LOG --log-prefix "reply-new "
-A FORWARD -i eth1 -o eth0 -p udp -m conntrack --ctstate NEW -j ACCEPT
COMMIT
`;
	const host = (text: string) => {
		const h = hostFor(text);
		return { ...h, routes: [...h.routes, { fam: 4 as const, dst: V4("10.9.0.0"), len: 16, dev: "eth1" }] };
	};
	it("a TCP reply in another zone misses the entry: SYN/ACK is INVALID and dropped", () => {
		const text = rules("tcp");
		const pkt = makePacket({ saddr: V4("203.0.113.5"), daddr: V4("10.9.0.7"), sport: 40000, dport: 80, iif: "eth0" });
		const [first, reply, follow] = only(simulate([side(text)], host(text), { id: 0, kind: "flow", pkt }));
		expect(first!.fate).toEqual({ kind: "forwarded", oif: "eth1" });
		expect(reply!.ctState).toBe("invalid");
		expect(reply!.fate).toMatchObject({ kind: "dropped", hook: "forward" });
		// The follow-up finds its own zone-1 entry, which never saw a reply: still NEW.
		expect(follow!.ctState).toBe("new");
	});
	it("a UDP reply in another zone starts a new connection of its own", () => {
		const text = rules("udp");
		const pkt = makePacket({ proto: 17, saddr: V4("203.0.113.5"), daddr: V4("10.9.0.7"), sport: 40000, dport: 53, iif: "eth0" });
		const [first, reply] = only(simulate([side(text)], host(text), { id: 0, kind: "flow", pkt }));
		expect(first!.fate).toEqual({ kind: "forwarded", oif: "eth1" });
		expect(reply!.ctState).toBe("new");
		expect(reply!.logs.map((l) => l.prefix)).toEqual(["reply-new "]);
		expect(reply!.fate).toEqual({ kind: "forwarded", oif: "eth0" });
	});
});

import { describe, expect, test } from "vitest";
import { ctx, enumerate, ip, pkt, runHook, side } from "./harness.js";

const filter = (rules: string, policy = "accept", fam = "ip"): string =>
	`table ${fam} t {\n\tchain input {\n\t\ttype filter hook input priority filter; policy ${policy};\n${rules
		.split("\n")
		.map((l) => `\t\t${l}`)
		.join("\n")}\n\t}\n}\n`;

const verdict = (rules: string, p = pkt(), policy = "accept", fam = "ip"): string => runHook(side(filter(rules, policy, fam)), "input", p).kind;

describe("payload matches", () => {
	test("addresses, prefixes, ranges, negation", () => {
		expect(verdict("ip saddr 10.0.0.1 drop")).toBe("drop");
		expect(verdict("ip saddr 10.0.0.0/8 drop")).toBe("drop");
		expect(verdict("ip saddr != 10.0.0.0/8 drop")).toBe("accept");
		expect(verdict("ip daddr 10.0.0.1-10.0.0.5 drop")).toBe("drop");
		expect(verdict("ip daddr 10.0.0.3-10.0.0.5 drop")).toBe("accept");
		expect(verdict("ip saddr & 255.0.255.0 == 10.0.0.0 drop")).toBe("drop");
	});
	test("ports: on the protocol only, never on a non-first fragment", () => {
		expect(verdict("tcp dport 22 drop")).toBe("drop");
		expect(verdict("udp dport 22 drop")).toBe("accept");
		expect(verdict("tcp dport != 22 drop", pkt({ proto: 17 }))).toBe("accept");
		expect(verdict("tcp dport 22 drop", pkt({ fragOffset: 10 }))).toBe("accept");
		expect(verdict("tcp dport != 80 drop", pkt({ fragOffset: 10 }))).toBe("accept");
		expect(verdict("ip protocol tcp drop", pkt({ fragOffset: 10 }))).toBe("drop");
		expect(verdict("tcp dport 20-25 drop")).toBe("drop");
		expect(verdict("th dport { 53, 22 } drop")).toBe("drop");
		expect(verdict("tcp dport != { 53, 22 } drop")).toBe("accept");
		expect(verdict("tcp sport > 1023 drop")).toBe("drop");
		expect(verdict("tcp sport lt 1024 drop")).toBe("accept");
	});
	test("tcp flags: implicit bit test, mask form, exact", () => {
		const syn = pkt({ tcpFlags: 0x02 });
		const synack = pkt({ tcpFlags: 0x12 });
		expect(verdict("tcp flags syn drop", synack)).toBe("drop");
		expect(verdict("tcp flags == syn drop", synack)).toBe("accept");
		expect(verdict("tcp flags syn / syn,ack drop", synack)).toBe("accept");
		expect(verdict("tcp flags syn / syn,ack drop", syn)).toBe("drop");
		expect(verdict("tcp flags & (fin|syn|rst|ack) == syn drop", syn)).toBe("drop");
		expect(verdict("tcp flags & (syn|ack) == syn|ack drop", synack)).toBe("drop");
	});
	test("icmp, ether, tcp options", () => {
		const echo = pkt({ proto: 1, icmpType: 8, sport: 0, dport: 0 });
		expect(verdict("icmp type echo-request drop", echo)).toBe("drop");
		expect(verdict("icmp type { echo-reply, destination-unreachable } drop", echo)).toBe("accept");
		expect(verdict("icmpv6 type echo-request drop", echo)).toBe("accept");
		expect(verdict("ether saddr 0a:12:3e:4f:b2:c6 drop")).toBe("drop");
		expect(verdict("ether saddr 0a:12:3e:4f:b2:c6 drop", pkt({ srcMac: undefined }))).toBe("accept");
		expect(verdict("tcp option maxseg exists drop")).toBe("drop");
		expect(verdict("tcp option sack-perm exists drop")).toBe("accept");
		expect(verdict("tcp option sack-perm missing drop")).toBe("drop");
	});
	test("ip6 in an inet table does not match v4 packets", () => {
		const v6 = pkt({ fam: 6, saddr: ip("fe80::1"), daddr: ip("fe80::2") });
		expect(verdict("ip6 saddr fe80::/10 drop", v6, "accept", "inet")).toBe("drop");
		expect(verdict("ip6 saddr fe80::/10 drop", pkt(), "accept", "inet")).toBe("accept");
		expect(verdict("ip saddr 10.0.0.1 drop", v6, "accept", "inet")).toBe("accept");
		expect(verdict("meta nfproto ipv6 drop", v6, "accept", "inet")).toBe("drop");
	});
});

describe("meta and ct", () => {
	test("interface names with wildcards; local packets have the empty name", () => {
		expect(verdict('iifname "eth*" drop')).toBe("drop");
		expect(verdict('iifname "eth" drop', pkt({ iif: "eth0" }))).toBe("accept");
		expect(verdict('iifname "eth*" drop', pkt({ iif: "eth" }))).toBe("drop");
		expect(verdict('iifname "et\\*" drop', pkt({ iif: "et*" }))).toBe("drop");
		expect(verdict('iifname { "lo", "eth*" } drop')).toBe("drop");
		expect(verdict('iifname "eth0" drop', pkt({ iif: undefined }))).toBe("accept");
		expect(verdict('iifname != "eth0" drop', pkt({ iif: undefined }))).toBe("drop");
		expect(verdict('iifname "" drop', pkt({ iif: undefined }))).toBe("drop");
	});
	test("marks, skuid (no socket: no match even for !=)", () => {
		expect(verdict("meta mark 0x10 drop", pkt({ mark: 0x10 }))).toBe("drop");
		expect(verdict("mark and 0xff == 0x10 drop", pkt({ mark: 0x1210 }))).toBe("drop");
		expect(verdict("meta skuid != 0 drop")).toBe("accept");
		expect(verdict("meta skuid 1000 drop", pkt({ uid: 1000 }))).toBe("drop");
	});
	test("ct state / status / mark / tuple; untracked has no entry", () => {
		const est = pkt({ ct: { state: "established", status: 0b1010, mark: 7, dir: "reply", expire: 30, zone: 0, orig: { saddr: ip("10.0.0.2"), daddr: ip("10.0.0.1"), proto: 6, sport: 22, dport: 40000 } } });
		expect(verdict("ct state established,related accept\ndrop", est)).toBe("accept");
		expect(verdict("ct state { established, related } accept\ndrop", est)).toBe("accept");
		expect(verdict("ct state ! established,related drop", est)).toBe("accept");
		expect(verdict("ct state new drop", est)).toBe("accept");
		expect(verdict("ct status seen-reply drop", est)).toBe("drop");
		expect(verdict("ct mark 7 drop", est)).toBe("drop");
		expect(verdict("ct direction reply drop", est)).toBe("drop");
		expect(verdict("ct original saddr 10.0.0.2 ct original proto-dst 40000 drop", est)).toBe("drop");
		const untr = pkt({ ct: { state: "untracked", status: 0, mark: 0, dir: "original", expire: 0, zone: 0 } });
		expect(verdict("ct state untracked drop", untr)).toBe("drop");
		expect(verdict("ct mark != 1 drop", untr)).toBe("accept");
	});
	test("fib", () => {
		expect(verdict("fib daddr type local drop")).toBe("drop");
		expect(verdict("fib daddr type local drop", pkt({ daddr: ip("8.8.8.8") }))).toBe("accept");
		expect(verdict("fib daddr . iif type local drop", pkt({ iif: "eth1" }))).toBe("accept");
		expect(verdict("fib saddr . iif oif missing drop")).toBe("accept");
		expect(verdict("fib saddr . iif oif missing drop", pkt({ iif: "eth1" }))).toBe("drop");
		expect(verdict("fib saddr . iif oif exists drop", pkt({ iif: "eth0" }))).toBe("drop");
	});
});

describe("statements", () => {
	test("mark set with bit operations; statements before a failing match keep their effect", () => {
		const p = pkt({ mark: 0x12345678 });
		verdict("meta mark set meta mark & 0xffff0000 xor 0x1", p);
		expect(p.mark).toBe(0x12340001);
		const q = pkt();
		verdict("meta mark set 0x5 tcp dport 80 drop", q);
		expect(q.mark).toBe(5);
		const r = pkt({ ct: { state: "established", status: 0, mark: 0x23, dir: "original", expire: 0, zone: 0 } });
		verdict("ct mark set ( ct mark xor 0x3 and 0xffffff9c ) >> 5\nmeta mark set ct mark", r);
		expect(r.ct.mark).toBe(((0x23 ^ 0x3) & 0xffffff9c) >>> 5);
		expect(r.mark).toBe(r.ct.mark);
	});
	test("counter and log are non-terminal; log lines", () => {
		const c = ctx();
		const s = side(filter('counter packets 3 bytes 100 log prefix "in: " level info\nlog group 5\ndrop'));
		expect(runHook(s, "input", pkt(), c).kind).toBe("drop");
		expect(c.logs).toEqual([
			{ kind: "log", prefix: "in: ", level: 6 },
			{ kind: "nflog", prefix: "", level: 5 },
		]);
	});
	test("limit / quota follow overLimit", () => {
		expect(verdict("limit rate 10/second accept\ndrop", pkt())).toBe("accept");
		expect(verdict("limit rate 10/second accept\ndrop", pkt({ overLimit: true }))).toBe("drop");
		expect(verdict("limit rate over 10/second burst 5 packets drop", pkt({ overLimit: true }))).toBe("drop");
		expect(verdict("quota over 100 bytes drop", pkt())).toBe("accept");
	});
	test("reject with per-family defaults and tcp reset", () => {
		expect(runHook(side(filter("reject")), "input", pkt())).toEqual({ kind: "reject", with: "icmp-port-unreachable" });
		expect(runHook(side(filter("reject with icmp type host-prohibited")), "input", pkt())).toEqual({ kind: "reject", with: "icmp-host-prohibited" });
		expect(runHook(side(filter("reject with tcp reset")), "input", pkt())).toEqual({ kind: "reject", with: "tcp-reset" });
		expect(runHook(side(filter("reject with tcp reset")), "input", pkt({ proto: 17 })).kind).toBe("accept");
		const v6 = pkt({ fam: 6, saddr: ip("::1"), daddr: ip("::2") });
		expect(runHook(side(filter("reject with icmpx type admin-prohibited", "accept", "inet")), "input", v6)).toEqual({ kind: "reject", with: "icmp6-adm-prohibited" });
		expect(runHook(side(filter("reject with icmp type port-unreachable", "accept", "inet")), "input", v6).kind).toBe("accept");
	});
	test("queue", () => {
		expect(runHook(side(filter("queue num 3 bypass")), "input", pkt())).toEqual({ kind: "queue", num: 3, bypass: true });
	});
	test("nat statements call ctx.nat and accept", () => {
		const text = `table ip nat {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 80 dnat to 192.168.1.10:8080
		tcp dport 81 dnat to ip daddr . tcp dport map { 10.0.0.2 . 81 : 192.168.1.11 . 9090 }
		tcp dport 82 redirect to :3128
	}
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "eth1" masquerade to :1024-2048 random
		snat to 1.2.3.4-1.2.3.6
	}
}`;
		const s = side(text);
		const c = ctx("prerouting");
		expect(runHook(s, "prerouting", pkt({ dport: 80 }), c).kind).toBe("accept");
		expect(runHook(s, "prerouting", pkt({ dport: 81 }), c).kind).toBe("accept");
		expect(runHook(s, "prerouting", pkt({ dport: 82 }), c).kind).toBe("accept");
		expect(runHook(s, "prerouting", pkt({ dport: 83 }), c).kind).toBe("accept");
		expect(c.nats).toEqual([
			{ kind: "dnat", addrLo: ip("192.168.1.10"), addrHi: ip("192.168.1.10"), portLo: 8080, portHi: 8080 },
			{ kind: "dnat", addrLo: ip("192.168.1.11"), addrHi: ip("192.168.1.11"), portLo: 9090, portHi: 9090 },
			{ kind: "redirect", portLo: 3128, portHi: 3128 },
		]);
		const d = ctx("postrouting");
		runHook(s, "postrouting", pkt({ oif: "eth1" }), d);
		runHook(s, "postrouting", pkt({ oif: "eth0" }), d);
		expect(d.nats).toEqual([
			{ kind: "masquerade", portLo: 1024, portHi: 2048 },
			{ kind: "snat", addrLo: ip("1.2.3.4"), addrHi: ip("1.2.3.6") },
		]);
	});
	test("notrack and ct zone", () => {
		// Only a packet conntrack has not seen yet (no entry: "invalid" before -200) becomes untracked.
		const p = pkt({ ct: { state: "invalid", status: 0, mark: 0, dir: "original", expire: 0, zone: 0 } });
		verdict("notrack", p);
		expect(p.ct.state).toBe("untracked");
		// Loopback traffic tracked in output keeps its entry (nft_notrack_eval ignores it).
		const q = pkt({ ct: { state: "new", status: 0, mark: 0, dir: "original", expire: 0, zone: 0 } });
		verdict("notrack", q);
		expect(q.ct.state).toBe("new");
	});
});

describe("control flow", () => {
	const text = `table inet fw {
	chain input {
		type filter hook input priority 0; policy drop;
		jump common
		tcp dport 22 goto ssh
		tcp dport 80 accept
	}
	chain common {
		ct state established accept
		iifname "lo" return
		tcp dport 23 drop
	}
	chain ssh {
		ip saddr 10.0.0.0/8 accept
		jump nested
	}
	chain nested {
		tcp sport 1 accept
	}
}`;
	test("jump/return/goto/policy with traces", () => {
		const s = side(text);
		const c = ctx();
		expect(runHook(s, "input", pkt({ dport: 80 }), c).kind).toBe("accept");
		expect(c.traces.map((t) => `${t.chain}: ${t.rule} -> ${t.verdict}`)).toEqual(["input: jump common -> jump common", "input: tcp dport 80 accept -> accept"]);
		expect(runHook(s, "input", pkt({ dport: 22 })).kind).toBe("accept");
		// goto ssh, not from 10/8, nested falls off, ssh falls off: back to the base chain's policy.
		const d = ctx();
		expect(runHook(s, "input", pkt({ dport: 22, saddr: ip("192.168.9.9") }), d).kind).toBe("drop");
		expect(d.traces.at(-1)).toMatchObject({ chain: "input", rule: "policy drop", verdict: "drop" });
		expect(runHook(s, "input", pkt({ dport: 23 })).kind).toBe("drop");
		expect(runHook(s, "input", pkt({ dport: 9 })).kind).toBe("drop");
		expect(runHook(s, "input", pkt({ ct: { state: "established", status: 0, mark: 0, dir: "original", expire: 0, zone: 0 } })).kind).toBe("accept");
	});
	test("return in a base chain applies the policy", () => {
		expect(verdict("return\naccept", pkt(), "drop")).toBe("drop");
	});
	test("vmap with jump and a miss that continues", () => {
		const t = `table ip t {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport vmap { 22 : jump a, 23 : drop }
		ip saddr 10.0.0.1 drop
	}
	chain a {
		meta mark set 1
	}
}`;
		const s = side(t);
		const p = pkt();
		expect(runHook(s, "input", p).kind).toBe("drop");
		expect(p.mark).toBe(1);
		expect(runHook(s, "input", pkt({ dport: 23 })).kind).toBe("drop");
		expect(runHook(s, "input", pkt({ dport: 24, saddr: ip("10.0.0.9") })).kind).toBe("accept");
	});
	test("chains of several tables run in priority order, stable for equal priorities", () => {
		const t = `table ip b {
	chain c2 { type filter hook input priority 10; policy accept; }
	chain c1 { type filter hook input priority -5; policy accept; }
}
table inet a {
	chain c3 { type filter hook input priority 10; policy accept; }
	chain c0 { type filter hook input priority raw; policy accept; }
}`;
		const s = side(t);
		expect(s.baseChains("input", 4).map((c) => c.label)).toEqual([
			"table inet a chain c0",
			"table ip b chain c1",
			"table ip b chain c2",
			"table inet a chain c3",
		]);
		expect(s.baseChains("input", 6).map((c) => c.label)).toEqual(["table inet a chain c0", "table inet a chain c3"]);
		expect(s.baseChains("forward", 4)).toEqual([]);
	});
});

describe("random branches are weighed exactly", () => {
	test("numgen random mod N < K", () => {
		const s = side(filter("numgen random mod 10 < 3 drop"));
		const dist = enumerate((choose) => runHook(s, "input", pkt(), ctx("input", choose)).kind, (k) => k);
		// The kernel scales a random u32 into [0, 10) as (r * 10) >> 32, so value v has weight
		// #{r : floor(r*10 / 2^32) = v} / 2^32; the values below 3 take r < ceil(3 * 2^32 / 10).
		const below3 = Math.ceil((3 * 2 ** 32) / 10) / 2 ** 32;
		expect(dist.get("drop")).toBeCloseTo(below3, 15);
		expect(dist.get("accept")).toBeCloseTo(1 - below3, 15);
		expect(below3).not.toBe(0.3);
	});
	test("numgen vmap decomposes into successive binary choices", () => {
		const t = `table ip t {
	chain input {
		type filter hook input priority 0; policy accept;
		numgen random mod 4 vmap { 0 : jump a, 1-2 : jump b, 3 : jump c }
	}
	chain a { meta mark set 1 }
	chain b { meta mark set 2 }
	chain c { meta mark set 3 }
}`;
		const s = side(t);
		const dist = enumerate(
			(choose) => {
				const p = pkt();
				runHook(s, "input", p, ctx("input", choose));
				return p.mark;
			},
			String,
		);
		expect(dist.get("1")).toBeCloseTo(0.25, 12);
		expect(dist.get("2")).toBeCloseTo(0.5, 12);
		expect(dist.get("3")).toBeCloseTo(0.25, 12);
	});
	test("numgen with offset and uncovered values", () => {
		const s = side(filter("numgen inc mod 3 offset 5 vmap { 5 : drop }"));
		const dist = enumerate((choose) => runHook(s, "input", pkt(), ctx("input", choose)).kind, (k) => k);
		expect(dist.get("drop")).toBeCloseTo(1 / 3, 12);
		expect(dist.get("accept")).toBeCloseTo(2 / 3, 12);
	});
	test("dnat to numgen map", () => {
		const t = `table ip nat {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		dnat to numgen random mod 2 map { 0 : 10.1.0.1, 1 : 10.1.0.2 }
	}
}`;
		const s = side(t);
		const dist = enumerate(
			(choose) => {
				const c = ctx("prerouting", choose);
				runHook(s, "prerouting", pkt(), c);
				return c.nats[0]?.kind === "dnat" ? String(c.nats[0].addrLo) : "none";
			},
			(k) => k,
		);
		expect(dist.get(String(ip("10.1.0.1")))).toBeCloseTo(0.5, 12);
		expect(dist.get(String(ip("10.1.0.2")))).toBeCloseTo(0.5, 12);
	});
});

describe("named sets and maps", () => {
	const t = `table ip t {
	set blocked {
		type ipv4_addr
		flags interval
		elements = { 10.0.0.0/8, 192.168.0.0-192.168.0.255,
			     172.16.0.1 }
	}
	set svc {
		type ipv4_addr . inet_proto . inet_service
		elements = { 10.0.0.2 . tcp . 22, 10.0.0.2 . udp . 53 }
	}
	set nets_ports {
		typeof ip saddr . tcp dport
		flags interval
		elements = { 10.0.0.0/24 . 20-30, 10.0.0.0/16 . 443 }
	}
	map vm {
		type ipv4_addr : verdict
		elements = { 10.0.0.1 : drop, 10.0.0.7 : accept }
	}
	chain input {
		type filter hook input priority 0; policy accept;
		ip daddr . meta l4proto . th dport @svc meta mark set 1
		ip saddr . tcp dport @nets_ports meta mark set meta mark | 0x2
		ip saddr @blocked meta mark set meta mark | 0x4
		ip saddr vmap @vm
	}
}`;
	test("intervals, concatenations and verdict maps", () => {
		const s = side(t);
		const p = pkt();
		expect(runHook(s, "input", p).kind).toBe("drop");
		expect(p.mark).toBe(7);
		const q = pkt({ saddr: ip("172.16.0.1"), dport: 443 });
		expect(runHook(s, "input", q).kind).toBe("accept");
		expect(q.mark).toBe(4);
		const r = pkt({ saddr: ip("10.0.0.5"), dport: 25 });
		runHook(s, "input", r);
		expect(r.mark).toBe(6);
		const v = pkt({ saddr: ip("10.0.1.5"), dport: 25 });
		runHook(s, "input", v);
		expect(v.mark).toBe(4);
		const u = pkt({ saddr: ip("10.0.0.7"), dport: 443, proto: 17 });
		expect(runHook(s, "input", u).kind).toBe("accept");
		expect(u.mark).toBe(4);
	});
});

describe("diagnostics of the evaluator", () => {
	test("unmodelled expressions are reported and never match", () => {
		const s = side(filter("ip id 5 drop"));
		expect(s.diagnostics.map((d) => d.code)).toEqual(["nft_unsupported"]);
		expect(runHook(s, "input", pkt()).kind).toBe("accept");
	});
});

/** Kernel quirks of the extension matches the iptables evaluator models (xt_* semantics). */
import { describe, expect, it } from "vitest";
import { makePacket } from "../../../../compiler/sim/make.js";
import { defaultHost } from "../../../../compiler/sim/host.js";
import { side, runChain, testCtx, matches } from "../helpers.js";

const p = makePacket;
const at = (iso: string): bigint => BigInt(Date.parse(iso)) * 1_000_000n;

describe("xt_helper / xt_realm / xt_cgroup / xt_devgroup", () => {
	it("helper: the master's helper; no helper matches only negated; strlen(helper) prefix", () => {
		const rel = (helper?: string) => p({ ct: { state: "related", status: 1, mark: 0, dir: "original", expire: 0, zone: 0, ...(helper ? { helper } : {}) } });
		expect(matches("-m helper --helper ftp", rel("ftp"), { chain: "FORWARD" })).toBe(true);
		expect(matches("-m helper --helper ftp", rel("sip"), { chain: "FORWARD" })).toBe(false);
		expect(matches("-m helper ! --helper ftp", rel(), { chain: "FORWARD" })).toBe(true);
		expect(matches("-m helper --helper ftp", rel(), { chain: "FORWARD" })).toBe(false);
		expect(matches("-m helper --helper sipx", rel("sip"), { chain: "FORWARD" })).toBe(true);
	});
	it("realm: the id is compared unmasked", () => {
		expect(matches("-m realm --realm 0x5/0xf", p({ realm: 0x25 }), { chain: "FORWARD" })).toBe(true);
		expect(matches("-m realm --realm 0x15/0xf", p({ realm: 0x15 }), { chain: "FORWARD" })).toBe(false);
	});
	it("cgroup: no local socket, no match even negated", () => {
		expect(matches("-m cgroup ! --cgroup 7", p({ iif: undefined, uid: undefined }), { chain: "OUTPUT" })).toBe(false);
		expect(matches("-m cgroup ! --cgroup 7", p({ iif: undefined, uid: 0, cgroup: 8 }), { chain: "OUTPUT" })).toBe(true);
	});
	it("devgroup: (group ^ value) & mask", () => {
		const host = defaultHost({ ifaces: ["eth1"], addrs: [], groups: [0x1c, 3] });
		expect(host.interfaces.find((i) => i.name === "eth0")?.group).toBe(0x1c);
		expect(matches("-m devgroup --src-group 0xc/0xc", p({ iif: "eth0" }), { chain: "FORWARD", host })).toBe(true);
		expect(matches("-m devgroup --src-group 0xc/0xc", p({ iif: "eth1" }), { chain: "FORWARD", host })).toBe(false);
	});
});

describe("ip6t_rt / ip6t_frag / esp", () => {
	const six = { fam: 6 as const };
	it("rt: no routing header never matches, negations included; --rt-len in bytes", () => {
		expect(matches("-m rt ! --rt-type 0", p({ fam: 6 }), six)).toBe(false);
		expect(matches("-m rt ! --rt-type 0", p({ fam: 6, rt: { type: 2, segsleft: 0, hdrlen: 2 } }), six)).toBe(true);
		expect(matches("-m rt --rt-len 24", p({ fam: 6, rt: { type: 2, segsleft: 0, hdrlen: 2 } }), six)).toBe(true);
	});
	it("frag: only fragments; --fragres wants both reserved fields zero", () => {
		const frag = (o: object) => p({ fam: 6, fragOffset: 0, moreFragments: true, sport: 0, dport: 0, ...o });
		expect(matches("-m frag --fragres", frag({}), six)).toBe(true);
		expect(matches("-m frag --fragres", frag({ fragRes2: 1 }), six)).toBe(false);
		expect(matches("-m frag ! --fragid 5", p({ fam: 6 }), six)).toBe(false);
	});
	it("esp: never on a non-first fragment", () => {
		expect(matches("-p esp -m esp ! --espspi 5", p({ proto: 50, spi: 6 }))).toBe(true);
		expect(matches("-p esp -m esp ! --espspi 5", p({ proto: 50, spi: 6, fragOffset: 3 }))).toBe(false);
	});
});

describe("xt_time", () => {
	it("dates compare whole seconds; a period over midnight includes both ends; start == stop is all day", () => {
		expect(matches("-m time --datestop 2021-01-29T00:00:00", p({ timeNs: at("2021-01-29T00:00:00.900Z") }))).toBe(true);
		expect(matches("-m time --datestop 2021-01-29T00:00:00", p({ timeNs: at("2021-01-29T00:00:01Z") }))).toBe(false);
		expect(matches("-m time --timestart 22:00 --timestop 06:00", p({ timeNs: at("2024-03-05T06:00:00Z") }))).toBe(true);
		expect(matches("-m time --timestart 22:00 --timestop 06:00", p({ timeNs: at("2024-03-05T06:00:01Z") }))).toBe(false);
		expect(matches("-m time --timestart 05:00 --timestop 05:00", p({ timeNs: at("2024-03-05T17:00:00Z") }))).toBe(true);
	});
	it("weekdays (2024-03-09 is a Saturday); --contiguous moves the morning to the previous day", () => {
		expect(matches("-m time --weekdays Sa", p({ timeNs: at("2024-03-09T12:00:00Z") }))).toBe(true);
		expect(matches("-m time --weekdays Sa", p({ timeNs: at("2024-03-10T12:00:00Z") }))).toBe(false);
		expect(matches("-m time --timestart 22:00 --timestop 06:00 --weekdays Sa --contiguous", p({ timeNs: at("2024-03-10T03:00:00Z") }))).toBe(true);
	});
});

describe("CT --zone", () => {
	it("sets the template zone only before conntrack (raw table)", () => {
		const s = side("*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j CT --zone 7\nCOMMIT\n");
		expect(s.unsupported).toEqual([]);
		const host = defaultHost({ ifaces: [], addrs: [] });
		const fresh = p({ ct: { state: "invalid", status: 0, mark: 0, dir: "original", expire: 0, zone: 0 } });
		runChain(s, "prerouting", 4, fresh, testCtx(host, "prerouting"));
		expect(fresh.ct.zone).toBe(7);
		const tracked = p({ ct: { state: "established", status: 0, mark: 0, dir: "original", expire: 0, zone: 0 } });
		runChain(s, "prerouting", 4, tracked, testCtx(host, "prerouting"));
		expect(tracked.ct.zone).toBe(0);
	});
});

describe("xt_recent", () => {
	it("--set adds, --rcheck sees it within --seconds, --remove forgets; --hitcount counts stamps", () => {
		const s = side(
			"*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 1 -m recent --set --name L\n-A INPUT -p tcp --dport 2 -m recent --rcheck --seconds 10 --hitcount 2 --name L -j DROP\n-A INPUT -p tcp --dport 3 -m recent --remove --name L\nCOMMIT\n",
		);
		const host = defaultHost({ ifaces: [], addrs: [] });
		const ctx = testCtx(host, "input");
		const t0 = at("2024-03-05T00:00:00Z");
		const run = (dport: number, dt = 0) => runChain(s, "input", 4, p({ dport, timeNs: t0 + BigInt(dt) * 1_000_000_000n }), ctx).kind;
		expect(run(2)).toBe("accept");
		run(1);
		expect(run(2)).toBe("accept"); // one stamp, --hitcount 2
		run(1);
		expect(run(2)).toBe("drop");
		expect(run(2, 11)).toBe("accept"); // stamps older than 10 s
		run(3);
		run(1, 11);
		expect(run(2, 11)).toBe("accept"); // removed: one fresh stamp only
	});
});

describe("xt_rpfilter", () => {
	const host = defaultHost({ ifaces: ["eth1"], addrs: [] }); // eth0 198.51.100.1/24 (default route)
	const raw = { table: "raw", chain: "PREROUTING", host };
	it("strict: the route back must use the input device; loopback and 0.0.0.0 -> broadcast pass", () => {
		expect(matches("-m rpfilter", p({ saddr: 0x08080808n, iif: "eth0" }), raw)).toBe(true);
		expect(matches("-m rpfilter", p({ saddr: 0x08080808n, iif: "eth1" }), raw)).toBe(false);
		expect(matches("-m rpfilter", p({ saddr: 0x08080808n, iif: "lo" }), raw)).toBe(true);
		expect(matches("-m rpfilter", p({ saddr: 0n, daddr: 0xffffffffn, iif: "eth1" }), raw)).toBe(true);
	});
	it("a local source fails unless --accept-local; a subnet broadcast source fails (nft's fib passes it)", () => {
		expect(matches("-m rpfilter", p({ saddr: 0xc6336401n, iif: "eth0" }), raw)).toBe(false);
		expect(matches("-m rpfilter --accept-local", p({ saddr: 0xc6336401n, iif: "eth0" }), raw)).toBe(true);
		expect(matches("-m rpfilter", p({ saddr: 0xc63364ffn, iif: "eth0" }), raw)).toBe(false);
	});
	it("ip6: the unspecified source always passes", () => {
		expect(matches("-m rpfilter", p({ fam: 6, saddr: 0n, iif: "eth1" }), { ...raw, fam: 6 })).toBe(true);
	});
});

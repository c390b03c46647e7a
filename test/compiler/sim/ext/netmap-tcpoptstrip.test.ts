/**
 * Simulator semantics of NETMAP (`dnat|snat prefix to`) and TCPOPTSTRIP (`reset tcp option`):
 * ipt2nft's translation verifies equal, a translation with one value moved is caught, and the
 * mapped address / remaining options are what the kernel computes.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../../compiler/index.js";
import { verifyTexts } from "../../../../compiler/verify.js";
import { simulate } from "../../../../compiler/sim/verify.js";
import { iptSide } from "../../../../compiler/sim/ipt/side.js";
import { nftSide } from "../../../../compiler/sim/nft/index.js";
import type { SimSide } from "../../../../compiler/sim/model.js";
import { formatAddr } from "../../../../compiler/sim/addr.js";
import { parseNft } from "../../../../grammar/nft/index.js";
import { HOST, ip, pkt } from "../nft/harness.js";
import { parse } from "../helpers.js";

function verify(rules: string, nft: string, family?: "ip" | "ip6") {
	const r = verifyTexts(rules, nft, { oldFile: "t.rules", newFile: "t.nft", packets: 3000, conntrack: true, ...(family ? { family } : {}) });
	if (r.kind === "input-error") throw new Error(r.diagnostics.map((d) => d.message).join("; "));
	return r.result;
}

function translated(rules: string, family?: "ip" | "ip6"): string {
	const out = compile(rules, { file: "t.rules", ...(family ? { family } : {}) });
	expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
	expect(out.ok).toBe(true);
	return out.output;
}

const NAT_HEAD = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n";
const natTable = (fam: string, chains: string): string =>
	`table ${fam} nat {\n\tchain PREROUTING {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n${chains.split("|")[0] ?? ""}\n\t}\n\tchain OUTPUT {\n\t\ttype nat hook output priority -100; policy accept;\n${chains.split("|")[1] ?? ""}\n\t}\n\tchain POSTROUTING {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n${chains.split("|")[2] ?? ""}\n\t}\n\tchain INPUT {\n\t\ttype nat hook input priority 100; policy accept;\n${chains.split("|")[3] ?? ""}\n\t}\n}\n`;

describe("NETMAP: translation equal, moved values caught", () => {
	const rules = `${NAT_HEAD}-A PREROUTING -d 192.0.2.0/24 -j NETMAP --to 10.1.2.0/24\n-A POSTROUTING -s 10.1.2.0/24 -j NETMAP --to 192.0.2.0/24\nCOMMIT\n`;
	const good = ["\t\tip daddr 192.0.2.0/24 dnat prefix to 10.1.2.0/24", "", "\t\tip saddr 10.1.2.0/24 snat prefix to 192.0.2.0/24", ""].join("|");
	it("translation is equal", () => {
		const out = translated(rules);
		expect(out).toContain("dnat prefix to 10.1.2.0/24");
		expect(out).toContain("snat prefix to 192.0.2.0/24");
		expect(verify(rules, out).equal).toBe(true);
		expect(verify(rules, natTable("ip", good)).equal).toBe(true);
	});
	it("a plain dnat to the network (host bits lost) is caught", () => {
		expect(verify(rules, natTable("ip", good.replace("dnat prefix to 10.1.2.0/24", "dnat to 10.1.2.0"))).equal).toBe(false);
	});
	it("a different prefix length is caught", () => {
		expect(verify(rules, natTable("ip", good.replace("dnat prefix to 10.1.2.0/24", "dnat prefix to 10.1.2.0/25"))).equal).toBe(false);
	});
	it("a different network is caught", () => {
		expect(verify(rules, natTable("ip", good.replace("snat prefix to 192.0.2.0/24", "snat prefix to 192.0.3.0/24"))).equal).toBe(false);
	});
	it("ip6", () => {
		const r6 = `${NAT_HEAD}-A PREROUTING -d 2001:db8::/64 -j NETMAP --to fd00:1::/64\nCOMMIT\n`;
		const out = translated(r6, "ip6");
		expect(out).toContain("dnat prefix to fd00:1::/64");
		expect(verify(r6, out, "ip6").equal).toBe(true);
		expect(verify(r6, out.replace("fd00:1::/64", "fd00:1::/65"), "ip6").equal).toBe(false);
	});
	it("a user chain takes the kind of the hooks that reach it", () => {
		const r = `${NAT_HEAD}:NM - [0:0]\n-A OUTPUT -j NM\n-A NM -d 198.51.100.0/24 -j NETMAP --to 10.9.0.0/16\nCOMMIT\n`;
		const out = compile(r, { file: "t.rules", optimize: 0 });
		expect(out.ok).toBe(true);
		expect(out.output).toContain("ip daddr 198.51.100.0/24 dnat prefix to 10.9.0.0/16");
		expect(verify(r, out.output).equal).toBe(true);
	});
	it("a user chain reached for both source and destination NAT is refused", () => {
		const r = `${NAT_HEAD}:NM - [0:0]\n-A PREROUTING -j NM\n-A POSTROUTING -j NM\n-A NM -j NETMAP --to 10.9.0.0/16\nCOMMIT\n`;
		const out = compile(r, { file: "t.rules" });
		expect(out.ok).toBe(false);
		expect(out.diagnostics.map((d) => d.code)).toContain("inexpressible");
		expect(out.diagnostics.find((d) => d.code === "inexpressible")?.span?.line).toBe(9);
	});
});

describe("NETMAP: the mapped address keeps the host bits on both sides", () => {
	const rules = `${NAT_HEAD}-A PREROUTING -j NETMAP --to 10.1.0.0/16\n-A POSTROUTING -j NETMAP --to 172.16.0.0/12\nCOMMIT\n`;
	const nft = natTable("ip", ["\t\tdnat prefix to 10.1.0.0/16", "", "\t\tsnat prefix to 172.16.0.0/12", ""].join("|"));
	const sides: Record<string, SimSide> = {
		ipt: iptSide(parse(rules)),
		nft: nftSide(parseNft(nft, "t.nft").ast),
	};
	for (const [name, s] of Object.entries(sides))
		it(name, () => {
			// Forwarded: eth0 -> 192.168.1.0/24 is routed out eth1; PREROUTING maps the destination.
			const d = simulate([s], HOST, { id: 1, kind: "packet", pkt: pkt({ saddr: ip("10.0.0.77"), daddr: ip("192.168.55.66"), ct: { state: "new", status: 0, mark: 0, dir: "original", expire: 0, zone: 0 } }) });
			const o = d.entries[0]!.outcome.packets[0]!;
			expect(formatAddr(4, o.daddr)).toBe("10.1.55.66");
			// 10.0.0.77 keeps its low 20 bits under 172.16.0.0/12.
			expect(formatAddr(4, o.saddr)).toBe("172.16.0.77");
		});
});

describe("TCPOPTSTRIP: translation equal, moved values caught", () => {
	const rules = "*mangle\n:FORWARD ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n-A FORWARD -p tcp -j TCPOPTSTRIP --strip-options wscale,mss\n-A INPUT -p tcp --dport 22 -j TCPOPTSTRIP --strip-options sack-permitted,timestamp\nCOMMIT\n";
	const table = (fwd: string, inp: string): string =>
		`table ip mangle {\n\tchain FORWARD {\n\t\ttype filter hook forward priority mangle; policy accept;\n\t\t${fwd}\n\t}\n\tchain INPUT {\n\t\ttype filter hook input priority mangle; policy accept;\n\t\t${inp}\n\t}\n}\n`;
	const fwd = "ip protocol tcp reset tcp option maxseg reset tcp option window";
	const inp = "tcp dport 22 reset tcp option sack-perm reset tcp option timestamp";
	it("translation is equal", () => {
		const out = translated(rules);
		expect(out).toContain("reset tcp option maxseg reset tcp option window");
		expect(verify(rules, out).equal).toBe(true);
		expect(verify(rules, table(fwd, inp)).equal).toBe(true);
	});
	it("a different option is caught", () => {
		expect(verify(rules, table(fwd.replace("window", "sack-perm"), inp)).equal).toBe(false);
		expect(verify(rules, table(fwd, inp.replace("timestamp", "window"))).equal).toBe(false);
	});
	it("a missing reset is caught", () => {
		expect(verify(rules, table("ip protocol tcp reset tcp option maxseg", inp)).equal).toBe(false);
	});
	it("a different port is caught", () => {
		expect(verify(rules, table(fwd, inp.replace("dport 22", "dport 23"))).equal).toBe(false);
	});
	it("numeric kinds parse and verify (kind 7)", () => {
		const r7 = "*mangle\n:FORWARD ACCEPT [0:0]\n-A FORWARD -p tcp -j TCPOPTSTRIP --strip-options 7,mss\nCOMMIT\n";
		const out = translated(r7);
		expect(out).toContain("reset tcp option maxseg reset tcp option 7");
		expect(verify(r7, out).equal).toBe(true);
	});
});

describe("TCPOPTSTRIP: which copies go", () => {
	const rules = "*mangle\n:FORWARD ACCEPT [0:0]\n-A FORWARD -p tcp -j TCPOPTSTRIP --strip-options mss\nCOMMIT\n";
	const nft = "table ip mangle {\n\tchain FORWARD {\n\t\ttype filter hook forward priority mangle; policy accept;\n\t\tip protocol tcp reset tcp option maxseg\n\t}\n}\n";
	const run = (s: SimSide, opts: number[]) =>
		simulate([s], HOST, { id: 1, kind: "packet", pkt: pkt({ daddr: ip("192.168.1.9"), tcpOptions: opts, ct: { state: "new", status: 0, mark: 0, dir: "original", expire: 0, zone: 0 } }) }).entries[0]!.outcome.packets[0]!;
	const ipt = iptSide(parse(rules));
	const nftS = nftSide(parseNft(nft, "t.nft").ast);
	it("both remove the option and record what is left", () => {
		expect(run(ipt, [2, 4, 8]).tcpOptions).toEqual([4, 8]);
		expect(run(nftS, [2, 4, 8]).tcpOptions).toEqual([4, 8]);
	});
	it("a repeated option: xt_TCPOPTSTRIP clears every copy, nft's reset the first (the documented lossy case)", () => {
		expect(run(ipt, [2, 3, 2]).tcpOptions).toEqual([3]);
		expect(run(nftS, [2, 3, 2]).tcpOptions).toEqual([3, 2]);
	});
});

describe("CONNSECMARK: the guarded copy on both sides", () => {
	const est = (secmark?: number) => ({ state: "established" as const, status: 0, mark: 0, dir: "original" as const, expire: 0, zone: 0, ...(secmark !== undefined ? { secmark } : {}) });
	// Delivered locally (security INPUT); packet secmark / connection secmark before the rule.
	const packets = [
		pkt({ secmark: 5, ct: est() }),
		pkt({ secmark: 5, ct: est(7) }),
		pkt({ ct: est(7) }),
		pkt({ ct: est() }),
		pkt({ secmark: 5, ct: { state: "untracked", status: 0, mark: 0, dir: "original", expire: 0, zone: 0 } }),
	];
	const keys = (s: SimSide): string[] =>
		packets.map((p, i) => {
			const o = simulate([s], HOST, { id: i, kind: "packet", pkt: p }).entries[0]!.outcome.packets[0]!;
			return `sec=${o.secmark ?? 0} ctsec=${o.ctSecmark ?? 0}`;
		});
	const nftFor = (line: string): SimSide =>
		nftSide(parseNft(`table ip security {\n\tchain INPUT {\n\t\ttype filter hook input priority 50; policy accept;\n\t\t${line}\n\t}\n}\n`, "t.nft").ast);
	for (const mode of ["save", "restore"] as const) {
		const rules = `*security\n:INPUT ACCEPT [0:0]\n-A INPUT -j CONNSECMARK --${mode}\nCOMMIT\n`;
		it(`--${mode}: translation gives the kernel's result`, () => {
			const out = translated(rules);
			const line = out.split("\n").find((l) => l.includes("secmark set"))!.trim();
			const want =
				mode === "save"
					? ["sec=5 ctsec=5", "sec=5 ctsec=7", "sec=0 ctsec=7", "sec=0 ctsec=0", "sec=5 ctsec=0"]
					: ["sec=5 ctsec=0", "sec=5 ctsec=7", "sec=7 ctsec=7", "sec=0 ctsec=0", "sec=5 ctsec=0"];
			expect(keys(iptSide(parse(rules)))).toEqual(want);
			expect(keys(nftFor(line))).toEqual(want);
			// The corpus carries no security marks: the whole-ruleset comparison is equal too.
			expect(verify(rules, out).equal).toBe(true);
		});
	}
	it("an unguarded copy is caught", () => {
		const save = `*security\n:INPUT ACCEPT [0:0]\n-A INPUT -j CONNSECMARK --save\nCOMMIT\n`;
		expect(keys(nftFor("ct secmark set meta secmark"))).not.toEqual(keys(iptSide(parse(save))));
		const restore = `*security\n:INPUT ACCEPT [0:0]\n-A INPUT -j CONNSECMARK --restore\nCOMMIT\n`;
		expect(keys(nftFor("meta secmark set ct secmark"))).not.toEqual(keys(iptSide(parse(restore))));
		expect(keys(nftFor("meta secmark & 0xffffffff != 0 ct secmark set meta secmark"))).not.toEqual(keys(iptSide(parse(save))));
	});
});

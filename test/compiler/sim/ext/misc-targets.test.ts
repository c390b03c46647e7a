/**
 * Simulator semantics of TEE (`dup`), TRACE (`meta nftrace set 1`), CONNMARK shifts, socket
 * --restore-skmark and the base-0 numbers: ipt2nft's translation verifies equal, and the same
 * translation with one value moved verifies different (the corpus reaches the edges on both
 * sides, and both evaluators model the effect).
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../../compiler/index.js";
import { verifyTexts } from "../../../../compiler/verify.js";
import { simulate } from "../../../../compiler/sim/verify.js";
import { iptSide } from "../../../../compiler/sim/ipt/side.js";
import { nftSide } from "../../../../compiler/sim/nft/index.js";
import type { SimSide } from "../../../../compiler/sim/model.js";
import { parseNft } from "../../../../grammar/nft/index.js";
import { HOST, ip, pkt } from "../nft/harness.js";
import { parse } from "../helpers.js";

interface Case {
	readonly name: string;
	readonly family?: "ip" | "ip6";
	readonly rules: string;
	/** [text in the translation, its replacement]: each must verify different. */
	readonly mutants: readonly (readonly [string, string])[];
}

function verify(rules: string, nft: string, family?: "ip" | "ip6") {
	const r = verifyTexts(rules, nft, { oldFile: "t.rules", newFile: "t.nft", packets: 3000, conntrack: true, ...(family ? { family } : {}) });
	if (r.kind === "input-error") throw new Error(r.diagnostics.map((d) => d.message).join("; "));
	expect(r.result.refused).toEqual([]);
	return r.result;
}

const mangle = (pre: string): string => `*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${pre}COMMIT\n`;

const CASES: readonly Case[] = [
	{
		name: "TEE: the copy's gateway, device and mark are compared",
		rules: mangle("-A PREROUTING -p tcp --dport 22 -j TEE --gateway 192.0.2.7 --oif lo\n-A PREROUTING -j MARK --set-mark 0x5\n-A POSTROUTING -p udp -j TEE --gateway 192.0.2.9\n"),
		mutants: [
			["dup to 192.0.2.7", "dup to 192.0.2.8"],
			['device "lo"', 'device "eth0"'],
			["tcp dport 22 dup", "tcp dport 23 dup"],
			// the copy taken after MARK carries the new mark
			["meta mark set 0x00000005", "meta mark set 0x00000005 dup to 192.0.2.7 device \"lo\""],
			["ip protocol udp dup to 192.0.2.9", "ip protocol udp"],
		],
	},
	{
		name: "TEE ip6",
		family: "ip6",
		rules: mangle("-A FORWARD -j TEE --gateway fd00::7\n"),
		mutants: [["dup to fd00::7", "dup to fd00::8"]],
	},
	{
		name: "TRACE does not end the rule walk",
		rules: "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -p tcp --dport 22 -j TRACE\n-A PREROUTING -p tcp -j DROP\nCOMMIT\n",
		mutants: [["meta nftrace set 1", "meta nftrace set 1 accept"]],
	},
	{
		name: "CONNMARK --set-mark with a right shift",
		rules: mangle("-A PREROUTING -j CONNMARK --set-mark 0x23/0x42 --right-shift-mark 5\n-A PREROUTING -m connmark --mark 0x1 -j MARK --set-mark 0x7\n"),
		mutants: [
			[") >> 5", ") >> 4"],
			["0xffffff9c ^ 0x00000023", "0xffffff9c ^ 0x00000043"],
		],
	},
	{
		name: "CONNMARK --save-mark --nfmask with a left shift",
		rules: mangle("-A PREROUTING -j MARK --set-xmark 0xabcd/0xffff\n-A PREROUTING -j CONNMARK --save-mark --nfmask 0xff --left-shift-mark 8\n"),
		mutants: [
			[") << 8", ") << 7"],
			["meta mark & 0x000000ff", "meta mark & 0x000000fe"],
		],
	},
	{
		name: "CONNMARK --restore-mark --ctmask with a right shift",
		rules: mangle("-A PREROUTING -j CONNMARK --set-mark 0x12345\n-A PREROUTING -j CONNMARK --restore-mark --ctmask 0xff00 --right-shift-mark 8\n"),
		mutants: [
			[") >> 8", ") >> 9"],
			["(ct mark & 0x0000ff00) >> 8", "ct mark >> 8"],
		],
	},
	{
		name: "socket --nowildcard --restore-skmark: the mark even for a rule whose later match fails",
		rules: mangle("-A PREROUTING -p tcp -m socket --nowildcard --restore-skmark -m tcp --dport 80 -j ACCEPT\n-A PREROUTING -m mark --mark 0x7 -j DROP\n"),
		mutants: [
			["meta mark set socket mark", "meta mark set 0x00000007"],
			// the mark set only where the whole rule matches
			["meta mark set socket mark", "tcp dport 80 meta mark set socket mark"],
		],
	},
	{
		name: "socket --transparent --nowildcard --restore-skmark",
		rules: mangle("-A PREROUTING -m socket --transparent --nowildcard --restore-skmark\n-A PREROUTING -m mark ! --mark 0x0 -j DROP\n"),
		mutants: [["socket transparent 1 meta mark set socket mark", "socket transparent 0-1 meta mark set socket mark"]],
	},
	{
		name: "icmp info-request",
		rules: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p icmp -m icmp --icmp-type info-request -j DROP\n-A INPUT -p icmp -m icmp --icmp-type 0x10 -j REJECT\nCOMMIT\n",
		mutants: [
			["icmp type info-request", "icmp type info-reply"],
			["icmp type info-reply reject", "icmp type address-mask-request reject"],
		],
	},
	{
		name: "length 86:0xffff",
		rules: "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p icmp -m length --length 86:0xffff -j DROP\nCOMMIT\n",
		mutants: [["meta length 86-65535", "meta length 87-65535"]],
	},
];

describe("translation equal, one moved value caught", () => {
	for (const c of CASES) {
		it(c.name, () => {
			const out = compile(c.rules, { file: "t.rules", ...(c.family ? { family: c.family } : {}) });
			expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
			expect(out.ok).toBe(true);
			expect(verify(c.rules, out.output, c.family).equal).toBe(true);
			// The -O2 passes (merging, reordering, inet folding) keep it equal too.
			const o2 = compile(c.rules, { file: "t.rules", optimize: 2, ...(c.family ? { family: c.family } : {}) });
			expect(verify(c.rules, o2.output, c.family).equal).toBe(true);
			for (const [from, to] of c.mutants) {
				expect(out.output, from).toContain(from);
				expect(verify(c.rules, out.output.replace(from, to), c.family).equal, `${from} -> ${to}`).toBe(false);
			}
		});
	}
});

describe("socket --restore-skmark without --nowildcard: differs only for TIME_WAIT sockets (reported lossy)", () => {
	it("every difference is a packet whose socket is a TIME_WAIT one", () => {
		const rules = mangle("-A PREROUTING -p tcp -m socket --restore-skmark -j ACCEPT\n-A PREROUTING -m mark --mark 0x7 -j DROP\n");
		const out = compile(rules, { file: "t.rules" });
		expect(out.diagnostics.map((d) => d.code)).toContain("lossy_translation");
		const r = verify(rules, out.output);
		// The difference is real (the corpus has TIME_WAIT sockets) and it is the only one.
		expect(r.differences.length).toBeGreaterThan(0);
		for (const d of r.differences) expect(d.scenario.pkt.sockets?.established?.full).toBe(false);
	});
});

describe("the effects on each side, packet by packet", () => {
	const rules = mangle("-A PREROUTING -p tcp -j TEE --gateway 192.0.2.7\n-A PREROUTING -p tcp -m socket --nowildcard --restore-skmark -m tcp --dport 81 -j ACCEPT\n");
	const nftText = compile(rules, { file: "t.rules" }).output;
	const sides: Record<string, SimSide> = { ipt: iptSide(parse(rules)), nft: nftSide(parseNft(nftText, "t.nft").ast) };
	const established = { state: "established", status: 0, mark: 0, dir: "original", expire: 0, zone: 0 } as const;
	for (const [name, s] of Object.entries(sides))
		it(name, () => {
			// Port 80: the rule's tcp match fails after the socket match set the mark.
			const p = pkt({ saddr: ip("10.0.0.77"), daddr: ip("192.168.55.66"), proto: 6, dport: 80, ct: established, sockets: { established: { transparent: false, wildcard: false, full: true, mark: 0x42 } } });
			const o = simulate([s], HOST, { id: 1, kind: "packet", pkt: p }).entries[0]!.outcome.packets[0]!;
			expect(o.mark).toBe(0x42);
			expect(o.dups).toEqual([{ gateway: ip("192.0.2.7"), mark: 0, hook: "prerouting" }]);
			// A TIME_WAIT socket matches without a mark to restore.
			const tw = pkt({ ...p, sockets: { established: { transparent: false, wildcard: false, full: false } } });
			expect(simulate([s], HOST, { id: 2, kind: "packet", pkt: tw }).entries[0]!.outcome.packets[0]!.mark).toBe(0);
		});
});

describe("nft grammar: dup", () => {
	const table = (fam: string, stmt: string): string => `table ${fam} t {\n\tchain c {\n\t\ttype filter hook prerouting priority -150; policy accept;\n\t\t${stmt}\n\t}\n}\n`;
	const stmtOf = (fam: string, stmt: string) => {
		const r = parseNft(table(fam, stmt), "t.nft");
		return { codes: r.diagnostics.map((d) => d.code), stmt: r.ast.tables[0]?.chains[0]?.rules[0]?.stmts[0] };
	};
	it("ip and ip6, with and without a device", () => {
		expect(stmtOf("ip", "dup to 192.0.2.7").stmt).toMatchObject({ kind: "dup", addr: ip("192.0.2.7") });
		expect(stmtOf("ip", 'dup to 192.0.2.7 device "lo"').stmt).toMatchObject({ kind: "dup", addr: ip("192.0.2.7"), device: "lo" });
		expect(stmtOf("ip6", "dup to fd00::7 device eth0").stmt).toMatchObject({ kind: "dup", addr: ip("fd00::7"), device: "eth0" });
	});
	it("refused where nft 1.0.6 refuses it", () => {
		expect(stmtOf("inet", "dup to 192.0.2.7").codes).toEqual(["nft_unsupported"]);
		expect(stmtOf("ip", "dup to fd00::7").codes).toEqual(["nft_syntax_error"]);
		expect(stmtOf("ip6", "dup to 192.0.2.7").codes).toEqual(["nft_syntax_error"]);
	});
	it("meta nftrace set 1 and the mark shifts parse", () => {
		expect(stmtOf("ip", "meta nftrace set 1").codes).toEqual([]);
		expect(stmtOf("ip", "ct mark set (ct mark & 0xffffff9c ^ 0x00000023) >> 5").stmt).toMatchObject({ kind: "set", value: { kind: "binop", op: ">>" } });
		expect(stmtOf("ip", "meta mark set socket mark").stmt).toMatchObject({ kind: "set", value: { kind: "socket", key: "mark" } });
	});
});

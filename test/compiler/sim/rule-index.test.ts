/**
 * The iptables evaluator's dispatch index (long chains keyed on destination /32 or destination
 * port) must keep first-match semantics exact, and EvalContext.countRules must count rules the
 * way the kernel's linear walk does, whatever the index skipped. Also the nft side's count and
 * the per-packet statistics of verify().
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { verifyTexts } from "../../../compiler/verify.js";
import { defaultHost } from "../../../compiler/sim/host.js";
import { makePacket } from "../../../compiler/sim/make.js";
import { nftSide } from "../../../compiler/sim/nft/side.js";
import { parseNft } from "../../../grammar/nft/index.js";
import { parse, side, testCtx } from "./helpers.js";
import type { Packet } from "../../../compiler/sim/packet.js";

const N = 40;

/** INPUT: 40 rules keyed on -d 10.0.0.i/32 with unkeyed rules between; KEYS: 40 rules keyed on --dport. */
function ruleset(): string {
	const lines = ["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":PORTS - [0:0]"];
	for (let i = 0; i < N; i++) {
		lines.push(`-A INPUT -d 10.0.0.${i}/32 -p tcp -m tcp --dport ${80 + (i % 3)} -j ${i % 2 ? "ACCEPT" : "DROP"}`);
		if (i === 10) lines.push("-A INPUT -p tcp -m tcp --dport 81 -j REJECT --reject-with tcp-reset");
		if (i === 20) lines.push("-A INPUT -d 10.0.0.0/24 -p udp -j PORTS");
		if (i === 30) lines.push("-A INPUT -m mark --mark 0x1 -j ACCEPT");
	}
	for (let i = 0; i < N; i++) {
		lines.push(`-A PORTS -p udp -m udp --dport ${1000 + i} -j ${i % 2 ? "ACCEPT" : "DROP"}`);
		if (i === 5) lines.push("-A PORTS -s 192.0.2.0/24 -j DROP");
	}
	lines.push("-A INPUT -j DROP", "COMMIT", "");
	return lines.join("\n");
}

describe("dispatch index of the iptables evaluator", () => {
	const text = ruleset();
	const host = defaultHost({ ifaces: ["eth0"], addrs: [] });

	it("is first-match exact: verify against the linear nft translation agrees on a full corpus", () => {
		const c = compile(text, { file: "idx.rules", optimize: 0 });
		expect(c.ok).toBe(true);
		// conntrack: true, as the TCP offset-1 hotdrop has no nft counterpart (a translation matter).
		const v = verifyTexts(text, c.output, { oldFile: "idx.rules", newFile: "idx.nft", packets: 20000, conntrack: true });
		expect(v.kind === "done" && v.result.equal).toBe(true);
	});

	it("counts rules as the linear walk does", () => {
		const s = side(text);
		const counts: number[] = [];
		const run = (over: Partial<Packet>): string => {
			const ctx = { ...testCtx(host, "input"), countRules: (n: number) => counts.push(n) };
			return s.baseChains("input", 4)[0]!.run(makePacket({ iif: "eth0", ...over }), ctx).kind;
		};
		// 10.0.0.3 dport 80: rule index of `-d 10.0.0.3 --dport 80`? i=3 has dport 83%3=80+0 -> 80; rules before it: 0..2.
		expect(run({ daddr: 0x0a000003n, proto: 6, dport: 80 })).toBe("accept");
		expect(counts.at(-1)).toBe(4);
		// dport 81 to an address whose own rule wants another port: the REJECT after i=10 (12th rule).
		expect(run({ daddr: 0x0a000000n, proto: 6, dport: 81 })).toBe("reject");
		expect(counts.at(-1)).toBe(12);
		// udp into PORTS: 22 rules before the jump (i=0..20 plus the REJECT), then PORTS up to --dport 1003.
		expect(run({ daddr: 0x0a000005n, proto: 17, dport: 1003, saddr: 0x0a000001n })).toBe("accept");
		expect(counts.at(-1)).toBe(23 + 4);
		// udp port no PORTS rule names: all 41 PORTS rules, back to INPUT, the rest of INPUT (19 keyed + mark rule + final drop).
		expect(run({ daddr: 0x0a000005n, proto: 17, dport: 9, saddr: 0x0a000001n })).toBe("drop");
		expect(counts.at(-1)).toBe(23 + 41 + (N - 21) + 1 + 1);
		// nothing matches before the final DROP: every rule of INPUT.
		expect(run({ daddr: 0x0b000000n, proto: 6, dport: 80 })).toBe("drop");
		expect(counts.at(-1)).toBe(N + 3 + 1);
	});

	it("does not skip the tcp match's hotdrop of offset-1 fragments", () => {
		const s = side(text);
		const ctx = testCtx(host, "input");
		const out = s.baseChains("input", 4)[0]!.run(makePacket({ iif: "eth0", daddr: 0x0a000001n, proto: 6, dport: 9999, fragOffset: 1 }), ctx);
		expect(out.kind).toBe("drop");
		expect(ctx.steps.at(-1)?.verdict).toMatch(/hotdrop/);
		// and parse() accepted the ruleset as a whole
		expect(parse(text).tables.length).toBe(1);
	});

	it("nft side counts rules the same way, a vmap lookup as one rule", () => {
		const nft = `table ip t {
	chain in {
		type filter hook input priority 0; policy accept;
		ip saddr 192.0.2.1 drop
		tcp dport vmap { 80 : jump web, 443 : accept }
		ip daddr 10.0.0.1 drop
	}
	chain web {
		ip saddr 192.0.2.2 return
		accept
	}
}`;
		const s = nftSide(parseNft(nft, "t.nft").ast);
		const counts: number[] = [];
		const run = (over: Partial<Packet>): string => {
			const ctx = { ...testCtx(host, "input"), countRules: (n: number) => counts.push(n) };
			return s.baseChains("input", 4)[0]!.run(makePacket({ iif: "eth0", saddr: 0xc6336402n, ...over }), ctx).kind;
		};
		expect(run({ dport: 443 })).toBe("accept");
		expect(counts.at(-1)).toBe(2);
		expect(run({ dport: 80 })).toBe("accept");
		expect(counts.at(-1)).toBe(2 + 2);
		expect(run({ dport: 80, saddr: 0xc0000202n, daddr: 0x0a000001n })).toBe("drop");
		expect(counts.at(-1)).toBe(2 + 1 + 1);
		expect(run({ dport: 22 })).toBe("accept");
		expect(counts.at(-1)).toBe(3);
	});

	it("verify reports rule evaluations per packet on request", () => {
		const c = compile(text, { file: "idx.rules", optimize: 0 });
		const v = verifyTexts(text, c.output, { oldFile: "idx.rules", newFile: "idx.nft", packets: 2000, stats: true, conntrack: true });
		if (v.kind !== "done") throw new Error("refused");
		const st = v.result.stats!;
		expect(st.old.packets).toBeGreaterThanOrEqual(v.result.checked);
		expect(st.old.mean).toBeGreaterThan(1);
		expect(st.old.max).toBeLessThanOrEqual(N + 3 + 1 + 41 + 1);
		// The same linear ruleset on both sides: the same counts.
		expect(st.new.rules).toBe(st.old.rules);
		expect(st.new.max).toBe(st.old.max);
	});
});

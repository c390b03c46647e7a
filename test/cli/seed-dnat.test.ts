/**
 * The seed article's point, shown on both sides of a translation: a connection to docker's
 * published port 8081 is DNATed in nat PREROUTING and then traverses FORWARD (to the container
 * behind br-ac3e0514d837), never INPUT; so an INPUT drop rule does not stop it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseIptables } from "../../grammar/iptables/index.js";
import { parseNft } from "../../grammar/nft/index.js";
import { compile } from "../../compiler/index.js";
import { defaultHost } from "../../compiler/sim/host.js";
import { iptHostHints, iptSide } from "../../compiler/sim/ipt/index.js";
import { makePacket } from "../../compiler/sim/make.js";
import type { SimSide } from "../../compiler/sim/model.js";
import { nftSide } from "../../compiler/sim/nft/index.js";
import { simulate } from "../../compiler/sim/verify.js";
import { EXAMPLES } from "../helpers/paths.js";

const input = readFileSync(join(EXAMPLES, "docker-caddy.dump"), "utf8");
// The host firewall an admin would add, expecting it to protect the published port.
const withInputDrop = input.replace("$ sudo iptables -t filter -S\n-P INPUT ACCEPT\n", "$ sudo iptables -t filter -S\n-P INPUT ACCEPT\n-A INPUT -p tcp -m tcp --dport 8081 -j DROP\n");

function sides(text: string): { ipt: SimSide; nft: SimSide; host: ReturnType<typeof defaultHost> } {
	const parsed = parseIptables(text, { file: "docker-caddy.dump" });
	expect(parsed.diagnostics).toEqual([]);
	const out = compile(text, { file: "docker-caddy.dump" });
	expect(out.ok).toBe(true);
	const ast = parseNft(out.output, "docker-caddy.nft");
	expect(ast.diagnostics).toEqual([]);
	return { ipt: iptSide(parsed.ruleset), nft: nftSide(ast.ast), host: defaultHost(iptHostHints(parsed.ruleset)) };
}

describe("seed: published port 8081", () => {
	it("an INPUT drop rule was added to the filter table", () => {
		expect(withInputDrop).toContain("-A INPUT -p tcp -m tcp --dport 8081 -j DROP");
	});

	for (const text of [input, withInputDrop]) {
		const s = sides(text);
		// From the internet, on the uplink, to the host's own address.
		const uplink = s.host.interfaces.find((i) => i.name === "eth0")!.addrs.find((a) => a.fam === 4)!.addr;
		const pkt = makePacket({ fam: 4, saddr: 0xcb007107n, daddr: uplink, proto: 6, sport: 40000, dport: 8081, tcpFlags: 0x02, iif: "eth0" });
		for (const [name, side] of [
			["iptables", s.ipt],
			["nft", s.nft],
		] as const) {
			it(`${name}${text === input ? "" : " (with INPUT drop)"}: DNAT to 172.18.0.2:80, then FORWARD out the bridge, never INPUT`, () => {
				const dist = simulate([side], s.host, { id: 1, kind: "flow", pkt });
				expect(dist.entries).toHaveLength(1);
				const first = dist.entries[0]!.outcome.packets[0]!;
				expect(first.fate).toEqual({ kind: "forwarded", oif: "br-ac3e0514d837" });
				expect(first.daddr).toBe(0xac120002n);
				expect(first.dport).toBe(80);
				const chains = first.trace.map((t) => t.chain);
				expect(chains.some((c) => /FORWARD/.test(c))).toBe(true);
				expect(chains.some((c) => /INPUT/.test(c))).toBe(false);
				// The reply leaves with the published address and port again (reverse NAT).
				const reply = dist.entries[0]!.outcome.packets.find((p) => p.role === "reply")!;
				expect(reply.saddr).toBe(uplink);
				expect(reply.sport).toBe(8081);
			});
		}
	}
});

/**
 * Property tests of compile() + verify over random small iptables rulesets in a tiny space:
 * addresses in 10.0.0.0/30, ports 1-4, tcp/udp, interfaces eth1/eth2 (and the wildcard eth+),
 * accept/drop/return/jump to a user chain, ct state.
 *
 * 1. compile() (default -O level) then verifyTexts: equal.
 * 2. the translation broken by one mutation operator (test/compiler/sim/mutants.ts): whenever an
 *    exhaustive enumeration of the tiny space (every address pair, protocol, port pair, input
 *    interface or local origin, ct state; single packets and flows) through the simulator finds a
 *    packet the two sides treat differently, verify, with its normal corpus generation, must report
 *    a difference too. The enumeration is the oracle; the property is that the corpus generator
 *    does not miss differences the rules' own values can show.
 * Seeded and bounded (numRuns) so the suite stays fast and reproducible.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIptables } from "../../../grammar/iptables/index.js";
import { parseNft } from "../../../grammar/nft/index.js";
import { compile } from "../../../compiler/index.js";
import { verifyTexts } from "../../../compiler/verify.js";
import { iptSide } from "../../../compiler/sim/ipt/side.js";
import { makePacket } from "../../../compiler/sim/make.js";
import type { Host } from "../../../compiler/sim/model.js";
import { nftSide } from "../../../compiler/sim/nft/side.js";
import { distributionsEqual } from "../../../compiler/sim/outcome.js";
import { CT_STATUS, type CtState, type Packet } from "../../../compiler/sim/packet.js";
import type { Scenario } from "../../../compiler/sim/scenario.js";
import { simulator } from "../../../compiler/sim/verify.js";
import { analyse, OPERATORS } from "./mutants.js";

const ADDRS = ["10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3"];
const IFACES = ["eth1", "eth2"];
const PORTS = [1, 2, 3, 4];
const BASE = ["INPUT", "FORWARD", "OUTPUT"] as const;

type ChainName = (typeof BASE)[number] | "USER";

interface RuleSpec {
	readonly chain: ChainName;
	readonly text: string;
}

const addrArb = fc
	.tuple(fc.constantFrom(...ADDRS), fc.constantFrom("", "/32", "/31", "/30"), fc.boolean())
	.map(([a, len, neg]) => `${neg ? "! " : ""}${a}${len}`);
const portArb = fc.tuple(fc.constantFrom(...PORTS), fc.constantFrom(0, 0, 1, 2)).map(([p, w]) => (w === 0 || p + w > 4 ? `${p}` : `${p}:${p + w}`));

function ruleArb(chain: ChainName): fc.Arbitrary<RuleSpec> {
	const targets = chain === "USER" ? ["ACCEPT", "DROP", "RETURN"] : ["ACCEPT", "DROP", "RETURN", "USER"];
	return fc
		.record({
			src: fc.option(addrArb, { freq: 2 }),
			dst: fc.option(addrArb, { freq: 2 }),
			proto: fc.option(fc.constantFrom("tcp", "udp"), { freq: 1 }),
			dport: fc.option(portArb, { freq: 1 }),
			sport: fc.option(portArb, { freq: 3 }),
			iface: fc.option(fc.tuple(fc.constantFrom("eth1", "eth2", "eth+"), fc.boolean()), { freq: 2 }),
			ct: fc.option(fc.constantFrom("NEW", "ESTABLISHED", "RELATED,ESTABLISHED", "NEW,ESTABLISHED"), { freq: 3 }),
			target: fc.constantFrom(...targets),
		})
		.map((r) => {
			const parts: string[] = [];
			if (r.src !== null) parts.push(r.src.startsWith("!") ? `! -s ${r.src.slice(2)}` : `-s ${r.src}`);
			if (r.dst !== null) parts.push(r.dst.startsWith("!") ? `! -d ${r.dst.slice(2)}` : `-d ${r.dst}`);
			// -i only where packets come in, -o where they go out (iptables refuses the others).
			if (r.iface !== null) {
				const [name, neg] = r.iface;
				const opt = chain === "OUTPUT" ? "-o" : chain === "INPUT" ? "-i" : chain === "FORWARD" ? "-i" : undefined;
				if (opt) parts.push(`${neg ? "! " : ""}${opt} ${name}`);
			}
			if (r.proto !== null) {
				parts.push(`-p ${r.proto} -m ${r.proto}`);
				if (r.dport !== null) parts.push(`--dport ${r.dport}`);
				if (r.sport !== null) parts.push(`--sport ${r.sport}`);
			}
			if (r.ct !== null) parts.push(`-m conntrack --ctstate ${r.ct}`);
			parts.push(`-j ${r.target}`);
			return { chain, text: parts.join(" ") };
		});
}

const rulesetArb = fc
	.record({
		policies: fc.tuple(fc.constantFrom("ACCEPT", "DROP"), fc.constantFrom("ACCEPT", "DROP"), fc.constantFrom("ACCEPT", "DROP")),
		rules: fc.array(
			fc.constantFrom<ChainName>("INPUT", "FORWARD", "OUTPUT", "USER", "USER").chain((c) => ruleArb(c)),
			{ minLength: 1, maxLength: 7 },
		),
	})
	.map(({ policies, rules }) => {
		const lines = ["*filter", ...BASE.map((c, i) => `:${c} ${policies[i]} [0:0]`), ":USER - [0:0]"];
		for (const r of rules) lines.push(`-A ${r.chain} ${r.text}`);
		lines.push("COMMIT", "");
		return lines.join("\n");
	});

/** Every packet of the tiny space, as single packets (each ct state) and as flows. */
function tinySpace(): Scenario[] {
	const out: Scenario[] = [];
	let id = 0;
	const v4 = (s: string): bigint => s.split(".").reduce((a, x) => (a << 8n) | BigInt(x), 0n);
	const states: CtState[] = ["new", "established", "related", "invalid"];
	for (const s of ADDRS)
		for (const d of ADDRS)
			for (const proto of [6, 17])
				for (const sport of PORTS)
					for (const dport of PORTS)
						for (const iif of [...IFACES, undefined]) {
							const base: Partial<Packet> = {
								fam: 4,
								saddr: v4(s),
								daddr: v4(d),
								proto,
								sport,
								dport,
								tcpFlags: proto === 6 ? 0x02 : 0,
								iif,
								srcMac: iif === undefined ? undefined : 0x020000000099n,
								uid: iif === undefined ? 0 : undefined,
								gid: iif === undefined ? 0 : undefined,
							};
							out.push({ id: id++, kind: "flow", pkt: makePacket(base) });
							for (const state of states) {
								const status = state === "established" ? CT_STATUS.seenReply | CT_STATUS.assured | CT_STATUS.confirmed : state === "related" ? CT_STATUS.expected : 0;
								const pkt = makePacket({ ...base, tcpFlags: proto === 6 ? (state === "new" ? 0x02 : 0x10) : 0, ct: { state, status, mark: 0, dir: "original", expire: 300, zone: 0 } });
								out.push({ id: id++, kind: "packet", pkt });
							}
						}
	return out;
}

const SPACE = tinySpace();

/** The oracle: the first scenario of the tiny space on which the two texts differ, if any. */
function bruteForce(iptText: string, nftText: string, host: Host): Scenario | undefined {
	const old = iptSide(parseIptables(iptText, { file: "old.rules" }).ruleset);
	const neu = nftSide(parseNft(nftText, "new.nft").ast);
	const a = simulator([old], host);
	const b = simulator([neu], host);
	return SPACE.find((scn) => !distributionsEqual(a(scn), b(scn)));
}

describe("compile + verify over random small rulesets", () => {
	it("a translation verifies equal", () => {
		fc.assert(
			fc.property(rulesetArb, (text) => {
				const c = compile(text, { file: "p.rules" });
				expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
				const v = verifyTexts(text, c.output, { oldFile: "p.rules", newFile: "p.nft" });
				if (v.kind !== "done") throw new Error(`verify refused: ${JSON.stringify(v.diagnostics.map((d) => d.message))}`);
				expect(v.result.equal).toBe(true);
				// and the exhaustive space agrees
				expect(bruteForce(text, c.output, v.host)).toBeUndefined();
			}),
			{ seed: 4242, numRuns: 25 },
		);
	});

	it("verify finds every difference an exhaustive enumeration of the tiny space finds", () => {
		let differing = 0;
		let runs = 0;
		fc.assert(
			fc.property(rulesetArb, fc.nat(), fc.nat(), (text, opPick, mutantPick) => {
				const c = compile(text, { file: "p.rules" });
				const lines = c.output.split("\n");
				const info = analyse(lines);
				const ops = OPERATORS.filter((o) => o.name !== "missing meta l4proto" && o.name !== "wrong NAT address");
				const candidates = ops.map((o) => o.mutate(lines, info)).filter((ms) => ms.length > 0);
				if (candidates.length === 0) return;
				const ms = candidates[opPick % candidates.length]!;
				const mutant = ms[mutantPick % ms.length]!.join("\n");
				const v = verifyTexts(text, mutant, { oldFile: "p.rules", newFile: "m.nft" });
				if (v.kind !== "done") return; // refused: the user is told; nothing to compare
				runs++;
				const witness = bruteForce(text, mutant, v.host);
				if (witness === undefined) return;
				differing++;
				expect(v.result.equal, `verify missed a difference, e.g. scenario ${JSON.stringify(witness, (_k, x) => (typeof x === "bigint" ? x.toString() : x))}\n${text}\n${mutant}`).toBe(false);
			}),
			{ seed: 777, numRuns: 45 },
		);
		console.log(`property: ${differing}/${runs} mutants differ in the tiny space; verify found all of them`);
		// Not vacuous: a good share of the mutants must differ somewhere in the space.
		expect(differing).toBeGreaterThan(runs / 5);
	});
});

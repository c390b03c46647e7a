import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { mergeBoundary } from "../../../compiler/sim/boundary.js";
import { generateCorpus } from "../../../compiler/sim/corpus.js";
import { iptBoundaryValues } from "../../../compiler/sim/ipt/boundary.js";
import { parse, hostFor } from "./helpers.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const text = readFileSync(resolve(ROOT, "corpus/examples/docker-caddy.dump"), "utf8");
const json = (x: unknown): string => JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? `${v}n` : v));

describe("boundary values", () => {
	it("takes prefix edges, port edges and interfaces from the rules", () => {
		const bv = iptBoundaryValues(parse(text));
		expect(bv.fams).toEqual(new Set([4]));
		expect(bv.addrs4).toContain(0xac120000n); // 172.18.0.0
		expect(bv.addrs4).toContain(0xac12ffffn); // 172.18.255.255
		expect(bv.addrs4).toContain(0xac11ffffn - 0x10000n + 0x10000n); // 172.17.255.255
		expect(bv.addrs4).toContain(0xac13_0000n); // just outside 172.18.0.0/16
		expect(bv.ports).toEqual(expect.arrayContaining([79, 80, 81, 8080, 8081, 8082]));
		expect(bv.ifaces).toEqual(["br-ac3e0514d837", "docker0"]);
		expect(bv.probes?.some((p) => p.dport === 8081 && p.proto === 6)).toBe(true);
	});
});

describe("corpus", () => {
	const bv = mergeBoundary(iptBoundaryValues(parse(text)));
	const host = hostFor(text);
	it("is deterministic for a seed and differs across seeds", () => {
		const a = generateCorpus(bv, { packets: 300, seed: 7, host });
		const b = generateCorpus(bv, { packets: 300, seed: 7, host });
		const c = generateCorpus(bv, { packets: 300, seed: 8, host });
		expect(json(a)).toBe(json(b));
		expect(json(a)).not.toBe(json(c));
	});
	it("bounds the packet count and mixes flows, local packets, fragments and boundary values", () => {
		const k = generateCorpus(bv, { packets: 1000, seed: 1, host });
		expect(k.packets).toBeLessThanOrEqual(1000);
		expect(k.packets).toBeGreaterThanOrEqual(998);
		const s = k.scenarios;
		expect(s.some((x) => x.kind === "flow")).toBe(true);
		expect(s.some((x) => x.pkt.iif === undefined)).toBe(true);
		expect(s.some((x) => x.pkt.iif === "spare0")).toBe(true);
		expect(s.some((x) => x.pkt.fragOffset > 0)).toBe(true);
		expect(s.some((x) => x.pkt.dport === 8081 && x.pkt.proto === 6)).toBe(true);
		expect(s.some((x) => x.pkt.saddr === 0xac120000n || x.pkt.daddr === 0xac120000n)).toBe(true);
		for (const x of s) if (x.kind === "flow") expect(x.pkt.ct.state).toBe("new");
	});
});

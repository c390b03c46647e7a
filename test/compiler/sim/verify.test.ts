import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { generateCorpus } from "../../../compiler/sim/corpus.js";
import { formatDifference, differenceToJson } from "../../../compiler/sim/diff.js";
import { iptBoundaryValues } from "../../../compiler/sim/ipt/boundary.js";
import { iptSide } from "../../../compiler/sim/ipt/side.js";
import { verify } from "../../../compiler/sim/verify.js";
import { hostFor, parse } from "./helpers.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const text = readFileSync(resolve(ROOT, "corpus/examples/docker-caddy.dump"), "utf8");

describe("verify", () => {
	const rs = parse(text);
	const host = hostFor(text);
	const corpus = generateCorpus(iptBoundaryValues(rs), { packets: 2000, seed: 42, host });

	it("a ruleset equals itself", () => {
		const r = verify(iptSide(rs), iptSide(rs, { name: "copy" }), corpus, host);
		expect(r.refused).toEqual([]);
		expect(r.differences).toEqual([]);
		expect(r.equal).toBe(true);
		expect(r.checked).toBe(corpus.scenarios.length);
	});

	it("finds a changed port in the DNAT and cites the lines on both sides", () => {
		const mutated = parse(text.replace("--to-destination 172.18.0.2:80", "--to-destination 172.18.0.2:81"));
		const r = verify(iptSide(rs, { name: "old" }), iptSide(mutated, { name: "new" }), corpus, host);
		expect(r.equal).toBe(false);
		const d = r.differences.find((x) => x.scenario.pkt.dport === 8081)!;
		expect(d).toBeDefined();
		const s = formatDifference(d);
		expect(s).toMatch(/old:/);
		expect(s).toMatch(/t\.rules:14:1: \[old\] ip nat DOCKER: .*--dport 8081 -j DNAT/);
		expect(s).toMatch(/172\.18\.0\.2:81/);
		expect(JSON.stringify(differenceToJson(d))).toContain("172.18.0.2");
	});

	it("finds a dropped ACCEPT (mutation: one FORWARD rule removed)", () => {
		const mutated = parse(text.replace("-A FORWARD -i docker0 ! -o docker0 -j ACCEPT\n", ""));
		const r = verify(iptSide(rs), iptSide(mutated), corpus, host);
		expect(r.equal).toBe(false);
		expect(r.differences.some((d) => d.scenario.pkt.iif === "docker0")).toBe(true);
	});

	it("refuses inputs with parts the simulator cannot model", () => {
		const odd = parse("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m string --algo bm --string evil -j DROP\nCOMMIT\n");
		const r = verify(iptSide(odd), iptSide(odd), corpus, host);
		expect(r.equal).toBe(false);
		expect(r.refused.map((d) => d.code)).toEqual(["unsupported_extension", "unsupported_extension"]);
	});
});

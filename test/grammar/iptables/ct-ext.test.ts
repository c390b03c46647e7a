/** Parser: -m connbytes, -m connlabel, -m cluster (valid forms, the kernel's encodings, refusals with codes). */
import { describe, expect, it } from "vitest";
import { parseConnlabelConf } from "../../../grammar/iptables/ext/connlabel.js";
import { errorCodes, parseRule, refused } from "./helpers.js";

function match(spec: string) {
	const r = parseRule(spec);
	expect(errorCodes(r.diagnostics), spec).toEqual([]);
	return r.rules[0]!.matches[0];
}

const MAX = (1n << 64n) - 1n;
const cb = (range: string, dir = "original", mode = "packets") => match(`-m connbytes ${range} --connbytes-dir ${dir} --connbytes-mode ${mode}`);

describe("connbytes", () => {
	it("A is A:2^64-1", () => expect(cb("--connbytes 200")).toEqual({ kind: "connbytes", from: 200n, to: MAX, dir: "original", mode: "packets" }));
	it("A:B, and the options in any order", () => {
		expect(match("-m connbytes --connbytes-mode avgpkt --connbytes 200:600 --connbytes-dir both")).toEqual({ kind: "connbytes", from: 200n, to: 600n, dir: "both", mode: "avgpkt" });
	});
	it("! swaps the ends (the kernel's encoding)", () => {
		expect(cb("! --connbytes 200:600", "reply", "bytes")).toEqual({ kind: "connbytes", from: 600n, to: 200n, dir: "reply", mode: "bytes" });
		expect(cb("! --connbytes 200")).toMatchObject({ from: MAX, to: 200n });
	});
	it("! A:A stays A:A (no way to tell inversion)", () => expect(cb("! --connbytes 5:5")).toMatchObject({ from: 5n, to: 5n }));
	it("empty ends: `:B`, `A:`, `:`", () => {
		expect(cb("--connbytes :1000")).toMatchObject({ from: 0n, to: 1000n });
		expect(cb("--connbytes 1000:")).toMatchObject({ from: 1000n, to: MAX });
		expect(cb("--connbytes :")).toMatchObject({ from: 0n, to: MAX });
	});
	it("strtoull base 0 and the u64 limit", () => {
		expect(cb("--connbytes 010:0x10")).toMatchObject({ from: 8n, to: 16n });
		expect(cb("--connbytes 18446744073709551615")).toMatchObject({ from: MAX, to: MAX });
	});
	refused([
		["-m connbytes --connbytes 1000:0 --connbytes-dir original --connbytes-mode packets", "invalid_value"],
		["-m connbytes --connbytes -1:0 --connbytes-dir original --connbytes-mode packets", "invalid_value"],
		["-m connbytes --connbytes 0:18446744073709551616 --connbytes-dir both --connbytes-mode avgpkt", "invalid_value"],
		["-m connbytes --connbytes 08 --connbytes-dir both --connbytes-mode avgpkt", "invalid_value"],
		["-m connbytes --connbytes 0:1000 --connbytes-mode wrong --connbytes-dir both", "invalid_value"],
		["-m connbytes --connbytes 0:1000 --connbytes-mode packets --connbytes-dir Original", "invalid_value"],
		["-m connbytes --connbytes 0:1000 --connbytes-dir original", "missing_argument"],
		["-m connbytes --connbytes 0:1000 --connbytes-mode packets", "missing_argument"],
		["-m connbytes --connbytes-dir original", "missing_argument"],
		["-m connbytes", "missing_argument"],
		["-m connbytes --connbytes 5 --connbytes 6 --connbytes-dir original --connbytes-mode bytes", "duplicate_option"],
	]);
});

describe("connlabel", () => {
	it("a bit number", () => expect(match("-m connlabel --label 40")).toEqual({ kind: "connlabel", bit: 40, neg: false, set: false }));
	it("! and --set", () => expect(match("-m connlabel ! --label 41 --set")).toEqual({ kind: "connlabel", bit: 41, neg: true, set: true }));
	it("base 0 numbers, up to 127", () => {
		expect(match("-m connlabel --label 0x10")).toMatchObject({ bit: 16 });
		expect(match("-m connlabel --label 127 --set")).toMatchObject({ bit: 127, set: true });
	});
	it("reads connlabel.conf lines `BIT NAME`", () => {
		const m = parseConnlabelConf("# comment\n0\teth0-in\n1 eth1-in # trailing\n1 dup\n200 too-big\nbad line\n");
		expect([...m]).toEqual([["eth0-in", 0], ["eth1-in", 1], ["dup", 1]]);
	});
	refused([
		["-m connlabel --label 2048", "invalid_value"],
		["-m connlabel --label 128", "invalid_value"],
		// No connlabel.conf on this machine: a name cannot be resolved (the hint says to use the bit).
		["-m connlabel --label foobar_not_there", "invalid_value"],
		["-m connlabel --set", "missing_argument"],
		["-m connlabel --label 3 --label 4", "duplicate_option"],
		["-m connlabel --label 3 ! --set", "negation_not_allowed"],
	]);
	it("a name without connlabel.conf gets a hint", () => {
		const r = parseRule("-m connlabel --label web");
		expect(r.diagnostics[0]?.hint).toMatch(/bit number/);
	});
});

describe("cluster", () => {
	const seed = "--cluster-hash-seed 0xfeedcafe";
	it("a node is a mask bit (node K is bit K-1)", () => {
		expect(match(`-m cluster --cluster-total-nodes 2 --cluster-local-node 2 ${seed}`)).toEqual({ kind: "cluster", totalNodes: 2, nodeMask: 2, seed: 0xfeedcafe, neg: false });
		expect(match(`-m cluster --cluster-total-nodes 32 --cluster-local-node 32 ${seed}`)).toMatchObject({ nodeMask: 2 ** 31 });
	});
	it("iptables-save's form (nodemask first, hex)", () => {
		expect(match(`-m cluster --cluster-local-nodemask 0x00000002 --cluster-total-nodes 2 ${seed}`)).toMatchObject({ nodeMask: 2, totalNodes: 2 });
		// iptables 1.8.9 takes only 1..32 here but saves node 7 as 0x00000040: accepted like the kernel.
		expect(match(`! --cluster-local-nodemask 0x00000040 --cluster-total-nodes 8 ${seed}`.replace(/^/, "-m cluster "))).toMatchObject({ nodeMask: 64, neg: true });
	});
	refused([
		["-m cluster", "missing_argument"],
		["-m cluster --cluster-total-nodes 3", "missing_argument"],
		["-m cluster --cluster-total-nodes 2 --cluster-local-node 2", "missing_argument"],
		["-m cluster --cluster-total-nodes 2 --cluster-local-node 3 --cluster-hash-seed", "missing_argument"],
		["-m cluster --cluster-total-nodes 2 --cluster-local-node 3 --cluster-hash-seed 1", "invalid_value"],
		["-m cluster --cluster-total-nodes 33 --cluster-local-node 1 --cluster-hash-seed 1", "invalid_value"],
		["-m cluster --cluster-total-nodes 0 --cluster-local-node 1 --cluster-hash-seed 1", "invalid_value"],
		["-m cluster --cluster-total-nodes 4 --cluster-local-node 0 --cluster-hash-seed 1", "invalid_value"],
		["-m cluster --cluster-total-nodes 4 --cluster-local-nodemask 16 --cluster-hash-seed 1", "invalid_value"],
		["-m cluster --cluster-total-nodes 4 --cluster-local-node 1 --cluster-local-nodemask 1 --cluster-hash-seed 1", "conflicting_options"],
	]);
});

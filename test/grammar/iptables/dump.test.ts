/** `iptables -S` dumps and pasted shell sessions (the seed article holds four). */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectFormat, parseIptables } from "../../../grammar/iptables/index.js";
import { codes, errorCodes, rulesOf, SHARED } from "./helpers.js";

const seed = fs.readFileSync(path.join(SHARED, "seed", "000_cd9f94a4f4c6a753.txt"), "utf8").split("\n");

/** The seed's dumps: from each `… iptables … -S` prompt line to the next blank line. */
function seedBlocks(): { header: string; text: string; line: number }[] {
	const out: { header: string; text: string; line: number }[] = [];
	seed.forEach((l, i) => {
		if (/iptables -t (nat|filter) -S$/.test(l)) {
			let j = i + 1;
			while (j < seed.length && seed[j]!.trim() !== "") j++;
			out.push({ header: l, text: seed.slice(i, j).join("\n") + "\n", line: i + 1 });
		}
	});
	return out;
}

describe("seed article dumps", () => {
	const blocks = seedBlocks();
	it("finds the four dumps", () => {
		expect(blocks.map((b) => b.line)).toEqual([284, 298, 398, 416]);
	});
	for (const b of blocks)
		it(`parses the dump at line ${b.line} with no errors`, () => {
			const r = parseIptables(b.text, { file: "seed" });
			expect(errorCodes(r.diagnostics)).toEqual([]);
			const table = /-t (\w+)/.exec(b.header)![1]!;
			expect(r.ruleset.tables.map((t) => t.name)).toEqual([table]);
			const ruleLines = b.text.split("\n").filter((l) => l.startsWith("-A ")).length;
			let rules = 0;
			for (const c of r.ruleset.tables[0]!.chains) rules += c.rules.length;
			expect(rules).toBe(ruleLines);
		});

	it("reads the second filter dump exactly", () => {
		const r = parseIptables(blocks[3]!.text, { file: "seed" });
		const f = r.ruleset.tables[0]!;
		expect(f.chains.map((c) => [c.name, c.policy ?? "-"])).toEqual([
			["INPUT", "ACCEPT"],
			["FORWARD", "DROP"],
			["OUTPUT", "ACCEPT"],
			["DOCKER", "-"],
			["DOCKER-ISOLATION-STAGE-1", "-"],
			["DOCKER-ISOLATION-STAGE-2", "-"],
			["DOCKER-USER", "-"],
		]);
		const docker = rulesOf(r.ruleset, "filter", "DOCKER")[0]!;
		expect(docker.text).toBe("-A DOCKER -d 172.18.0.2/32 ! -i br-ac3e0514d837 -o br-ac3e0514d837 -p tcp -m tcp --dport 80 -j ACCEPT");
		expect(docker.iif).toEqual({ value: { name: "br-ac3e0514d837", wildcard: false }, neg: true });
		expect(docker.span.line).toBe(blocks[3]!.text.split("\n").findIndex((l) => l.startsWith("-A DOCKER -d")) + 1);
	});

	it("two dumps pasted in one session switch tables; built-in chains exist implicitly", () => {
		const text = blocks[2]!.text + "\nsome prose\n" + blocks[3]!.text;
		const r = parseIptables(text, { file: "session" });
		expect(errorCodes(r.diagnostics)).toEqual([]);
		expect(codes(r.diagnostics)).toEqual(["not_a_command"]);
		expect(r.ruleset.tables.map((t) => t.name)).toEqual(["nat", "filter"]);
		expect(rulesOf(r.ruleset, "nat", "DOCKER").at(-1)!.target).toMatchObject({ kind: "dnat" });
	});

	it("a later dump of the same table replaces the earlier one", () => {
		const r = parseIptables(blocks[0]!.text + blocks[2]!.text, { file: "session" });
		expect(errorCodes(r.diagnostics)).toEqual([]);
		expect(rulesOf(r.ruleset, "nat", "POSTROUTING")).toHaveLength(3);
	});

	it("the whole article parses: prose is warned about, the one broken line is an error", () => {
		const r = parseIptables(seed.join("\n"), { file: "seed" });
		expect(detectFormat(seed.join("\n"))).toBe("dump");
		// Line 143 reads `-t filter -P DROP`: the article forgot the chain name.
		const errs = r.diagnostics.filter((d) => d.severity === "error");
		expect(errs.map((d) => [d.code, d.span?.line])).toEqual([["missing_argument", 143]]);
		expect(r.ruleset.tables.map((t) => t.name)).toEqual(["nat", "filter"]);
	});
});

describe("-S dumps", () => {
	it("uses opts.table without a header", () => {
		const r = parseIptables("-P PREROUTING ACCEPT\n-N X\n-A PREROUTING -j X\n-A X -p tcp -j DNAT --to-destination 1.2.3.4:80\n", { file: "d", table: "nat" });
		expect(r.diagnostics).toEqual([]);
		expect(rulesOf(r.ruleset, "nat", "X")).toHaveLength(1);
	});
	it("checks jumps at the end of the dump", () => {
		const r = parseIptables("-A INPUT -j LATER\n-N LATER\n-A INPUT -j MISSING\n", { file: "d" });
		expect(codes(r.diagnostics)).toEqual(["jump_target_missing"]);
		expect(r.diagnostics[0]!.span?.line).toBe(3);
	});
	it("detects the format", () => {
		expect(detectFormat("*filter\nCOMMIT\n")).toBe("save");
		expect(detectFormat("-P INPUT ACCEPT\n-A INPUT -j DROP\n")).toBe("dump");
		expect(detectFormat("iptables -A INPUT -j DROP\n")).toBe("script");
		expect(detectFormat("iptables \\\n  -A INPUT -j DROP\n")).toBe("script");
		expect(detectFormat("$ iptables -S\n-P INPUT ACCEPT\n")).toBe("dump");
		expect(detectFormat("iptables -t nat -S\n-A PREROUTING -j X\n")).toBe("dump");
	});
});

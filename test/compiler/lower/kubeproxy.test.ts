/**
 * kube-proxy rulesets (shared/tools/gen_kubeproxy.py): every endpoint rule is
 * `-p tcp -m tcp -j DNAT --to-destination IP:PORT`, which iptables-restore-translate turns into a
 * rule nft refuses. Ours must keep the protocol and pass nft -c.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { emitText } from "../../../compiler/emit/text.js";
import { lower } from "../../../compiler/lower/index.js";
import { parseIptables } from "../../../grammar/iptables/index.js";
import { nftCheck } from "../../helpers/nft-check.js";
import { SHARED } from "../../helpers/paths.js";

describe("kube-proxy", () => {
	const gen = spawnSync("python3", [join(SHARED, "tools", "gen_kubeproxy.py"), "40"], { encoding: "utf8" });
	it("generates, lowers and passes nft -c", () => {
		expect(gen.status).toBe(0);
		const parsed = parseIptables(gen.stdout, { file: "kubeproxy.rules" });
		expect(parsed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
		const lowered = lower(parsed.ruleset, { counters: false });
		expect(lowered.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
		const text = emitText(lowered.ruleset, { preamble: "flush" });
		const dnat = text.split("\n").filter((l) => l.includes("dnat to"));
		expect(dnat.length).toBeGreaterThan(40);
		for (const l of dnat) expect(l).toMatch(/^\t\tip protocol (tcp|udp) dnat to \d+\.\d+\.\d+\.\d+:\d+ comment "/);
		const r = nftCheck(text);
		expect(r.stderr).toBe("");
	});
});

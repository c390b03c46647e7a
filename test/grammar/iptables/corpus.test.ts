/**
 * Every real-world file in shared/corpus/real parses without a crash or internal error. Files
 * with known defects must show exactly those error codes; all others must have no hard errors
 * (unsupported extensions are kept and counted, not errors of the input).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseIptables } from "../../../grammar/iptables/index.js";
import { SHARED } from "./helpers.js";

const DIR = path.join(SHARED, "corpus", "real");
const SOFT = new Set(["unsupported_extension", "unsupported_option"]);

/** Files whose input really is defective, and why. */
const KNOWN: Record<string, { codes: string[]; why: string }> = {
	"ddos-protection-snippets.INVALID.rules": { codes: ["missing_commit"], why: "snippet collection: tables re-opened without COMMIT" },
	"istio-sidecar-dns-owner-groups.v6.rules": { codes: ["invalid_value"], why: "`--gid-owner java`: a group name needs the host's /etc/group" },
	"netnetwork-home-user.rules": { codes: ["invalid_value"], why: "`--hitcount 348` (numbers scrambled by anonymisation): xt_recent remembers at most 255 packets" },
	"netnetwork-jvehent-afw.rules": { codes: ["invalid_address"], why: "host name ntp.example.net in -d" },
	"netnetwork-openwrt-ticket18787.rules": { codes: ["syntax_error", "invalid_address", "unknown_option", "invalid_value"], why: "lines wrapped by a terminal (words split across lines)" },
	"netnetwork-qubesos-firewallvm.rules": { codes: ["rule_outside_table", "unterminated_quote"], why: "blog prose around the dump" },
	"netnetwork-tum-chair-2013-10.rules": { codes: ["invalid_value"], why: "MAC addresses censored as XX:XX:XX:XX:XX:XX" },
	"netnetwork-tum-chair-2016-06.rules": { codes: ["invalid_value"], why: "MAC addresses censored as XX:XX:XX:XX:XX:XX" },
	"netnetwork-tum-chair-2016-06.v6.rules": { codes: ["invalid_value"], why: "MAC addresses censored as XX:XX:XX:XX:XX:XX" },
	"rfc4890-appendixB-icmpv6-filter.sh": { codes: ["unsupported_command"], why: "rules inside shell loops use loop variables ($inner_prefix)" },
	"ufw-0.37-before.rules": { codes: ["jump_target_missing"], why: "ufw fragment: ufw-logging-deny is declared by ufw elsewhere" },
	"ufw-0.37-before6.rules": { codes: ["jump_target_missing"], why: "ufw fragment: ufw6-logging-deny is declared by ufw elsewhere" },
};

const files = fs.readdirSync(DIR).filter((f) => /\.(rules|sh)$/.test(f)).sort();

describe("real-world corpus", () => {
	const summary: string[] = [];
	for (const f of files)
		it(f, () => {
			const text = fs.readFileSync(path.join(DIR, f), "utf8");
			const r = parseIptables(text, { file: f, ...(f.includes(".v6.") ? { family: "ip6" as const } : {}) });
			const hard = [...new Set(r.diagnostics.filter((d) => d.severity === "error" && !SOFT.has(d.code)).map((d) => d.code))].sort();
			const unsupported = r.diagnostics.filter((d) => SOFT.has(d.code)).length;
			let rules = 0;
			for (const t of r.ruleset.tables) for (const c of t.chains) rules += c.rules.length;
			summary.push(`${f}: ${rules} rules, ${unsupported} unsupported_extension/option${hard.length ? `, errors: ${hard.join(",")}` : ""}`);
			expect(hard).not.toContain("internal_error");
			expect(hard).toEqual([...(KNOWN[f]?.codes ?? [])].sort());
			expect(rules).toBeGreaterThan(0);
			for (const d of r.diagnostics) expect(d.span ?? null, `${d.code} has a position`).not.toBeNull();
		});
	it("summary", () => {
		console.log(summary.join("\n"));
		expect(summary.length).toBe(files.length);
	});
});

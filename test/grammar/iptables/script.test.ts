/** Shell scripts of iptables commands, replayed in order like the kernel tables would change. */
import { describe, expect, it } from "vitest";
import { parseIptables } from "../../../grammar/iptables/index.js";
import { codes, errorCodes, rulesOf } from "./helpers.js";

const run = (text: string) => parseIptables(text, { file: "fw.sh", format: "script" });
const targets = (text: string, chain = "INPUT", table: "filter" | "nat" = "filter") =>
	rulesOf(run(text).ruleset, table, chain).map((r) => (r.target?.kind === "jump" ? r.target.chain : (r.src?.value.addr.toString() ?? r.target?.kind)));

describe("script replay", () => {
	it("appends, inserts at positions, deletes by number and by rule, replaces", () => {
		const s = `
iptables -A INPUT -s 1.0.0.0/8 -j ACCEPT
iptables -A INPUT -s 2.0.0.0/8 -j ACCEPT
iptables -I INPUT -s 3.0.0.0/8 -j ACCEPT
iptables -I INPUT 3 -s 4.0.0.0/8 -j ACCEPT
iptables --insert INPUT 5 -s 5.0.0.0/8 -j ACCEPT
iptables -D INPUT 1
iptables --delete INPUT -s 2.0.0.0/8 -j ACCEPT
iptables -R INPUT 1 -s 6.0.0.0/8 -j ACCEPT
`;
		const r = run(s);
		expect(r.diagnostics).toEqual([]);
		expect(rulesOf(r.ruleset, "filter", "INPUT").map((x) => Number(x.src!.value.addr >> 24n))).toEqual([6, 4, 5]);
	});

	it("keeps each command's text and span", () => {
		const r = run("# setup\nsudo iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n");
		const [rule] = rulesOf(r.ruleset, "nat", "POSTROUTING");
		expect(rule!.text).toBe("sudo iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE");
		expect(rule!.span).toEqual({ file: "fw.sh", line: 2, col: 1, length: rule!.text.length });
	});

	it("reports positions that do not exist", () => {
		const r = run("iptables -A INPUT -j ACCEPT\niptables -I INPUT 3 -j DROP\niptables -D INPUT 2\niptables -R INPUT 5 -j DROP\niptables -D INPUT -j DROP\n");
		expect(codes(r.diagnostics)).toEqual(["rule_not_found", "rule_not_found", "rule_not_found", "rule_not_found"]);
		expect(r.diagnostics.map((d) => d.span?.line)).toEqual([2, 3, 4, 5]);
		expect(r.diagnostics[0]!.span?.col).toBe("iptables -I INPUT ".length + 1);
	});

	it("-N, -X, -F, -E: rename updates jumps; deleting a referenced chain errors", () => {
		const s = `
iptables -N LOGDROP
iptables -N LOGDROP
iptables -A LOGDROP -j DROP
iptables -A INPUT -j LOGDROP
iptables -X LOGDROP
iptables -E LOGDROP DROPLOG
iptables -A INPUT -g DROPLOG
iptables -F INPUT
iptables -F DROPLOG
iptables -X DROPLOG
iptables -X INPUT
iptables -E NOPE X
`;
		const r = run(s);
		expect(codes(r.diagnostics)).toEqual(["chain_exists", "chain_in_use", "builtin_chain", "chain_not_declared"]);
		expect(r.diagnostics.map((d) => d.span?.line)).toEqual([3, 6, 12, 13]);
		const f = r.ruleset.tables[0]!;
		expect(f.chains.map((c) => c.name)).toEqual(["INPUT", "FORWARD", "OUTPUT"]);
	});

	it("cleaning up a chain that does not exist yet (-X/-F/-Z) is a warning: nothing is lost", () => {
		const r = run("iptables -F DUMP\niptables -X DUMP\niptables -Z DUMP\niptables -N DUMP\niptables -A DUMP -j DROP\niptables -A INPUT -j DUMP\niptables -A NOPE -j DROP\n");
		expect(r.diagnostics.map((d) => [d.code, d.severity, d.span?.line])).toEqual([
			["cleanup_of_missing_chain", "warning", 1],
			["cleanup_of_missing_chain", "warning", 2],
			["cleanup_of_missing_chain", "warning", 3],
			// Appending to a chain that does not exist loses a rule: still an error.
			["chain_not_declared", "error", 7],
		]);
		expect(r.ruleset.tables[0]!.chains.map((c) => [c.name, c.rules.length])).toEqual([
			["INPUT", 1],
			["FORWARD", 0],
			["OUTPUT", 0],
			["DUMP", 1],
		]);
	});

	it("-E renames in place and rewrites -j/-g", () => {
		const r = run("iptables -N A\niptables -N B\niptables -A INPUT -j A\niptables -A B -g A\niptables -E A Z\n");
		expect(r.diagnostics).toEqual([]);
		expect(r.ruleset.tables[0]!.chains.map((c) => c.name)).toEqual(["INPUT", "FORWARD", "OUTPUT", "Z", "B"]);
		expect(rulesOf(r.ruleset, "filter", "INPUT")[0]!.target).toEqual({ kind: "jump", chain: "Z" });
		expect(rulesOf(r.ruleset, "filter", "B")[0]!.target).toEqual({ kind: "goto", chain: "Z" });
	});

	it("jumps must exist when the rule is added; -P and -X all", () => {
		const r = run("iptables -A INPUT -j LATER\niptables -N LATER\niptables -P INPUT DROP\niptables -P LATER DROP\niptables -P FORWARD REJECT\niptables -X\n");
		expect(codes(r.diagnostics)).toEqual(["jump_target_missing", "policy_on_user_chain", "invalid_policy"]);
		expect(r.ruleset.tables[0]!.chains.map((c) => [c.name, c.policy])).toEqual([
			["INPUT", "DROP"],
			["FORWARD", "ACCEPT"],
			["OUTPUT", "ACCEPT"],
		]);
	});

	it("long command names, --table, -Z, -L and -S are accepted", () => {
		const r = run("iptables --table nat --new-chain X\niptables --table nat --append X --jump RETURN\niptables -t nat --policy PREROUTING DROP\niptables -Z\niptables -L -n\niptables -t nat --rename-chain X Y\niptables -t nat --flush Y\niptables -t nat --delete-chain Y\n");
		expect(r.diagnostics).toEqual([]);
		expect(r.ruleset.tables.map((t) => t.name)).toEqual(["nat", "filter"]);
	});

	it("quoting, continuations, comments, operators and redirections", () => {
		const s = `iptables -A INPUT \\
    -p tcp --dport 22 \\
    -m comment --comment 'it'"'"'s "ssh"' -j ACCEPT   # trailing comment
iptables -N X 2>/dev/null || true; iptables -A X -j RETURN
`;
		const r = run(s);
		expect(errorCodes(r.diagnostics)).toEqual([]);
		expect(codes(r.diagnostics)).toEqual(["not_a_command"]);
		expect(r.diagnostics[0]!.span?.line).toBe(4);
		const [rule] = rulesOf(r.ruleset, "filter", "INPUT");
		expect(rule!.matches[1]).toEqual({ kind: "comment", text: `it's "ssh"` });
		expect(rule!.span).toMatchObject({ line: 1, col: 1 });
		expect(rule!.text.split("\n")).toHaveLength(3);
		expect(rulesOf(r.ruleset, "filter", "X")).toHaveLength(1);
	});

	it("family from the tool; -4/-6; tool variants", () => {
		const s = `ip6tables -A INPUT -s 2001:db8::/32 -j DROP
/usr/sbin/iptables-legacy -A INPUT -s 10.0.0.0/8 -j DROP
iptables-nft -4 -A INPUT -s 10.0.0.1 -j DROP
ip6tables-legacy -4 -A INPUT -s 10.0.0.1 -j DROP
iptables -6 -A INPUT -s 2001:db8::1 -j DROP
`;
		const r = run(s);
		expect(r.diagnostics).toEqual([]);
		expect(r.ruleset.tables.map((t) => t.family)).toEqual(["ip6", "ip"]);
		expect(rulesOf(r.ruleset, "filter", "INPUT", "ip")).toHaveLength(2);
		expect(rulesOf(r.ruleset, "filter", "INPUT", "ip6")).toHaveLength(1);
	});

	it("expands simple variables and reports the ones it cannot", () => {
		const s = `IPT=\`which iptables\`
LAN="eth1"
$IPT -A INPUT -i $LAN -j ACCEPT
$IPT -A INPUT -s $UNKNOWN -j DROP
`;
		const r = run(s);
		expect(codes(r.diagnostics)).toEqual(["unsupported_command"]);
		expect(r.diagnostics[0]!.span?.line).toBe(4);
		expect(rulesOf(r.ruleset, "filter", "INPUT")[0]!.iif?.value.name).toBe("eth1");
	});

	it("lines that are not iptables commands are warnings with positions", () => {
		const r = run("echo starting\niptables -A INPUT -j ACCEPT\nmodprobe nf_conntrack\n");
		expect(codes(r.diagnostics)).toEqual(["not_a_command", "not_a_command"]);
		expect(r.diagnostics.map((d) => d.span?.line)).toEqual([1, 3]);
		expect(r.diagnostics.every((d) => d.severity === "warning")).toBe(true);
	});

	it("a rule with an error is not replayed; later commands still are", () => {
		const r = run("iptables -A INPUT -p tcp --dport 99999 -j ACCEPT\niptables -A INPUT -j DROP\n");
		expect(codes(r.diagnostics)).toEqual(["invalid_port"]);
		expect(targets("iptables -A INPUT -p tcp --dport 99999 -j ACCEPT\niptables -A INPUT -j DROP\n")).toEqual(["drop"]);
	});

	it("-D by rule with an address list deletes each expanded rule", () => {
		const r = run("iptables -A INPUT -s 1.1.1.1,2.2.2.2 -j DROP\niptables -A INPUT -j ACCEPT\niptables -D INPUT -s 1.1.1.1,2.2.2.2 -j DROP\n");
		expect(r.diagnostics).toEqual([]);
		expect(rulesOf(r.ruleset, "filter", "INPUT").map((x) => x.target?.kind)).toEqual(["accept"]);
	});
});

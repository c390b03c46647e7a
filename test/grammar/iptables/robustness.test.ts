/** The parser never throws and never reports internal_error, whatever it is given. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIptables } from "../../../grammar/iptables/index.js";

const WORDS = [
	"*filter", "*nat", "*raw", "COMMIT", ":INPUT", ":X", "ACCEPT", "DROP", "-", "[0:0]", "[1:2]", "-A", "-I", "-D", "-R",
	"-N", "-X", "-F", "-E", "-P", "-Z", "-t", "nat", "INPUT", "X", "Y", "1", "2", "0", "-1", "!", "-s", "-d", "1.2.3.4/8",
	"::1", "a,b", "-p", "tcp", "udp", "icmp", "all", "-i", "-o", "eth+", "-j", "-g", "-m", "tcp", "comment", "conntrack",
	"multiport", "recent", "--dport", "--sport", "22", "1:2", ":", "--ctstate", "NEW", "--comment", '"a b"', "'x'", '"',
	"--to-destination", "DNAT", "SNAT", "REJECT", "LOG", "MARK", "--set-mark", "0x1/0xf", "--log-prefix", "-f", "-c",
	"-4", "-6", "iptables", "ip6tables", "sudo", "$IPT", "IPT=iptables", ";", "&&", "|", ">", "/dev/null", "\\", "#",
	"--tcp-flags", "ALL", "SYN", "--syn", "-w", "--append", "--jump=ACCEPT", "-ptcp", "CT", "--notrack", "TCPMSS",
];

const line = fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }).map((ws) => ws.join(" "));
const text = fc.array(line, { maxLength: 12 }).map((ls) => ls.join("\n"));

describe("robustness", () => {
	for (const format of ["auto", "save", "dump", "script"] as const)
		it(`token soup in ${format} format`, () => {
			fc.assert(
				fc.property(text, fc.constantFrom<"ip" | "ip6">("ip", "ip6"), (t, family) => {
					const r = parseIptables(t, { file: "fuzz", format, family });
					expect(r.diagnostics.filter((d) => d.code === "internal_error")).toEqual([]);
					for (const d of r.diagnostics) if (d.span) expect(d.span.line).toBeGreaterThanOrEqual(1);
				}),
				{ numRuns: 400, seed: 42 },
			);
		});
	it("arbitrary unicode", () => {
		fc.assert(
			fc.property(fc.string({ unit: "binary", maxLength: 200 }), (t) => {
				const r = parseIptables(t, { file: "fuzz" });
				expect(r.diagnostics.filter((d) => d.code === "internal_error")).toEqual([]);
			}),
			{ numRuns: 300, seed: 7 },
		);
	});
});

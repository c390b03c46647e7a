/** The JSON output of NETMAP, TCPOPTSTRIP and CONNSECMARK loads in the real `nft -j -c`. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";

const RULES = `*nat
:PREROUTING ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d 192.0.2.0/24 -j NETMAP --to 10.1.2.0/24
-A POSTROUTING -s 10.1.2.0/24 -j NETMAP --to 192.0.2.0/24
COMMIT
*mangle
:FORWARD ACCEPT [0:0]
-A FORWARD -p tcp -j TCPOPTSTRIP --strip-options mss,7
-A FORWARD -j CONNSECMARK --save
COMMIT
`;

it("nft -j -c accepts the JSON form", () => {
	const out = compile(RULES, { file: "t.rules", outputFormat: "json" });
	expect(out.ok).toBe(true);
	expect(out.output).toContain('"type_flags":"prefix"');
	const dir = mkdtempSync(join(tmpdir(), "ipt2nft-json-"));
	try {
		const f = join(dir, "r.json");
		writeFileSync(f, out.output);
		let err = "";
		try {
			execFileSync("nft", ["-j", "-c", "-f", f], { stdio: ["ignore", "pipe", "pipe"] });
		} catch (e) {
			err = String((e as { stderr?: Buffer }).stderr ?? e);
		}
		expect(err).toBe("");
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { it } from "vitest";
import { compile } from "../../compiler/index.js";
import { verifyTexts } from "../../compiler/verify.js";
import { SHARED } from "../helpers/paths.js";
const HOOKS: Record<string, string> = { PREROUTING: "", INPUT: "", FORWARD: "", OUTPUT: "", POSTROUTING: "" };
it("list", () => {
	const cases = readFileSync(join(SHARED, "conformance", "txlate.jsonl"), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l)).filter((c: any) => c.family === "ip" || c.family === "ip6");
	const out: string[] = [];
	for (const c of cases) {
		const args = c.argv.slice(1);
		let table = "filter";
		const ti = args.indexOf("-t");
		if (ti >= 0) table = args[ti + 1];
		const rest = ti >= 0 ? args.filter((_: any, i: number) => i !== ti && i !== ti + 1) : args;
		if (rest[0] !== "-A" && rest[0] !== "-I") continue;
		if (!(rest[1] in HOOKS)) continue;
		const j = rest.indexOf("-j"); const tg = j >= 0 ? rest[j + 1] : undefined;
		if (tg !== undefined && /^[a-z]/.test(tg)) continue;
		const quote = (a: string) => (/^[\w.:/,!+-]+$/.test(a) ? a : `"${a.replace(/["\\]/g, "\\$&")}"`);
		const text = `*${table}\n:${rest[1]} ACCEPT [0:0]\n-A ${rest[1]} ${rest.slice(2).map(quote).join(" ")}\nCOMMIT\n`;
		const fam = c.family === "ip6" ? ({ family: "ip6" } as const) : {};
		const r = compile(text, { file: "x", ...fam });
		if (!r.ok) { out.push(`NOTRANS ${c.argv.join(" ")} :: ${r.diagnostics.map((d: any) => d.code + ":" + d.message).join(" | ").slice(0, 200)}`); continue; }
		const v = verifyTexts(text, r.output, { oldFile: "x", newFile: "o", packets: 400, conntrack: true, ...fam });
		if (v.kind === "input-error") out.push(`REFUSED ${c.argv.join(" ")}\n   => ${r.output.split("\n").filter((l: string) => /^\t\t[^t]/.test(l)).join(" ;; ")}`);
	}
	console.log(out.join("\n"));
});

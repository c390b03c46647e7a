/**
 * `nfacct list` output -> accounting objects (compiler/ir/nfacct.ts). nfacct prints one object
 * per line (libnetfilter_acct's plain format):
 *   { pkts = %.20u, bytes = %.20u } = NAME;
 *   { pkts = %.20u, bytes = %.20u, quota = %.20u, mode = byte|packet, overquota = yes|no } = NAME;
 * The name is printed raw (nfacct accepts spaces, `;` and braces in names), so it is everything
 * between `} = ` and the line's final `;`.
 */
import { diagnostic, type Code, type Diagnostic } from "../../compiler/ir/diagnostics.js";
import type { NfacctCatalogue, NfacctObject, NfacctQuota } from "../../compiler/ir/nfacct.js";
import { span } from "../../compiler/ir/span.js";

export interface NfacctParseResult {
	readonly objects: readonly NfacctObject[];
	readonly diagnostics: readonly Diagnostic[];
}

const U64_MAX = (1n << 64n) - 1n;
/** NFACCT_NAME_MAX is 32 bytes with the terminating NUL. */
const NAME_MAX = 31;

const LINE = /^\{\s*([^{}]*?)\s*\}\s*=\s*(.*);$/;

export function parseNfacctList(text: string, file: string): NfacctParseResult {
	const diags: Diagnostic[] = [];
	const objects = new Map<string, NfacctObject>();
	text.split("\n").forEach((raw, i) => {
		const line = raw.replace(/\r$/, "").trim();
		if (line === "" || line.startsWith("#")) return;
		const at = span(file, i + 1, 1, raw.length);
		const err = (code: Code, msg: string, hint?: string): void => {
			diags.push(diagnostic(code, msg, at, hint));
		};
		const m = LINE.exec(line);
		if (m === null)
			return err("syntax_error", `unexpected line in nfacct list output: ${JSON.stringify(line.slice(0, 40))}`, "expected `{ pkts = N, bytes = N[, quota = N, mode = byte|packet, overquota = yes|no] } = NAME;`");
		const name = m[2]!;
		if (name === "" || Buffer.byteLength(name, "utf8") > NAME_MAX) return err("invalid_value", `invalid nfacct name ${JSON.stringify(name)}: 1..${NAME_MAX} bytes`);
		const fields = new Map<string, string>();
		for (const part of m[1]!.split(",")) {
			const kv = /^\s*([a-z]+)\s*=\s*(\S+)\s*$/.exec(part);
			if (kv === null) return err("syntax_error", `unexpected field ${JSON.stringify(part.trim())} of nfacct object ${name}`);
			if (fields.has(kv[1]!)) return err("syntax_error", `field ${kv[1]} given twice for nfacct object ${name}`);
			fields.set(kv[1]!, kv[2]!);
		}
		const num = (key: string): bigint | undefined => {
			const v = fields.get(key);
			if (v === undefined || !/^[0-9]{1,20}$/.test(v) || BigInt(v) > U64_MAX) {
				err(v === undefined ? "missing_argument" : "invalid_value", `nfacct object ${name}: ${key} ${v === undefined ? "is missing" : `${JSON.stringify(v)} is not a 64-bit count`}`);
				return undefined;
			}
			return BigInt(v);
		};
		const pkts = num("pkts");
		const bytes = num("bytes");
		if (pkts === undefined || bytes === undefined) return;
		let quota: NfacctQuota | undefined;
		if (fields.has("quota") || fields.has("mode")) {
			const limit = num("quota");
			if (limit === undefined) return;
			const mode = fields.get("mode");
			if (mode !== "byte" && mode !== "packet")
				return err("invalid_value", `nfacct object ${name}: quota mode ${JSON.stringify(mode ?? "")} is neither byte nor packet`);
			const over = fields.get("overquota");
			if (over !== undefined && over !== "yes" && over !== "no") return err("invalid_value", `nfacct object ${name}: overquota ${JSON.stringify(over)} is neither yes nor no`);
			quota = { mode: mode === "byte" ? "bytes" : "packets", limit, over: over === "yes" };
		}
		const known = new Set(["pkts", "bytes", "quota", "mode", "overquota"]);
		const extra = [...fields.keys()].find((k) => !known.has(k));
		if (extra !== undefined) return err("syntax_error", `unknown field ${extra} of nfacct object ${name}`);
		if (objects.has(name)) return err("duplicate_option", `nfacct object ${name} is listed twice`);
		objects.set(name, { name, pkts, bytes, ...(quota !== undefined ? { quota } : {}), span: at });
	});
	return { objects: [...objects.values()], diagnostics: diags };
}

export function nfacctCatalogue(objects: readonly NfacctObject[]): NfacctCatalogue {
	return { objects: new Map(objects.map((o) => [o.name, o])) };
}

/**
 * -m connbytes [!] --connbytes A[:B] --connbytes-dir original|reply|both
 * --connbytes-mode packets|bytes|avgpkt. Stored in the kernel's encoding (see ConnbytesMatch):
 * libxt_connbytes sets to = 2^64-1 without B and swaps the ends for `!`.
 */
import type { ConnbytesMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import type { Word } from "../words.js";
import type { ExtContext } from "../extension.js";

const U64_MAX = (1n << 64n) - 1n;

interface S {
	range?: { lo: bigint; hi: bigint; neg: boolean };
	dir?: ConnbytesMatch["dir"];
	mode?: ConnbytesMatch["mode"];
}

/** strtoull with base 0 (0x… hex, 0… octal, decimal), no sign, at most 2^64-1. */
export function parseU64(s: string): bigint | undefined {
	let v: bigint;
	if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = BigInt(s);
	else if (/^0[0-7]+$/.test(s)) v = BigInt(`0o${s.slice(1)}`);
	else if (/^(0|[1-9][0-9]*)$/.test(s)) v = BigInt(s);
	else return undefined;
	return v <= U64_MAX ? v : undefined;
}

/** `A`, `A:`, `:B`, `A:B` or `:` (an empty end is 0 / 2^64-1), as xtables' UINT64RC parses it. */
function countRange(cx: ExtContext, w: Word): { lo: bigint; hi: bigint } | undefined {
	const parts = w.text.split(":");
	const lo = parts[0] === "" ? 0n : parseU64(parts[0]!);
	const hi = parts.length === 1 || parts[1] === "" ? U64_MAX : parseU64(parts[1]!);
	if (parts.length > 2 || (parts.length === 1 && parts[0] === "") || lo === undefined || hi === undefined) {
		cx.error("invalid_value", `invalid --connbytes "${w.text}": expected A[:B] in 0..18446744073709551615`, w);
		return undefined;
	}
	if (hi < lo) {
		cx.error("invalid_value", `invalid --connbytes "${w.text}": ${lo} should be less than ${hi}`, w, `write ${hi}:${lo}`);
		return undefined;
	}
	return { lo, hi };
}

const DIRS: readonly ConnbytesMatch["dir"][] = ["original", "reply", "both"];
const MODES: readonly ConnbytesMatch["mode"][] = ["packets", "bytes", "avgpkt"];

export const connbytes = defineMatch<S>({
	name: "connbytes",
	options: [
		{
			name: "connbytes",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = countRange(cx, v.args[0]!);
				if (r !== undefined) s.range = { ...r, neg: v.neg };
			},
		},
		{
			name: "connbytes-dir",
			arity: 1,
			apply: (s, v, cx) => {
				const d = DIRS.find((x) => x === v.args[0]!.text);
				if (d === undefined) cx.error("invalid_value", `unknown --connbytes-dir "${v.args[0]!.text}"`, v.args[0]!, "original, reply or both");
				else s.dir = d;
			},
		},
		{
			name: "connbytes-mode",
			arity: 1,
			apply: (s, v, cx) => {
				const m = MODES.find((x) => x === v.args[0]!.text);
				if (m === undefined) cx.error("invalid_value", `unknown --connbytes-mode "${v.args[0]!.text}"`, v.args[0]!, "packets, bytes or avgpkt");
				else s.mode = m;
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		const missing = [s.range === undefined ? "--connbytes" : "", s.dir === undefined ? "--connbytes-dir" : "", s.mode === undefined ? "--connbytes-mode" : ""].filter((x) => x !== "");
		if (s.range === undefined || s.dir === undefined || s.mode === undefined) {
			cx.error("missing_argument", `-m connbytes needs ${missing.join(", ")}`, cx.nameWord);
			return undefined;
		}
		const { lo, hi, neg } = s.range;
		return { kind: "connbytes", from: neg ? hi : lo, to: neg ? lo : hi, dir: s.dir, mode: s.mode };
	},
});

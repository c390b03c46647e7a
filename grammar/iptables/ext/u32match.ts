/**
 * -m u32 [!] --u32 "TESTS": the u32 test language of libxt_u32 (tests joined by `&&`, each
 * `LOCATION=RANGES`; LOCATION is a number followed by `&N`, `<<N`, `>>N`, `@N`; RANGES are `A[:B]`
 * joined by `,`). Whitespace may stand between any two tokens. Numbers are strtoul base 0 (hex
 * `0x`, octal leading `0`, decimal), 0..2^32-1. Limits as xt_u32.h: 10 tests, 10 location numbers
 * and 10 ranges per test. (The file is not called u32.ts: that name holds the shared number helpers.)
 */
import type { PortRange, U32Op, U32Test } from "../../../compiler/ir/ipt.js";
import { defineMatch, type ExtContext } from "../extension.js";
import type { Word } from "../words.js";

/** XT_U32_MAXSIZE. */
export const U32_MAX = 10;

interface S {
	tests?: readonly U32Test[];
	neg: boolean;
}

export const u32Match = defineMatch<S>({
	name: "u32",
	options: [
		{
			name: "u32",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const tests = parseU32(cx, v.args[0]!);
				if (tests !== undefined) {
					s.tests = tests;
					s.neg = v.neg;
				}
			},
		},
	],
	init: () => ({ neg: false }),
	finish: (s, cx) => {
		if (s.tests === undefined) {
			cx.error("missing_argument", "-m u32 needs --u32", cx.nameWord);
			return undefined;
		}
		return { kind: "u32", tests: s.tests, neg: s.neg };
	},
});

/** The result of parsing, or an error message with the character position libxt_u32 reports. */
export type U32Parse = { readonly ok: true; readonly tests: readonly U32Test[] } | { readonly ok: false; readonly at: number; readonly message: string };

function parseU32(cx: ExtContext, w: Word): readonly U32Test[] | undefined {
	const r = parseU32Text(w.text);
	if (r.ok) return r.tests;
	cx.error("invalid_value", `invalid --u32 "${w.text}": at char ${r.at}: ${r.message}`, w, 'syntax: LOCATION=A[:B][,C…][&&…], LOCATION = N followed by &N, <<N, >>N or @N; at most 10 of each');
	return undefined;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /[ \t\n\v\f\r]/.test(c);

/** Parses the u32 test language the way libxt_u32's u32_parse does (same accepted set, same limits). */
export function parseU32Text(text: string): U32Parse {
	let i = 0;
	const fail = (message: string): U32Parse => ({ ok: false, at: i, message });
	/** strtoul(s, &end, 0) limited to 32 bits, as xtables_strtoui; undefined: not a number / out of range. */
	const number = (): number | undefined => {
		let j = i;
		while (isSpace(text[j])) j++;
		let negative = false;
		if (text[j] === "+" || text[j] === "-") {
			negative = text[j] === "-";
			j++;
		}
		let base = 10;
		let digits = /[0-9]/;
		if (text[j] === "0" && (text[j + 1] === "x" || text[j + 1] === "X") && /[0-9a-fA-F]/.test(text[j + 2] ?? "")) {
			base = 16;
			digits = /[0-9a-fA-F]/;
			j += 2;
		} else if (text[j] === "0") {
			base = 8;
			digits = /[0-7]/;
		}
		const from = j;
		while (j < text.length && digits.test(text[j]!)) j++;
		if (j === from) return undefined;
		let v = 0n;
		for (const c of text.slice(from, j)) v = v * BigInt(base) + BigInt(parseInt(c, 16));
		// strtoumax of "-N" is 2^64-N: only "-0" stays in range.
		if (negative && v !== 0n) return undefined;
		if (v > 0xffffffffn) return undefined;
		i = j;
		return Number(v);
	};
	const tests: U32Test[] = [];
	let start = 0;
	let ops: { op: U32Op; n: number }[] = [];
	let ranges: PortRange[] = [];
	let locs = 0;
	let state: "loc" | "val" = "loc";
	for (;;) {
		while (isSpace(text[i])) i++;
		const c = text[i];
		if (c === undefined) {
			if (state === "loc") return fail("abrupt end of input after location specifier");
			if (ranges.length === 0) return fail("test ended with no value specified");
			tests.push({ start, ops, ranges });
			if (tests.length > U32_MAX) return fail('too many "&&"s');
			return { ok: true, tests };
		}
		if (state === "loc") {
			if (c === "=") {
				if (locs === 0) return fail("location spec missing");
				i++;
				state = "val";
				continue;
			}
			let op: U32Op | undefined;
			if (locs !== 0) {
				if (c === "&") op = "&";
				else if (c === "<" || c === ">") {
					i++;
					if (text[i] !== c) return fail(`a second '${c}' was expected`);
					op = c === "<" ? "<<" : ">>";
				} else if (c === "@") op = "@";
				else return fail("operator expected");
				i++;
			}
			const n = number();
			if (n === undefined) return fail("not a number or out of range");
			if (op === undefined) start = n;
			else ops.push({ op, n });
			if (++locs > U32_MAX) return fail("too many operators");
		} else if (c === "&") {
			i++;
			if (text[i] !== "&") return fail("a second '&' was expected");
			if (ranges.length === 0) return fail("value spec missing");
			tests.push({ start, ops, ranges });
			if (tests.length > U32_MAX) return fail('too many "&&"s');
			i++;
			state = "loc";
			ops = [];
			ranges = [];
			locs = 0;
		} else {
			if (ranges.length > 0) {
				if (c !== ",") return fail('expected "," or "&&"');
				i++;
			}
			const lo = number();
			if (lo === undefined) return fail("not a number or out of range");
			while (isSpace(text[i])) i++;
			let hi = lo;
			if (text[i] === ":") {
				i++;
				const h = number();
				if (h === undefined) return fail("not a number or out of range");
				hi = h;
			}
			// libxt_u32 keeps min > max as given; such a range matches nothing.
			ranges.push({ lo, hi });
			if (ranges.length > U32_MAX) return fail('too many ","s');
		}
	}
}

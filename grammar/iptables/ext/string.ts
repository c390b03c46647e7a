/** -m string --algo bm|kmp --string S | --hex-string |..| [--from N] [--to N] [--icase]. */
import type { Neg } from "../../../compiler/ir/ipt.js";
import { defineMatch, type ExtContext } from "../extension.js";
import { parseUint } from "../values.js";
import type { Word } from "../words.js";

interface S {
	algo?: "bm" | "kmp";
	pattern?: Neg<string>;
	from: number;
	to: number;
	icase: boolean;
}

/** `|41 42|` hex blocks mixed with plain text (libxt_string's --hex-string). */
function hexString(cx: ExtContext, w: Word): string | undefined {
	let out = "";
	const parts = w.text.split("|");
	if (parts.length % 2 === 0) {
		cx.error("invalid_value", `unbalanced | in --hex-string "${w.text}"`, w);
		return undefined;
	}
	for (const [i, p] of parts.entries()) {
		if (i % 2 === 0) out += p;
		else {
			const hex = p.replace(/\s+/g, "");
			if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) {
				cx.error("invalid_value", `invalid hex bytes "${p}" in --hex-string`, w);
				return undefined;
			}
			for (let k = 0; k < hex.length; k += 2) out += String.fromCharCode(parseInt(hex.slice(k, k + 2), 16));
		}
	}
	return out;
}

export const stringMatch = defineMatch<S>({
	name: "string",
	options: [
		{
			name: "algo",
			arity: 1,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text;
				if (t !== "bm" && t !== "kmp") return cx.error("invalid_value", `invalid --algo "${t}"`, v.args[0]!, "use bm or kmp");
				s.algo = t;
			},
		},
		{
			name: "string",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				if (s.pattern !== undefined) return cx.error("conflicting_options", "--string and --hex-string cannot be combined", v.word);
				s.pattern = { value: v.args[0]!.text, neg: v.neg };
			},
		},
		{
			name: "hex-string",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				if (s.pattern !== undefined) return cx.error("conflicting_options", "--string and --hex-string cannot be combined", v.word);
				const p = hexString(cx, v.args[0]!);
				if (p !== undefined) s.pattern = { value: p, neg: v.neg };
			},
		},
		{ name: "from", arity: 1, apply: (s, v, cx) => void (s.from = parseUint(v.args[0]!.text, 65535) ?? (cx.error("invalid_value", `invalid --from "${v.args[0]!.text}"`, v.args[0]!), 0)) },
		{ name: "to", arity: 1, apply: (s, v, cx) => void (s.to = parseUint(v.args[0]!.text, 65535) ?? (cx.error("invalid_value", `invalid --to "${v.args[0]!.text}"`, v.args[0]!), 65535)) },
		{ name: "icase", arity: 0, apply: (s) => void (s.icase = true) },
	],
	init: () => ({ from: 0, to: 65535, icase: false }),
	finish: (s, cx) => {
		if (s.pattern === undefined || s.pattern.value === "") {
			cx.error("missing_argument", "-m string needs a non-empty --string or --hex-string", cx.nameWord);
			return undefined;
		}
		// XT_STRING_MAX_PATTERN_SIZE
		if (s.pattern.value.length > 128) {
			cx.error("invalid_value", "the --string pattern is longer than 128 bytes", cx.nameWord);
			return undefined;
		}
		// Old iptables-save output may lack --algo; the kernel needs one, bm is what every tool writes.
		return { kind: "string", algo: s.algo ?? "bm", pattern: s.pattern, from: s.from, to: s.to, icase: s.icase };
	},
});

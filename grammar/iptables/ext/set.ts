/**
 * -m set [!] --match-set NAME DIRS (alias --set), --return-nomatch, ! --update-counters,
 * ! --update-subcounters, [!] --packets-eq/lt/gt N, [!] --bytes-eq/lt/gt N.
 */
import type { IpsetRef, SetMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch, take, type OptionDef } from "../extension.js";
import { parseDec } from "../values.js";
import { parseIpsetRef } from "./ipsetref.js";

interface S {
	ref?: IpsetRef;
	neg: boolean;
	returnNomatch: boolean;
	updateCounters: boolean;
	updateSubcounters: boolean;
	counterChecks: string[];
}

function counterOption(name: string): OptionDef<S> {
	return {
		name,
		arity: 1,
		negatable: name.endsWith("-eq"),
		apply: (s, v, cx) => {
			if (parseDec(v.args[0]!.text, Number.MAX_SAFE_INTEGER) === undefined)
				return cx.error("invalid_value", `invalid --${name} "${v.args[0]!.text}"`, v.args[0]!);
			s.counterChecks.push(`${v.neg ? "! " : ""}--${name} ${v.args[0]!.text}`);
		},
	};
}

function noUpdate(name: "update-counters" | "update-subcounters", key: "updateCounters" | "updateSubcounters"): OptionDef<S> {
	return {
		name,
		arity: 0,
		negatable: true,
		apply: (s, v, cx) => {
			if (!v.neg) return cx.error("invalid_value", `--${name} is the default; only ! --${name} changes anything`, v.word);
			s[key] = false;
		},
	};
}

export const setMatch = defineMatch<S>({
	name: "set",
	options: [
		{
			name: "match-set",
			aliases: ["set"],
			arity: 2,
			negatable: true,
			apply: (s, v, cx) => {
				if (s.ref !== undefined) return cx.error("duplicate_option", "--match-set given twice; use two -m set matches", v.word);
				const r = take(cx, parseIpsetRef(v.args[0]!.text, v.args[1]!.text), v.args[1]!);
				if (r === undefined) return;
				s.ref = r;
				s.neg = v.neg;
			},
		},
		{
			name: "return-nomatch",
			arity: 0,
			apply: (s) => {
				s.returnNomatch = true;
			},
		},
		noUpdate("update-counters", "updateCounters"),
		noUpdate("update-subcounters", "updateSubcounters"),
		counterOption("packets-eq"),
		counterOption("packets-lt"),
		counterOption("packets-gt"),
		counterOption("bytes-eq"),
		counterOption("bytes-lt"),
		counterOption("bytes-gt"),
	],
	init: () => ({ neg: false, returnNomatch: false, updateCounters: true, updateSubcounters: true, counterChecks: [] }),
	finish: (s, cx): SetMatch | undefined => {
		if (s.ref === undefined) {
			cx.error("missing_argument", "-m set needs --match-set NAME src|dst[,…]", cx.nameWord);
			return undefined;
		}
		return {
			kind: "set",
			name: s.ref.name,
			dirs: s.ref.dirs,
			neg: s.neg,
			returnNomatch: s.returnNomatch,
			updateCounters: s.updateCounters,
			updateSubcounters: s.updateSubcounters,
			counterChecks: s.counterChecks,
		};
	},
});

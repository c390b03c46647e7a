/**
 * -m connlimit [!] --connlimit-upto N | [!] --connlimit-above N, --connlimit-mask LEN,
 * --connlimit-saddr (default) | --connlimit-daddr. `! --connlimit-above N` is `--connlimit-upto N`.
 */
import type { ConnlimitMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch, type OptionDef } from "../extension.js";
import { parseUint } from "../values.js";

interface S {
	limit?: number;
	above?: boolean;
	prefixLen?: number;
	side?: "src" | "dst";
}

function sideOption(name: "connlimit-saddr" | "connlimit-daddr", side: "src" | "dst"): OptionDef<S> {
	return {
		name,
		arity: 0,
		apply: (s, v, cx) => {
			if (s.side !== undefined && s.side !== side) return cx.error("conflicting_options", "--connlimit-saddr and --connlimit-daddr cannot be combined", v.word);
			s.side = side;
		},
	};
}

function limitOption(name: "connlimit-upto" | "connlimit-above"): OptionDef<S> {
	return {
		name,
		arity: 1,
		negatable: true,
		apply: (s, v, cx) => {
			if (s.limit !== undefined) return cx.error("conflicting_options", "--connlimit-upto and --connlimit-above cannot be combined", v.word);
			const n = parseUint(v.args[0]!.text, 0xffffffff);
			if (n === undefined) return cx.error("invalid_value", `invalid connection count "${v.args[0]!.text}"`, v.args[0]!, "expected a number 0..4294967295");
			s.limit = n;
			s.above = (name === "connlimit-above") !== v.neg;
		},
	};
}

export const connlimit = defineMatch<S>({
	name: "connlimit",
	options: [
		limitOption("connlimit-upto"),
		limitOption("connlimit-above"),
		{
			name: "connlimit-mask",
			arity: 1,
			apply: (s, v, cx) => {
				const max = cx.fam === 4 ? 32 : 128;
				const n = parseUint(v.args[0]!.text, max);
				if (n === undefined) return cx.error("invalid_value", `invalid --connlimit-mask "${v.args[0]!.text}": expected a prefix length 0..${max}`, v.args[0]!);
				s.prefixLen = n;
			},
		},
		sideOption("connlimit-saddr", "src"),
		sideOption("connlimit-daddr", "dst"),
	],
	init: () => ({}),
	finish: (s, cx): ConnlimitMatch | undefined => {
		if (s.limit === undefined || s.above === undefined) {
			cx.error("missing_argument", "-m connlimit needs --connlimit-upto N or --connlimit-above N", cx.nameWord);
			return undefined;
		}
		return { kind: "connlimit", limit: s.limit, above: s.above, prefixLen: s.prefixLen ?? (cx.fam === 4 ? 32 : 128), side: s.side ?? "src" };
	},
});


/**
 * -m recent: [!] --set | --rcheck | --update | --remove (exactly one), --name (default DEFAULT),
 * --rsource/--rdest, --mask, --seconds, --reap, --hitcount, --rttl. The kernel refuses
 * --seconds/--hitcount/--rttl/--reap with --set/--remove and --reap without --seconds.
 */
import type { RecentMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch, take, type OptionDef } from "../extension.js";
import { parseAddr, parseUint } from "../values.js";
import type { Word } from "../words.js";

interface S {
	op?: RecentMatch["op"];
	opWord?: Word;
	neg: boolean;
	name: string;
	side: "src" | "dst";
	mask?: bigint;
	seconds?: number;
	secondsWord?: Word;
	reap?: Word;
	hitcount?: number;
	hitWord?: Word;
	rttl?: Word;
}

/** XT_RECENT_NAME_LEN is 200 bytes including the terminating NUL. */
const MAX_NAME = 199;
const U32 = 0xffffffff;
const MAX_HITCOUNT = 255;

function opOption(op: RecentMatch["op"]): OptionDef<S> {
	return {
		name: op,
		arity: 0,
		negatable: true,
		apply: (s, v, cx) => {
			if (s.op !== undefined)
				return cx.error("conflicting_options", `--${op} cannot be combined with --${s.op}`, v.word, "--set, --rcheck, --update and --remove are mutually exclusive");
			s.op = op;
			s.opWord = v.word;
			s.neg = v.neg;
		},
	};
}

export const recent = defineMatch<S>({
	name: "recent",
	options: [
		opOption("set"),
		opOption("rcheck"),
		opOption("update"),
		opOption("remove"),
		{
			name: "seconds",
			arity: 1,
			apply: (s, v, cx) => {
				const n = parseUint(v.args[0]!.text, U32);
				if (n === undefined) return cx.error("invalid_value", `invalid --seconds "${v.args[0]!.text}": expected 0..${U32}`, v.args[0]!);
				s.seconds = n;
				s.secondsWord = v.word;
			},
		},
		{
			name: "reap",
			arity: 0,
			apply: (s, v) => {
				s.reap = v.word;
			},
		},
		{
			name: "hitcount",
			arity: 1,
			apply: (s, v, cx) => {
				// The kernel refuses more than ip_pkt_list_tot (default 20, at most 255) stamps.
				const n = parseUint(v.args[0]!.text, MAX_HITCOUNT);
				if (n === undefined)
					return cx.error("invalid_value", `invalid --hitcount "${v.args[0]!.text}": the kernel remembers at most ${MAX_HITCOUNT} packets per address`, v.args[0]!, "xt_recent's ip_pkt_list_tot (default 20) bounds --hitcount");
				s.hitcount = n;
				s.hitWord = v.word;
			},
		},
		{
			name: "rttl",
			arity: 0,
			apply: (s, v) => {
				s.rttl = v.word;
			},
		},
		{
			name: "name",
			arity: 1,
			apply: (s, v, cx) => {
				const n = v.args[0]!.text;
				if (n === "") return cx.error("invalid_value", "--name must not be empty", v.args[0]!);
				if (Buffer.byteLength(n, "utf8") > MAX_NAME) return cx.error("invalid_value", `list name is longer than ${MAX_NAME} bytes`, v.args[0]!);
				s.name = n;
			},
		},
		{
			name: "rsource",
			arity: 0,
			apply: (s) => {
				s.side = "src";
			},
		},
		{
			name: "rdest",
			arity: 0,
			apply: (s) => {
				s.side = "dst";
			},
		},
		{
			name: "mask",
			arity: 1,
			apply: (s, v, cx) => {
				const m = take(cx, parseAddr(v.args[0]!.text, cx.fam), v.args[0]!);
				if (m !== undefined) s.mask = m;
			},
		},
	],
	init: () => ({ neg: false, name: "DEFAULT", side: "src" }),
	finish: (s, cx): RecentMatch | undefined => {
		if (s.op === undefined) {
			cx.error("missing_argument", "-m recent needs one of --set, --rcheck, --update or --remove", cx.nameWord);
			return undefined;
		}
		const modifier = s.secondsWord ?? s.hitWord ?? s.rttl ?? s.reap;
		if ((s.op === "set" || s.op === "remove") && modifier !== undefined) {
			cx.error("conflicting_options", `${modifier.text} only works with --rcheck or --update, not --${s.op}`, modifier);
			return undefined;
		}
		if (s.reap !== undefined && (s.seconds === undefined || s.seconds === 0)) {
			cx.error("missing_argument", "--reap needs --seconds", s.reap);
			return undefined;
		}
		const ones = cx.fam === 4 ? 0xffffffffn : (1n << 128n) - 1n;
		return {
			kind: "recent",
			name: s.name,
			op: s.op,
			neg: s.neg,
			side: s.side,
			...(s.mask !== undefined && s.mask !== ones ? { mask: s.mask } : {}),
			...(s.seconds !== undefined && s.seconds !== 0 ? { seconds: s.seconds } : {}),
			reap: s.reap !== undefined,
			...(s.hitcount !== undefined && s.hitcount !== 0 ? { hitcount: s.hitcount } : {}),
			rttl: s.rttl !== undefined,
		};
	},
});

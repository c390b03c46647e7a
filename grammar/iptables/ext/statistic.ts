/** -m statistic --mode random --probability P | --mode nth --every N --packet P; `!` inverts. */
import type { StatisticMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import { parseUint } from "../values.js";
import type { Word } from "../words.js";

interface S {
	mode?: "random" | "nth";
	probability?: number;
	every?: number;
	packet?: number;
	neg: boolean;
	probWord?: Word;
	everyWord?: Word;
	packetWord?: Word;
}

export const statistic = defineMatch<S>({
	name: "statistic",
	options: [
		{
			name: "mode",
			arity: 1,
			apply: (s, v, cx) => {
				const m = v.args[0]!.text;
				if (m !== "random" && m !== "nth") return cx.error("invalid_value", `unknown statistic mode "${m}"`, v.args[0]!, "modes are random and nth");
				s.mode = m;
			},
		},
		{
			name: "probability",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text;
				const p = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)$/.test(t) ? Number(t) : NaN;
				if (!(p >= 0 && p <= 1)) return cx.error("invalid_value", `invalid probability "${t}": expected 0..1`, v.args[0]!);
				s.probability = p;
				s.probWord = v.word;
				if (v.neg) s.neg = true;
			},
		},
		{
			name: "every",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const n = parseUint(v.args[0]!.text, 0xffffffff);
				if (n === undefined || n === 0) return cx.error("invalid_value", `invalid --every "${v.args[0]!.text}": expected 1..2^32-1`, v.args[0]!);
				s.every = n;
				s.everyWord = v.word;
				if (v.neg) s.neg = true;
			},
		},
		{
			name: "packet",
			arity: 1,
			apply: (s, v, cx) => {
				const n = parseUint(v.args[0]!.text, 0xffffffff);
				if (n === undefined) return cx.error("invalid_value", `invalid --packet "${v.args[0]!.text}"`, v.args[0]!);
				s.packet = n;
				s.packetWord = v.word;
			},
		},
	],
	init: () => ({ neg: false }),
	finish: (s, cx): StatisticMatch | undefined => {
		if (s.mode === undefined) {
			cx.error("missing_argument", "-m statistic needs --mode random|nth", cx.nameWord);
			return undefined;
		}
		if (s.mode === "random") {
			const stray = s.everyWord ?? s.packetWord;
			if (stray !== undefined) {
				cx.error("conflicting_options", "--every/--packet belong to --mode nth", stray);
				return undefined;
			}
			if (s.probability === undefined) {
				cx.error("missing_argument", "--mode random needs --probability", cx.nameWord);
				return undefined;
			}
			return { kind: "statistic", mode: "random", probability: s.probability, neg: s.neg };
		}
		if (s.probWord !== undefined) {
			cx.error("conflicting_options", "--probability belongs to --mode random", s.probWord);
			return undefined;
		}
		if (s.every === undefined || s.packet === undefined) {
			cx.error("missing_argument", "--mode nth needs --every N and --packet P", cx.nameWord);
			return undefined;
		}
		if (s.packet >= s.every) {
			cx.error("invalid_value", `--packet ${s.packet} must be less than --every ${s.every}`, s.packetWord ?? cx.nameWord);
			return undefined;
		}
		return { kind: "statistic", mode: "nth", every: s.every, packet: s.packet, neg: s.neg };
	},
});

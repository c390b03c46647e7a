/**
 * -j CONNMARK: --set-xmark/--set-mark/--and-mark/--or-mark/--xor-mark (ctmark), or
 * --save-mark / --restore-mark with --nfmask/--ctmask (or --mask for both; default all ones).
 */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget, type OptionDef } from "../extension.js";
import { parseUint } from "../values.js";
import { xmarkOptions, type XmarkState } from "./xmark.js";

interface S extends XmarkState {
	op?: "save" | "restore";
	nfmask?: number;
	ctmask?: number;
}

const ALL = 0xffffffff;

function maskOpt(name: string, set: (s: S, m: number) => void): OptionDef<S> {
	return {
		name,
		arity: 1,
		apply: (s, v, cx) => {
			const m = parseUint(v.args[0]!.text, ALL);
			if (m === undefined) return cx.error("invalid_value", `invalid mask "${v.args[0]!.text}": expected a 32-bit value`, v.args[0]!);
			set(s, m);
		},
	};
}

function opOpt(name: string, op: "save" | "restore"): OptionDef<S> {
	return {
		name,
		arity: 0,
		apply: (s, v, cx) => {
			if (s.op !== undefined || s.xmark !== undefined) return cx.error("conflicting_options", "only one CONNMARK operation per rule", v.word);
			s.op = op;
		},
	};
}

export const connmarkTarget = defineTarget<S>({
	name: "CONNMARK",
	options: [
		...xmarkOptions<S>(),
		opOpt("save-mark", "save"),
		opOpt("restore-mark", "restore"),
		maskOpt("nfmask", (s, m) => void (s.nfmask = m)),
		maskOpt("ctmask", (s, m) => void (s.ctmask = m)),
		maskOpt("mask", (s, m) => {
			s.nfmask = m;
			s.ctmask = m;
		}),
	],
	init: () => ({}),
	finish: (s, cx): Target | undefined => {
		if (s.xmark !== undefined && s.op !== undefined) {
			cx.error("conflicting_options", "only one CONNMARK operation per rule", cx.nameWord);
			return undefined;
		}
		if (s.xmark !== undefined) {
			if (s.nfmask !== undefined || s.ctmask !== undefined) {
				cx.error("conflicting_options", "--nfmask/--ctmask/--mask go with --save-mark or --restore-mark", cx.nameWord);
				return undefined;
			}
			return { kind: "connmark-set", value: s.xmark.value, mask: s.xmark.mask };
		}
		if (s.op === undefined) {
			cx.error("missing_argument", "CONNMARK needs --set-xmark/--set-mark/… or --save-mark/--restore-mark", cx.nameWord);
			return undefined;
		}
		const nfmask = s.nfmask ?? ALL;
		const ctmask = s.ctmask ?? ALL;
		return s.op === "save" ? { kind: "connmark-save", nfmask, ctmask } : { kind: "connmark-restore", nfmask, ctmask };
	},
});

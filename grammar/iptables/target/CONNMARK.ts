/**
 * -j CONNMARK: --set-xmark/--set-mark/--and-mark/--or-mark/--xor-mark (ctmark), or
 * --save-mark / --restore-mark with --nfmask/--ctmask (or --mask for both; default all ones).
 * Revision 2 adds --left-shift-mark / --right-shift-mark N (0..31, base 0; the last one given
 * wins; iptables takes 32, the kernel refuses it), which shift the computed mark in every mode
 * (xt_connmark connmark_tg_shift).
 */
import type { MarkShift, Target } from "../../../compiler/ir/ipt.js";
import { defineTarget, type OptionDef } from "../extension.js";
import { parseUint } from "../values.js";
import { xmarkOptions, type XmarkState } from "./xmark.js";

interface S extends XmarkState {
	op?: "save" | "restore";
	nfmask?: number;
	ctmask?: number;
	shift?: MarkShift;
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

function shiftOpt(name: string, dir: MarkShift["dir"]): OptionDef<S> {
	return {
		name,
		arity: 1,
		apply: (s, v, cx) => {
			const n = parseUint(v.args[0]!.text, 32);
			if (n === undefined) return cx.error("invalid_value", `invalid --${name} "${v.args[0]!.text}": expected 0..32`, v.args[0]!);
			// libxt_CONNMARK takes 32, the kernel (connmark_tg_check) refuses shifts over 31.
			if (n === 32) return cx.error("invalid_value", `--${name} 32: the kernel refuses shifts over 31 bits`, v.args[0]!);
			s.shift = { dir, bits: n };
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
		shiftOpt("left-shift-mark", "left"),
		shiftOpt("right-shift-mark", "right"),
	],
	init: () => ({}),
	finish: (s, cx): Target | undefined => {
		// A shift by 0 bits is no shift (iptables-save omits it).
		const shift = s.shift !== undefined && s.shift.bits !== 0 ? { shift: s.shift } : {};
		if (s.xmark !== undefined && s.op !== undefined) {
			cx.error("conflicting_options", "only one CONNMARK operation per rule", cx.nameWord);
			return undefined;
		}
		if (s.xmark !== undefined) {
			if (s.nfmask !== undefined || s.ctmask !== undefined) {
				cx.error("conflicting_options", "--nfmask/--ctmask/--mask go with --save-mark or --restore-mark", cx.nameWord);
				return undefined;
			}
			return { kind: "connmark-set", value: s.xmark.value, mask: s.xmark.mask, ...shift };
		}
		if (s.op === undefined) {
			cx.error("missing_argument", "CONNMARK needs --set-xmark/--set-mark/… or --save-mark/--restore-mark", cx.nameWord);
			return undefined;
		}
		const nfmask = s.nfmask ?? ALL;
		const ctmask = s.ctmask ?? ALL;
		return s.op === "save" ? { kind: "connmark-save", nfmask, ctmask, ...shift } : { kind: "connmark-restore", nfmask, ctmask, ...shift };
	},
});

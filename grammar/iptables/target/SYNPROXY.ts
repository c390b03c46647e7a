/**
 * -j SYNPROXY --mss N --wscale N --sack-perm --timestamp --ecn. The kernel wants `-p tcp` and
 * only the INPUT and FORWARD hooks.
 */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget, type OptionDef } from "../extension.js";
import { parseUint } from "../values.js";

interface S {
	mss?: number;
	wscale?: number;
	sackPerm: boolean;
	timestamp: boolean;
	ecn: boolean;
}

function flag(name: string, key: "sackPerm" | "timestamp" | "ecn"): OptionDef<S> {
	return {
		name,
		arity: 0,
		apply: (s) => {
			s[key] = true;
		},
	};
}

export const synproxy = defineTarget<S>({
	name: "SYNPROXY",
	options: [
		{
			name: "mss",
			arity: 1,
			apply: (s, v, cx) => {
				const n = parseUint(v.args[0]!.text, 65535);
				if (n === undefined) return cx.error("invalid_value", `invalid --mss "${v.args[0]!.text}": expected 0..65535`, v.args[0]!);
				s.mss = n;
			},
		},
		{
			name: "wscale",
			arity: 1,
			apply: (s, v, cx) => {
				const n = parseUint(v.args[0]!.text, 14);
				if (n === undefined) return cx.error("invalid_value", `invalid --wscale "${v.args[0]!.text}": expected 0..14`, v.args[0]!);
				s.wscale = n;
			},
		},
		flag("sack-perm", "sackPerm"),
		flag("timestamp", "timestamp"),
		flag("ecn", "ecn"),
	],
	init: () => ({ sackPerm: false, timestamp: false, ecn: false }),
	finish: (s, cx): Target | undefined => {
		if (cx.proto !== 6 || cx.protoNeg) {
			cx.error("protocol_required", "SYNPROXY needs -p tcp", cx.nameWord);
			return undefined;
		}
		if (cx.builtin !== undefined && cx.builtin !== "INPUT" && cx.builtin !== "FORWARD") {
			cx.error("target_not_allowed_here", `SYNPROXY is only valid in INPUT and FORWARD, not ${cx.builtin}`, cx.nameWord);
			return undefined;
		}
		return {
			kind: "synproxy",
			...(s.mss !== undefined ? { mss: s.mss } : {}),
			...(s.wscale !== undefined ? { wscale: s.wscale } : {}),
			sackPerm: s.sackPerm,
			timestamp: s.timestamp,
			ecn: s.ecn,
		};
	},
});

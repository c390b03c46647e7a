/**
 * -j TCPMSS --set-mss N | --clamp-mss-to-pmtu. The kernel wants `-p tcp` and a match that only
 * lets SYN packets through (e.g. --tcp-flags SYN,RST SYN or --syn).
 */
import { TCP_FLAG_BITS, type Target } from "../../../compiler/ir/ipt.js";
import { defineTarget } from "../extension.js";
import { parseUint } from "../values.js";

interface S {
	mss?: number | "pmtu";
}

export const tcpmss = defineTarget<S>({
	name: "TCPMSS",
	options: [
		{
			name: "set-mss",
			arity: 1,
			apply: (s, v, cx) => {
				if (s.mss !== undefined) return cx.error("conflicting_options", "--set-mss and --clamp-mss-to-pmtu cannot be combined", v.word);
				const n = parseUint(v.args[0]!.text, 65535 - 40);
				if (n === undefined) return cx.error("invalid_value", `invalid MSS "${v.args[0]!.text}"`, v.args[0]!);
				s.mss = n;
			},
		},
		{
			name: "clamp-mss-to-pmtu",
			arity: 0,
			apply: (s, v, cx) => {
				if (s.mss !== undefined) return cx.error("conflicting_options", "--set-mss and --clamp-mss-to-pmtu cannot be combined", v.word);
				s.mss = "pmtu";
			},
		},
	],
	init: () => ({}),
	finish: (s, cx): Target | undefined => {
		if (s.mss === undefined) {
			cx.error("missing_argument", "TCPMSS needs --set-mss or --clamp-mss-to-pmtu", cx.nameWord);
			return undefined;
		}
		if (cx.proto !== 6 || cx.protoNeg) {
			cx.error("protocol_required", "TCPMSS needs -p tcp", cx.nameWord);
			return undefined;
		}
		const syn = TCP_FLAG_BITS.SYN;
		const synOnly = cx.matches.some((m) => m.kind === "tcp" && m.flags !== undefined && !m.flags.neg && (m.flags.value.mask & syn) !== 0 && (m.flags.value.comp & syn) !== 0);
		if (!synOnly) {
			cx.error("invalid_value", "TCPMSS only works on SYN packets: add -m tcp --tcp-flags SYN,RST SYN (or --syn)", cx.nameWord);
			return undefined;
		}
		if (s.mss === "pmtu" && cx.builtin !== undefined && cx.builtin !== "FORWARD" && cx.builtin !== "OUTPUT" && cx.builtin !== "POSTROUTING") {
			cx.error("target_not_allowed_here", `--clamp-mss-to-pmtu is only valid in FORWARD, OUTPUT and POSTROUTING, not ${cx.builtin}`, cx.nameWord);
			return undefined;
		}
		return { kind: "tcpmss", mss: s.mss };
	},
});

/** -m ecn: --ecn-ip-ect 0..3 and the TCP --ecn-tcp-ece / --ecn-tcp-cwr flags (these need -p tcp). */
import type { EcnMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import { uint } from "./u32.js";

type S = { -readonly [K in keyof Omit<EcnMatch, "kind">]?: EcnMatch[K] };

export const ecn = defineMatch<S>({
	name: "ecn",
	options: [
		{
			name: "ecn-ip-ect",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const n = uint(cx, v.args[0]!, 3, "ECN codepoint");
				if (n !== undefined) s.ipEct = { value: n, neg: v.neg };
			},
		},
		{ name: "ecn-tcp-ece", arity: 0, negatable: true, apply: (s, v) => void (s.ece = { value: true, neg: v.neg }) },
		{ name: "ecn-tcp-cwr", arity: 0, negatable: true, apply: (s, v) => void (s.cwr = { value: true, neg: v.neg }) },
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.ipEct === undefined && s.ece === undefined && s.cwr === undefined) {
			cx.error("missing_argument", "-m ecn needs --ecn-ip-ect, --ecn-tcp-ece or --ecn-tcp-cwr", cx.nameWord);
			return undefined;
		}
		if ((s.ece !== undefined || s.cwr !== undefined) && (cx.proto !== 6 || cx.protoNeg)) {
			cx.error("protocol_required", "--ecn-tcp-ece / --ecn-tcp-cwr need -p tcp", cx.nameWord);
			return undefined;
		}
		return { kind: "ecn", ...s };
	},
});

/** -m dccp: ports, --dccp-types list, --dccp-option N; needs -p dccp. */
import type { DccpMatch, Neg, PortRange } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import { portOptions, requireProto } from "./tcp.js";
import { uint } from "./u32.js";

/** iptables' names; INVALID stands for the reserved types 10..15. */
const TYPES: Readonly<Record<string, readonly number[]>> = {
	REQUEST: [0], RESPONSE: [1], DATA: [2], ACK: [3], DATAACK: [4], CLOSEREQ: [5], CLOSE: [6],
	RESET: [7], SYNC: [8], SYNCACK: [9], INVALID: [10, 11, 12, 13, 14, 15],
};

interface S {
	sport?: Neg<PortRange>;
	dport?: Neg<PortRange>;
	types?: Neg<readonly number[]>;
	option?: Neg<number>;
}

export const dccp = defineMatch<S>({
	name: "dccp",
	options: [
		...portOptions<S>(),
		{
			name: "dccp-types",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const out = new Set<number>();
				for (const n of v.args[0]!.text.split(",")) {
					const t = TYPES[n.toUpperCase()];
					if (t === undefined || !Object.prototype.hasOwnProperty.call(TYPES, n.toUpperCase()))
						return cx.error("invalid_value", `unknown DCCP packet type "${n}"`, v.args[0]!);
					for (const x of t) out.add(x);
				}
				s.types = { value: [...out].sort((a, b) => a - b), neg: v.neg };
			},
		},
		{
			name: "dccp-option",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const n = uint(cx, v.args[0]!, 255, "DCCP option");
				if (n !== undefined) s.option = { value: n, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (!requireProto(cx, 33, "dccp")) return undefined;
		return { kind: "dccp", ...s } satisfies DccpMatch;
	},
});

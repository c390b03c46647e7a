/** -m cpu --cpu N: the CPU processing the packet. */
import type { Neg } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import { uint } from "./u32.js";

interface S {
	cpu?: Neg<number>;
}

export const cpu = defineMatch<S>({
	name: "cpu",
	options: [
		{
			name: "cpu",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const n = uint(cx, v.args[0]!, 0xffffffff, "CPU number");
				if (n !== undefined) s.cpu = { value: n, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.cpu === undefined) {
			cx.error("missing_argument", "-m cpu needs --cpu", cx.nameWord);
			return undefined;
		}
		return { kind: "cpu", cpu: s.cpu };
	},
});

/**
 * -m ipcomp [!] --ipcompspi N[:M] [--compres]: the IPComp CPI; needs -p ipcomp (xt_ipcomp is bound
 * to protocol 108). --compres is stored but the kernel never looks at it.
 */
import type { IpcompMatch, Neg, PortRange } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import { requireProto } from "./tcp.js";
import { u32Range } from "./u32.js";

interface S {
	spi?: Neg<PortRange>;
	reserved?: boolean;
}

export const ipcomp = defineMatch<S>({
	name: "ipcomp",
	options: [
		{
			name: "ipcompspi",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = u32Range(cx, v.args[0]!, "IPComp CPI");
				if (r !== undefined) s.spi = { value: r, neg: v.neg };
			},
		},
		{ name: "compres", arity: 0, apply: (s) => void (s.reserved = true) },
	],
	init: () => ({}),
	finish: (s, cx): IpcompMatch | undefined => {
		if (!requireProto(cx, 108, "ipcomp")) return undefined;
		return { kind: "ipcomp", ...s };
	},
});

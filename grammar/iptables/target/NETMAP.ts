/**
 * -j NETMAP --to ADDR[/LEN] (nat table, any nat chain): maps the network part of the destination
 * (PREROUTING, OUTPUT) or source (POSTROUTING, INPUT) address onto ADDR/LEN and keeps the host
 * bits. Like libxt's XTTYPE_HOSTMASK, host bits of ADDR are cleared and the mask is a length.
 */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget } from "../extension.js";
import { checkPlace } from "./nat.js";
import { isBad, parseAddrMask } from "../values.js";

interface S {
	addr?: bigint;
	len?: number;
}

export const netmap = defineTarget<S>({
	name: "NETMAP",
	options: [
		{
			name: "to",
			arity: 1,
			apply: (s, v, cx) => {
				const text = v.args[0]!.text;
				const slash = text.indexOf("/");
				// A prefix length, base 0 like strtoul (`/010` is /8, `/0x18` /24); no dotted masks.
				if (slash >= 0 && !/^[0-9][0-9a-fA-FxX]{0,9}$/.test(text.slice(slash + 1)))
					return cx.error("invalid_value", `invalid prefix length in "${text}"`, v.args[0]!, `write ADDR/LEN with LEN 0..${cx.fam === 4 ? 32 : 128}`);
				const a = parseAddrMask(text, cx.fam);
				if (isBad(a)) return cx.bad(a, v.args[0]!);
				if (a.prefixLen === undefined) return cx.error("invalid_value", `invalid prefix length in "${text}"`, v.args[0]!);
				s.addr = a.addr;
				s.len = a.prefixLen;
			},
		},
	],
	init: () => ({}),
	finish: (s, cx): Target | undefined => {
		if (s.addr === undefined || s.len === undefined) {
			cx.error("missing_argument", "NETMAP needs --to", cx.nameWord);
			return undefined;
		}
		if (!checkPlace(cx, "NETMAP", "nat", ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"])) return undefined;
		return { kind: "netmap", fam: cx.fam, addr: s.addr, len: s.len };
	},
});

/**
 * -j TCPOPTSTRIP [--strip-options LIST] (mangle, -p tcp): overwrite the listed TCP options with
 * NOPs. LIST holds option kinds 2..255 (base 0 numbers) or the names below; no --strip-options
 * strips nothing (iptables 1.8 accepts it).
 */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget } from "../extension.js";
import { parseUint } from "../values.js";

/** libxt_TCPOPTSTRIP's names. */
export const TCPOPTSTRIP_NAMES: Readonly<Record<string, number>> = {
	wscale: 3,
	mss: 2,
	"sack-permitted": 4,
	sack: 5,
	timestamp: 8,
	md5: 19,
};

interface S {
	options: number[];
}

export const tcpoptstrip = defineTarget<S>({
	name: "TCPOPTSTRIP",
	options: [
		{
			name: "strip-options",
			arity: 1,
			apply: (s, v, cx) => {
				for (const item of v.args[0]!.text.split(",")) {
					const k = TCPOPTSTRIP_NAMES[item] ?? parseUint(item, 255);
					if (k === undefined)
						return cx.error("invalid_value", `bad TCP option "${item}"`, v.args[0]!, `use 2..255 or ${Object.keys(TCPOPTSTRIP_NAMES).join(", ")}`);
					if (k < 2) return cx.error("invalid_value", "TCP option 0 (end of list) or 1 (no-op) cannot be stripped", v.args[0]!);
					if (s.options.includes(k)) return cx.error("invalid_value", `TCP option "${item}" is listed twice`, v.args[0]!);
					s.options.push(k);
				}
			},
		},
	],
	init: () => ({ options: [] }),
	finish: (s, cx): Target | undefined => {
		if (cx.proto !== 6 || cx.protoNeg) {
			cx.error("protocol_required", "TCPOPTSTRIP needs -p tcp", cx.nameWord);
			return undefined;
		}
		if (cx.table !== "mangle") {
			cx.error("target_not_allowed_here", `TCPOPTSTRIP is only valid in the mangle table, not ${cx.table}`, cx.nameWord);
			return undefined;
		}
		return { kind: "tcpoptstrip", options: [...s.options].sort((a, b) => a - b) };
	},
});

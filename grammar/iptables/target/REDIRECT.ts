/** -j REDIRECT [--to-ports p[-q]] [--random]; nat PREROUTING/OUTPUT. */
import type { PortRange, Target } from "../../../compiler/ir/ipt.js";
import { defineTarget, take } from "../extension.js";
import { checkPlace, freezeFlags, needsPortProto, parseNatPorts, type FlagState } from "./nat.js";

interface S extends FlagState {
	ports?: PortRange;
}

export const redirect = defineTarget<S>({
	name: "REDIRECT",
	options: [
		{
			name: "to-ports",
			arity: 1,
			apply: (s, v, cx) => {
				const r = take(cx, parseNatPorts(v.args[0]!.text, false), v.args[0]!);
				if (r) s.ports = r.range;
			},
		},
		{ name: "random", arity: 0, apply: (s) => void (s.flags.random = true) },
	],
	init: () => ({ flags: { random: false, randomFully: false, persistent: false } }),
	finish: (s, cx): Target | undefined => {
		if (s.ports !== undefined && !needsPortProto(cx, "REDIRECT")) return undefined;
		if (!checkPlace(cx, "REDIRECT", "nat", ["PREROUTING", "OUTPUT"])) return undefined;
		return { kind: "redirect", ...(s.ports ? { ports: s.ports } : {}), flags: freezeFlags(s.flags) };
	},
});

/** -j MASQUERADE [--to-ports p[-q]] [--random] [--random-fully]; nat POSTROUTING. */
import type { PortRange, Target } from "../../../compiler/ir/ipt.js";
import { defineTarget, take } from "../extension.js";
import { checkPlace, flagOptions, freezeFlags, needsPortProto, parseNatPorts, type FlagState } from "./nat.js";

interface S extends FlagState {
	ports?: PortRange;
}

export const masquerade = defineTarget<S>({
	name: "MASQUERADE",
	options: [
		{
			name: "to-ports",
			arity: 1,
			apply: (s, v, cx) => {
				const r = take(cx, parseNatPorts(v.args[0]!.text, false), v.args[0]!);
				if (r) s.ports = r.range;
			},
		},
		...flagOptions<S>(false),
	],
	init: () => ({ flags: { random: false, randomFully: false, persistent: false } }),
	finish: (s, cx): Target | undefined => {
		if (s.ports !== undefined && !needsPortProto(cx, "MASQUERADE")) return undefined;
		if (!checkPlace(cx, "MASQUERADE", "nat", ["POSTROUTING"])) return undefined;
		return { kind: "masquerade", ...(s.ports ? { ports: s.ports } : {}), flags: freezeFlags(s.flags) };
	},
});

/** -m physdev: bridge port of a bridged packet (needs br_netfilter). */
import type { Iface, Neg, PhysdevMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch, take } from "../extension.js";
import { parseIface } from "../values.js";

type S = { -readonly [K in keyof Omit<PhysdevMatch, "kind">]?: PhysdevMatch[K] };

const flag = (name: string, key: "isIn" | "isOut" | "isBridged") => ({
	name,
	arity: 0 as const,
	negatable: true,
	apply: (s: S, v: { neg: boolean }) => void (s[key] = { value: true, neg: v.neg }),
});

export const physdev = defineMatch<S>({
	name: "physdev",
	options: [
		{
			name: "physdev-in",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = take(cx, parseIface(v.args[0]!.text), v.args[0]!);
				if (r) s.in = { value: r, neg: v.neg } satisfies Neg<Iface>;
			},
		},
		{
			name: "physdev-out",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = take(cx, parseIface(v.args[0]!.text), v.args[0]!);
				if (r) s.out = { value: r, neg: v.neg };
			},
		},
		flag("physdev-is-in", "isIn"),
		flag("physdev-is-out", "isOut"),
		flag("physdev-is-bridged", "isBridged"),
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (Object.keys(s).length === 0) {
			cx.error("missing_argument", "-m physdev needs at least one --physdev-* option", cx.nameWord);
			return undefined;
		}
		return { kind: "physdev", ...s };
	},
});

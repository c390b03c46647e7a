/** -j NOTRACK (the old spelling of CT --notrack); raw table only. */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget } from "../extension.js";
import { checkPlace } from "./nat.js";

export const notrack = defineTarget<Record<string, never>>({
	name: "NOTRACK",
	options: [],
	init: () => ({}),
	finish: (_s, cx): Target | undefined => {
		if (!checkPlace(cx, "NOTRACK", "raw", ["PREROUTING", "OUTPUT"])) return undefined;
		return { kind: "notrack" };
	},
});

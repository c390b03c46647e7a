/** -j TRACE (xt_TRACE: raw table only): mark the packet for tracing (skb->nf_trace). */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget } from "../extension.js";

export const trace = defineTarget<Record<string, never>>({
	name: "TRACE",
	options: [],
	init: () => ({}),
	finish: (_s, cx): Target | undefined => {
		if (cx.table !== "raw") {
			cx.error("target_not_allowed_here", `TRACE is only valid in the raw table, not ${cx.table}`, cx.nameWord);
			return undefined;
		}
		return { kind: "trace" };
	},
});

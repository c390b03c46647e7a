/** Connection-tracking state lists, shared by -m state and -m conntrack. */
import type { CtStateName } from "../../../compiler/ir/ipt.js";
import { Bad } from "../values.js";

const STATES: ReadonlySet<string> = new Set(["INVALID", "NEW", "ESTABLISHED", "RELATED", "UNTRACKED", "SNAT", "DNAT"]);

export function parseStates(s: string, allowNat: boolean): CtStateName[] | Bad {
	const out: CtStateName[] = [];
	for (const p of s.split(",")) {
		const u = p.toUpperCase();
		if (!STATES.has(u) || (!allowNat && (u === "SNAT" || u === "DNAT")))
			return new Bad("invalid_value", `unknown connection state "${p}"`, `states are ${allowNat ? "INVALID, NEW, ESTABLISHED, RELATED, UNTRACKED, SNAT, DNAT" : "INVALID, NEW, ESTABLISHED, RELATED, UNTRACKED"}`);
		if (!out.includes(u as CtStateName)) out.push(u as CtStateName);
	}
	return out;
}

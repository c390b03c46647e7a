/** -m state: the older spelling of conntrack --ctstate (same kernel semantics). */
import type * as ipt from "../ir/ipt.js";
import type { MatchOut } from "./context.js";
import { lowerCtState } from "./conntrack.js";

export function lowerState(m: ipt.StateMatch): MatchOut {
	return lowerCtState(m.state);
}

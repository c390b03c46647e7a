/** xt_limit: the simulator has no clock; a packet is either within every limit or over it. */
import type { MatchFn } from "../types.js";

export function compileLimit(): MatchFn {
	return (pkt) => !pkt.overLimit;
}

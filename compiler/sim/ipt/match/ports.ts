/** xt_sctp / xt_dccp port tests (chunk and type tests are not modelled: see index.ts). */
import type { DccpMatch, SctpMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function compilePortsOnly(m: SctpMatch | DccpMatch): MatchFn {
	const proto = m.kind === "sctp" ? 132 : 33;
	const sp = m.sport;
	const dp = m.dport;
	return (pkt) => {
		if (pkt.fragOffset !== 0 || pkt.proto !== proto) return false;
		if (sp && (pkt.sport >= sp.value.lo && pkt.sport <= sp.value.hi) === sp.neg) return false;
		if (dp && (pkt.dport >= dp.value.lo && pkt.dport <= dp.value.hi) === dp.neg) return false;
		return true;
	};
}

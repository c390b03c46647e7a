/** xt_dscp (-m dscp, -m tos): the DS field; the TOS byte is dscp << 2 | ecn. */
import type { DscpMatch, TosMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function compileDscp(m: DscpMatch): MatchFn {
	const v = m.dscp.value;
	const neg = m.dscp.neg;
	return (pkt) => (pkt.dscp === v) !== neg;
}

export function compileTos(m: TosMatch): MatchFn {
	const { value, mask } = m.tos.value;
	const neg = m.tos.neg;
	return (pkt) => ((((pkt.dscp << 2) | pkt.ecn) & mask) === value) !== neg;
}

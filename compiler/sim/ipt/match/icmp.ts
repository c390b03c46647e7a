/** icmp / icmpv6: type 255 (`any`) matches every type; non-first fragments never match. */
import type { IcmpMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function compileIcmp(m: IcmpMatch): MatchFn {
	const proto = m.kind === "icmp" ? 1 : 58;
	const spec = m.spec.value;
	const neg = m.spec.neg;
	if (spec === "any") return (pkt) => pkt.fragOffset === 0 && pkt.proto === proto && !neg;
	const { type, codeLo, codeHi } = spec;
	return (pkt) => {
		if (pkt.fragOffset !== 0 || pkt.proto !== proto) return false;
		const hit = pkt.icmpType === type && pkt.icmpCode >= codeLo && pkt.icmpCode <= codeHi;
		return hit !== neg;
	};
}

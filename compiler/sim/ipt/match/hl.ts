/** xt_hl (-m ttl / -m hl): compare the TTL / hop limit. */
import type { HlMatch } from "../../../ir/ipt.js";
import { assertNever } from "../../../ir/span.js";
import type { MatchFn } from "../types.js";

export function compileHl(m: HlMatch): MatchFn {
	const v = m.value;
	switch (m.op) {
		case "eq":
			return (pkt) => pkt.ttl === v;
		case "ne":
			return (pkt) => pkt.ttl !== v;
		case "lt":
			return (pkt) => pkt.ttl < v;
		case "gt":
			return (pkt) => pkt.ttl > v;
		default:
			return assertNever(m.op, "hl op");
	}
}

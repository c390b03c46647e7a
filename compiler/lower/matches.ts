/** Dispatch over every ipt match kind (exhaustive), and the rule comment. */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import { assertNever } from "../ir/span.js";
import { lowerAddrtype } from "./addrtype.js";
import { lowerComment } from "./comment.js";
import { lowerConnmark } from "./connmark.js";
import { lowerConntrack } from "./conntrack.js";
import { one, type MatchOut, type RuleCtx } from "./context.js";
import { lowerIcmp } from "./icmp.js";
import { lowerIprange } from "./iprange.js";
import { lowerLength } from "./length.js";
import { lowerLimit } from "./limit.js";
import { lowerMac } from "./mac.js";
import { lowerMark } from "./mark.js";
import { lowerMultiport } from "./multiport.js";
import { lowerOwner } from "./owner.js";
import { lowerPkttype } from "./pkttype.js";
import { lowerState } from "./state.js";
import { lowerStatistic } from "./statistic.js";
import { lowerTcp } from "./tcp.js";
import { lowerUdp } from "./udp.js";

export function lowerMatch(ctx: RuleCtx, m: ipt.Match): MatchOut {
	switch (m.kind) {
		case "tcp":
			return lowerTcp(m);
		case "udp":
			return lowerUdp(m);
		case "icmp":
		case "icmpv6":
			return lowerIcmp(m);
		case "multiport":
			return lowerMultiport(ctx, m);
		case "conntrack":
			return lowerConntrack(ctx.fam, m);
		case "state":
			return lowerState(m);
		case "addrtype":
			return lowerAddrtype(m);
		case "comment":
			return one(); // becomes the rule's comment (commentOf)
		case "mark":
			return lowerMark(m);
		case "connmark":
			return lowerConnmark(m);
		case "limit":
			return lowerLimit(m);
		case "mac":
			return lowerMac(m);
		case "iprange":
			return lowerIprange(ctx.fam, m);
		case "length":
			return lowerLength(m);
		case "pkttype":
			return lowerPkttype(m);
		case "owner":
			return lowerOwner(ctx, m);
		case "statistic":
			return lowerStatistic(m);
		case "unknown":
			// Normally filtered out before (rule.ts); kept exhaustive and safe.
			ctx.diags.push(diagnostic("unsupported_extension", `match ${m.name} is not translated`, ctx.rule.span));
			return undefined;
		default:
			return assertNever(m, "match");
	}
}

export function commentOf(ctx: RuleCtx): string | undefined {
	const texts = ctx.rule.matches.flatMap((m) => (m.kind === "comment" ? [m.text] : []));
	return texts.length === 0 ? undefined : lowerComment(ctx, texts);
}

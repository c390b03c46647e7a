/** Dispatch over every ipt match kind (exhaustive), and the rule comment. */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import { assertNever } from "../ir/span.js";
import { lowerAddrtype } from "./addrtype.js";
import { lowerComment } from "./comment.js";
import { lowerConnmark } from "./connmark.js";
import { lowerConntrack } from "./conntrack.js";
import { one, type MatchOut, type RuleCtx } from "./context.js";
import { lowerConnlimit } from "./connlimit.js";
import { lowerHashlimit } from "./hashlimit.js";
import { lowerSetMatch } from "./ipset.js";
import { lowerQuota } from "./quota.js";
import { lowerRecent } from "./recent.js";
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
import { lowerCgroup } from "./cgroup.js";
import { lowerCpu } from "./cpu.js";
import { lowerDccp } from "./dccp.js";
import { lowerDevgroup } from "./devgroup.js";
import { lowerDscp } from "./dscp.js";
import { lowerEcn } from "./ecn.js";
import { lowerFrag } from "./frag.js";
import { lowerHelperMatch } from "./helper.js";
import { lowerHl } from "./hl.js";
import { lowerNfacct } from "./nfacct.js";
import { lowerPhysdev } from "./physdev.js";
import { lowerPolicy } from "./policy.js";
import { lowerRealm } from "./realm.js";
import { lowerRpfilter } from "./rpfilter.js";
import { lowerRt } from "./rt.js";
import { lowerSctp } from "./sctp.js";
import { lowerSocket } from "./socket.js";
import { lowerSpi } from "./spi.js";
import { lowerString } from "./string.js";
import { lowerTime } from "./time.js";
import { lowerTos } from "./tos.js";
import { lowerConnbytes } from "./connbytes.js";
import { lowerConnlabel } from "./connlabel.js";
import { lowerCluster } from "./cluster.js";
import { lowerOptsHdr } from "./hbh.js";
import { lowerMh } from "./mh.js";
import { lowerIpcomp } from "./ipcomp.js";
import { lowerTcpmssMatch } from "./tcpmss-match.js";
import { lowerIpv6header } from "./ipv6header.js";
import { lowerU32 } from "./u32.js";

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
		case "hl":
			return lowerHl(ctx, m);
		case "rt":
			return lowerRt(ctx, m);
		case "frag":
			return lowerFrag(ctx, m);
		case "ah":
		case "esp":
			return lowerSpi(ctx, m);
		case "hbh":
		case "dst":
			return lowerOptsHdr(ctx, m);
		case "mh":
			return lowerMh(m);
		case "ipcomp":
			return lowerIpcomp(m);
		case "tcpmss":
			return lowerTcpmssMatch(m);
		case "ipv6header":
			return lowerIpv6header(ctx, m);
		case "sctp":
			return lowerSctp(ctx, m);
		case "dccp":
			return lowerDccp(ctx, m);
		case "dscp":
			return lowerDscp(ctx, m);
		case "tos":
			return lowerTos(ctx, m);
		case "ecn":
			return lowerEcn(ctx, m);
		case "rpfilter":
			return lowerRpfilter(ctx, m);
		case "physdev":
			return lowerPhysdev(ctx, m);
		case "policy":
			return lowerPolicy(ctx, m);
		case "time":
			return lowerTime(ctx, m);
		case "string":
			return lowerString(ctx, m);
		case "helper":
			return lowerHelperMatch(ctx, m);
		case "devgroup":
			return lowerDevgroup(m);
		case "realm":
			return lowerRealm(m);
		case "cpu":
			return lowerCpu(m);
		case "cgroup":
			return lowerCgroup(ctx, m);
		case "nfacct":
			return lowerNfacct(ctx, m);
		case "socket":
			return lowerSocket(ctx, m);
		case "recent":
			return lowerRecent(ctx, m);
		case "connlimit":
			return lowerConnlimit(ctx, m);
		case "hashlimit":
			return lowerHashlimit(ctx, m);
		case "quota":
			return lowerQuota(m);
		case "set":
			return lowerSetMatch(ctx, m);
		case "connbytes":
			return lowerConnbytes(m);
		case "connlabel":
			return lowerConnlabel(ctx, m);
		case "cluster":
			return lowerCluster(ctx, m);
		case "u32":
			return lowerU32(ctx, m);
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

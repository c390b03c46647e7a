/** One compile function per match extension; the switch is the registry. */
import type { Match } from "../../../ir/ipt.js";
import { assertNever } from "../../../ir/span.js";
import type { Compiled, CompileEnv } from "../types.js";
import { compileAddrtype } from "./addrtype.js";
import { compileComment } from "./comment.js";
import { compileConnmark } from "./connmark.js";
import { compileConntrack, compileState } from "./conntrack.js";
import { compileIcmp } from "./icmp.js";
import { compileIprange } from "./iprange.js";
import { compileLength } from "./length.js";
import { compileLimit } from "./limit.js";
import { compileMac } from "./mac.js";
import { compileMark } from "./mark.js";
import { compileMultiport } from "./multiport.js";
import { compileOwner } from "./owner.js";
import { compilePkttype } from "./pkttype.js";
import { compileStatistic } from "./statistic.js";
import { compileTcp } from "./tcp.js";
import { compileHl } from "./hl.js";
import { compileDscp, compileTos } from "./dscp.js";
import { compileEcn } from "./ecn.js";
import { compilePortsOnly } from "./ports.js";
import { compileUdp } from "./udp.js";
import { compileSpi } from "./spi.js";
import { compileRt } from "./rt.js";
import { compileFrag } from "./frag.js";
import { compileDccp } from "./dccp.js";
import { compileCgroup, compileCpu, compileDevgroup, compileRealm } from "./devices.js";
import { compileHelper } from "./helper.js";
import { compileU32 } from "./u32.js";
import { compilePolicy } from "./policy.js";
import { compileTime } from "./time.js";
import { compileRecent } from "./recent.js";
import { compileRpfilter } from "./rpfilter.js";
import { compileSocket } from "./socket.js";
import { compileOptsHdr } from "./hbh.js";
import { compileMh } from "./mh.js";
import { compileIpcomp } from "./ipcomp.js";
import { compileTcpmss } from "./tcpmss.js";
import { compileIpv6header } from "./ipv6header.js";
import { compileConnbytes } from "./connbytes.js";
import { compileConnlabel } from "./connlabel.js";
import { compileCluster } from "./cluster.js";

function unsupported(what: string): Compiled {
	return { unsupported: `match \`${what}\` is not supported by the simulator` };
}

export function compileMatch(m: Match, env: CompileEnv): Compiled {
	switch (m.kind) {
		case "tcp":
			return compileTcp(m);
		case "udp":
			return compileUdp(m);
		case "icmp":
		case "icmpv6":
			return compileIcmp(m);
		case "multiport":
			return compileMultiport(m);
		case "conntrack":
			return compileConntrack(m);
		case "state":
			return compileState(m);
		case "addrtype":
			return compileAddrtype(m, env.fam);
		case "comment":
			return compileComment();
		case "mark":
			return compileMark(m);
		case "connmark":
			return compileConnmark(m);
		case "limit":
			return compileLimit();
		case "mac":
			return compileMac(m);
		case "iprange":
			return compileIprange(m);
		case "length":
			return compileLength(m);
		case "pkttype":
			return compilePkttype(m);
		case "owner":
			return compileOwner(m);
		case "statistic":
			return compileStatistic(m);
		case "hl":
			return compileHl(m);
		case "dscp":
			return compileDscp(m);
		case "tos":
			return compileTos(m);
		case "ecn":
			return compileEcn(m);
		case "nfacct":
			return compileComment();
		case "sctp":
			return m.chunks ? unsupported("sctp --chunk-types") : compilePortsOnly(m);
		case "dccp":
			return compileDccp(m);
		case "hbh":
		case "dst":
			return compileOptsHdr(m);
		case "mh":
			return compileMh(m);
		case "ipcomp":
			return compileIpcomp(m);
		case "tcpmss":
			return compileTcpmss(m);
		case "ipv6header":
			return compileIpv6header(m);
		case "rt":
			return compileRt(m);
		case "frag":
			return compileFrag(m);
		case "ah":
		case "esp":
			return compileSpi(m);
		case "helper":
			return compileHelper(m);
		case "devgroup":
			return compileDevgroup(m);
		case "realm":
			return compileRealm(m);
		case "cpu":
			return compileCpu(m);
		case "cgroup":
			return compileCgroup(m);
		case "policy":
			return compilePolicy(m);
		case "time":
			return compileTime(m);
		case "recent":
			return compileRecent(m, env.fam);
		case "connlimit": {
			// xt_connlimit: connections in the list of the packet's masked address (this one
			// included) above the limit; --connlimit-upto is the inversion.
			const { limit, above } = m;
			return (pkt) => ((pkt.connCount ?? 1) > limit) === above;
		}
		case "rpfilter":
			return compileRpfilter(m, env.fam);
		case "socket":
			return compileSocket(m);
		// The packet model has no payload bytes, bridge ports or ipset contents: refuse rather than guess.
		case "physdev":
		case "string":
		case "set":
			return unsupported(`-m ${m.kind}`);
		// Rate and quota state is one switch on the packet (overLimit), like limit.
		case "hashlimit":
			return m.above ? (pkt) => pkt.overLimit : (pkt) => !pkt.overLimit;
		case "quota": {
			const neg = m.neg;
			return (pkt) => !pkt.overLimit !== neg;
		}
		case "connbytes":
			return compileConnbytes(m);
		case "connlabel":
			return compileConnlabel(m);
		case "cluster":
			return compileCluster(m);
		case "u32":
			return compileU32(m);
		case "unknown":
			return unsupported(`-m ${m.name}`);
		default:
			return assertNever(m, "match");
	}
}

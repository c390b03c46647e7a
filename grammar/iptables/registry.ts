/**
 * Every extension ipt2nft understands: one line each. Names not listed here are kept as
 * `{ kind: "unknown" }` and reported as unsupported_extension.
 */
import type { Match, Target } from "../../compiler/ir/ipt.js";
import type { Extension } from "./extension.js";
import { addrtype } from "./ext/addrtype.js";
import { comment } from "./ext/comment.js";
import { connmarkMatch } from "./ext/connmark.js";
import { conntrack } from "./ext/conntrack.js";
import { icmp } from "./ext/icmp.js";
import { icmp6 } from "./ext/icmp6.js";
import { iprange } from "./ext/iprange.js";
import { length } from "./ext/length.js";
import { limit } from "./ext/limit.js";
import { mac } from "./ext/mac.js";
import { markMatch } from "./ext/mark.js";
import { multiport } from "./ext/multiport.js";
import { owner } from "./ext/owner.js";
import { pkttype } from "./ext/pkttype.js";
import { state } from "./ext/state.js";
import { statistic } from "./ext/statistic.js";
import { tcp } from "./ext/tcp.js";
import { udp } from "./ext/udp.js";
import { connmarkTarget } from "./target/CONNMARK.js";
import { ct } from "./target/CT.js";
import { dnat } from "./target/DNAT.js";
import { log } from "./target/LOG.js";
import { markTarget } from "./target/MARK.js";
import { masquerade } from "./target/MASQUERADE.js";
import { nflog } from "./target/NFLOG.js";
import { nfqueue } from "./target/NFQUEUE.js";
import { notrack } from "./target/NOTRACK.js";
import { redirect } from "./target/REDIRECT.js";
import { reject } from "./target/REJECT.js";
import { snat } from "./target/SNAT.js";
import { tcpmss } from "./target/TCPMSS.js";
// hl … socket and their targets (one import per extension)
import { ah, esp } from "./ext/spi.js";
import { cgroup } from "./ext/cgroup.js";
import { cpu } from "./ext/cpu.js";
import { dccp } from "./ext/dccp.js";
import { devgroup } from "./ext/devgroup.js";
import { dscp } from "./ext/dscp.js";
import { ecn } from "./ext/ecn.js";
import { frag } from "./ext/frag.js";
import { helper } from "./ext/helper.js";
import { hl, ttl } from "./ext/hl.js";
import { nfacct } from "./ext/nfacct.js";
import { physdev } from "./ext/physdev.js";
import { policy } from "./ext/policy.js";
import { realm } from "./ext/realm.js";
import { rpfilter } from "./ext/rpfilter.js";
import { rt } from "./ext/rt.js";
import { sctp } from "./ext/sctp.js";
import { socket } from "./ext/socket.js";
import { stringMatch } from "./ext/string.js";
import { time } from "./ext/time.js";
import { tos } from "./ext/tos.js";
import { audit } from "./target/AUDIT.js";
import { checksum } from "./target/CHECKSUM.js";
import { classify } from "./target/CLASSIFY.js";
import { dscpTarget } from "./target/DSCP.js";
import { hlTarget, ttlTarget } from "./target/HL.js";
import { tosTarget } from "./target/TOS.js";
import { tproxy } from "./target/TPROXY.js";
import { connlimit } from "./ext/connlimit.js";
import { hashlimit } from "./ext/hashlimit.js";
import { quota } from "./ext/quota.js";
import { recent } from "./ext/recent.js";
import { setMatch } from "./ext/set.js";
import { setTarget } from "./target/SET.js";
import { synproxy } from "./target/SYNPROXY.js";
import { connsecmark } from "./target/CONNSECMARK.js";
import { hmark } from "./target/HMARK.js";
import { netmap } from "./target/NETMAP.js";
import { secmark } from "./target/SECMARK.js";
import { tcpoptstrip } from "./target/TCPOPTSTRIP.js";
import { tee } from "./target/TEE.js";
import { trace } from "./target/TRACE.js";
import { hbh } from "./ext/hbh.js";
import { dst } from "./ext/dst.js";
import { mh } from "./ext/mh.js";
import { ipcomp } from "./ext/ipcomp.js";
import { tcpmssMatch } from "./ext/tcpmss.js";
import { ipv6header } from "./ext/ipv6header.js";
import { connbytes } from "./ext/connbytes.js";
import { connlabel } from "./ext/connlabel.js";
import { cluster } from "./ext/cluster.js";
import { u32Match } from "./ext/u32match.js";

const MATCHES: readonly Extension<Match>[] = [
	addrtype, comment, connmarkMatch, conntrack, icmp, icmp6, iprange, length, limit, mac, markMatch,
	multiport, owner, pkttype, state, statistic, tcp, udp,
	hl, ttl, rt, frag, ah, esp, sctp, dccp, dscp, tos, ecn, rpfilter, physdev, policy, time, stringMatch,
	helper, devgroup, realm, cpu, cgroup, nfacct, socket,
	recent, connlimit, hashlimit, quota, setMatch,
	hbh, dst, mh, ipcomp, tcpmssMatch, ipv6header,
	connbytes, connlabel, cluster, u32Match,
];

const TARGETS: readonly Extension<Target>[] = [
	connmarkTarget, ct, dnat, log, markTarget, masquerade, nflog, nfqueue, notrack, redirect, reject,
	snat, tcpmss,
	hlTarget, ttlTarget, checksum, dscpTarget, tosTarget, tproxy, classify, audit,
	setTarget, synproxy,
	netmap, tcpoptstrip, hmark, secmark, connsecmark,
	tee, trace,
];

function index<R>(exts: readonly Extension<R>[]): ReadonlyMap<string, Extension<R>> {
	const m = new Map<string, Extension<R>>();
	for (const e of exts) for (const n of e.names) m.set(n, e);
	return m;
}

export const matchRegistry: ReadonlyMap<string, Extension<Match>> = index(MATCHES);
export const targetRegistry: ReadonlyMap<string, Extension<Target>> = index(TARGETS);

/** Every option name of every known match, mapped to the matches that own it (for hints). */
export const matchOptionOwners: ReadonlyMap<string, readonly string[]> = (() => {
	const m = new Map<string, string[]>();
	for (const e of MATCHES)
		for (const [opt] of e.lookup) {
			const l = m.get(opt) ?? [];
			if (!l.includes(e.name)) l.push(e.name);
			m.set(opt, l);
		}
	return m;
})();

/**
 * Upstream target extensions ipt2nft does not translate yet. `-j NAME` with one of these names
 * (and no chain of that name) is an unknown target, not a jump to a missing chain.
 */
export const KNOWN_UNSUPPORTED_TARGETS: ReadonlySet<string> = new Set([
	"AUDIT", "CHECKSUM", "CLASSIFY", "CLUSTERIP", "CONNSECMARK", "DNPT", "DSCP", "ECN", "HL", "HMARK",
	"IDLETIMER", "LED", "MIRROR", "NETMAP", "RATEEST", "SAME", "SECMARK", "SET", "SNPT", "SYNPROXY",
	"TCPOPTSTRIP", "TEE", "TOS", "TPROXY", "TRACE", "TTL", "ULOG", "IPV4OPTSSTRIP", "ROUTE", "XOR",
	"TARPIT", "DELUDE", "CHAOS", "STEAL", "SYSRQ", "ACCOUNT", "LOGMARK", "IMQ", "NOTRACK", "CT",
]);

/** The match iptables loads by itself for `-p NAME` when an unknown option follows. */
export function protocolMatchName(proto: number, fam: 4 | 6): string | undefined {
	switch (proto) {
		case 6:
			return "tcp";
		case 17:
			return "udp";
		case 1:
			return fam === 4 ? "icmp" : undefined;
		case 58:
			return fam === 6 ? "icmp6" : undefined;
		case 132:
			return "sctp";
		case 33:
			return "dccp";
		case 50:
			return "esp";
		case 51:
			return "ah";
		case 135:
			return fam === 6 ? "mh" : undefined;
		case 108:
			return "ipcomp";
		default:
			return undefined;
	}
}

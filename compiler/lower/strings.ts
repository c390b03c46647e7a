/**
 * Strings that travel from the input into nft text. nft 1.0.6 quoted strings have no escape for
 * `"` and expand `$name` variables even inside quotes (verified with `nft -c`), so those two can
 * never be written; control characters are accepted by nft but would break the line structure of
 * the output, so they are refused too. Chain names cannot be quoted at all in nft 1.0.6.
 */

/** Characters that cannot appear inside an nft quoted string without changing its meaning. */
export function unsafeChars(s: string): string[] {
	const bad = new Set<string>();
	for (const ch of s) {
		const c = ch.codePointAt(0) ?? 0;
		if (ch === '"' || ch === "$" || c < 0x20 || c === 0x7f) bad.add(ch);
	}
	return [...bad];
}

export function describeChars(chars: readonly string[]): string {
	return chars.map((c) => JSON.stringify(c)).join(", ");
}

/** UTF-8 byte length (nft limits comments to 128 bytes). */
export function utf8Length(s: string): number {
	return Buffer.byteLength(s, "utf8");
}

export const MAX_COMMENT_BYTES = 128;

/**
 * A comment has no effect on packets, so instead of refusing the rule its unsafe characters are
 * replaced deterministically (`"` -> `'`, `$` -> `S`, control characters -> space) and it is cut
 * to 128 bytes on a character boundary. Returns the text and whether it changed.
 */
export function sanitizeComment(s: string): { readonly text: string; readonly changed: boolean } {
	// Fast path (the common case): nothing to replace and surely within 128 bytes.
	// eslint-disable-next-line no-control-regex
	if (!/["$\x00-\x1f\x7f]/.test(s) && (s.length <= 42 || utf8Length(s) <= MAX_COMMENT_BYTES)) return { text: s, changed: false };
	let out = "";
	for (const ch of s) {
		const c = ch.codePointAt(0) ?? 0;
		if (ch === '"') out += "'";
		else if (ch === "$") out += "S";
		else if (c < 0x20 || c === 0x7f) out += " ";
		else out += ch;
	}
	if (utf8Length(out) > MAX_COMMENT_BYTES) {
		let cut = "";
		for (const ch of out) {
			if (utf8Length(cut + ch) > MAX_COMMENT_BYTES) break;
			cut += ch;
		}
		out = cut;
	}
	return { text: out, changed: out !== s };
}

/** Interface names: additionally no backslash (it is nft's wildcard escape). */
export function unsafeIfaceChars(s: string): string[] {
	const bad = unsafeChars(s);
	if (s.includes("\\")) bad.push("\\");
	return bad;
}

/** What nft's scanner reads as one identifier: ({letter}|[_.])({letter}|{digit}|[/\-_.])*. */
const IDENT = /^[A-Za-z_.][A-Za-z0-9_./-]*$/;

/**
 * Words nft's scanner turns into keywords (collected from nftables' scanner.l, all start
 * conditions, so the list is conservative). Keywords are lowercase; a name with any uppercase
 * letter can never collide.
 */
const KEYWORDS = new Set(
	(
		"eq ne le lt ge gt lshift rshift xor and or not vmap include define redefine undefine describe " +
		"chains sets tables rules trace hook device devices table chain rule set element map flowtable " +
		"handle ruleset socket transparent wildcard cgroupv2 level tproxy accept drop continue jump goto " +
		"return to inet netdev add replace update create insert delete get list reset flush rename import " +
		"export monitor destroy position index comment constant interval dynamic auto-merge timeout " +
		"gc-interval elements expires policy size performance memory flow offload meter meters flowtables " +
		"limits maps secmarks synproxys tunnel tunnels hooks counter name packets bytes last never counters " +
		"quotas log prefix snaplen queue-threshold group queue num bypass fanout limit rate burst second " +
		"minute week over quota until used hour day reject with icmpx snat dnat masquerade redirect random " +
		"fully-random persistent port ll nh th bridge ether saddr daddr type typeof vlan id cfi dei pcp " +
		"8021ad 8021q arp htype ptype hlen plen operation ip version hdrlength dscp ecn length frag-off ttl " +
		"protocol checksum lsrr rr ssrr ra ptr value option options ackseq doff window urgptr echo eol maxseg " +
		"mss nop noop sack sack0 sack1 sack2 sack3 sack-permitted sack-perm timestamp fastopen mptcp md5sig " +
		"left right count tsval tsecr subtype time icmp icmpv6 gateway code param-problem max-delay mtu taddr " +
		"sequence igmp mrt ip6 priority flowlabel hoplimit nexthdr ah reserved spi esp comp cpi flags udp " +
		"udplite csumcov sport dport vxlan vni geneve gre gretap tcp dccp sctp chunk vtag data init init-ack " +
		"heartbeat heartbeat-ack abort shutdown shutdown-ack error cookie-echo cookie-ack ecne cwr " +
		"shutdown-complete asconf-ack forward-tsn asconf tsn stream ssn ppid init-tag a-rwnd rt rt0 rt2 srh " +
		"addr hbh frag reserved2 more-fragments dst mh meta mark iif iifname iiftype oif oifname oiftype " +
		"skuid skgid nftrace rtclassid ibriport ibrname obriport obrname pkttype cpu iifgroup oifgroup cgroup " +
		"nexthop seg-left last-entry tag sid classid ct avgpkt l3proto proto-src proto-dst zone original " +
		"reply direction event expectation expiration helper helpers label state status numgen inc jhash " +
		"symhash seed mod offset dup fwd fib check osf synproxy wscale notrack all xml json vm exists missing " +
		"exthdr ipsec reqid spnum in out secmark xt filter nat route input output forward prerouting " +
		"postrouting ingress egress"
	).split(" "),
);

/** Can nft 1.0.6 read this chain name unquoted, as an identifier and not as a keyword? */
export function isSafeChainName(name: string): boolean {
	return IDENT.test(name) && !KEYWORDS.has(name) && !/^[0-9]/.test(name);
}

/** A deterministic spelling nft accepts; callers make it unique. */
export function safeChainName(name: string): string {
	let s = name.replace(/[^A-Za-z0-9_./-]/g, "_");
	if (!/^[A-Za-z_.]/.test(s)) s = `_${s}`;
	if (KEYWORDS.has(s)) s = `_${s}`;
	return s;
}

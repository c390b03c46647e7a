/**
 * -m hbh / -m dst -> `hbh hdrlength N` / `dst hdrlength N`, `exthdr hbh exists`. ip6t_hbh and
 * nft's exthdr find the header with the same ipv6_find_hdr(); no header means no match, negated
 * or not. ip6t_hbh compares --hbh-len with the header length in BYTES, (Hdr Ext Len + 1) * 8,
 * while nft reads the raw field: upstream's `--hbh-len 22` -> `hbh hdrlength 22` is wrong (22 is
 * no multiple of 8, so the rule never matches; `hbh hdrlength 1` is --hbh-len 16).
 * --hbh-opts walks the header's options in order: nft 1.0.6 has no expression for that.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { NEVER, negOp, one, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerOptsHdr(ctx: RuleCtx, m: ipt.OptsHdrMatch): MatchOut {
	if (m.opts !== undefined)
		return refuse(
			ctx,
			"inexpressible",
			`ip6tables -m ${m.kind} --${m.kind}-opts cannot be expressed in nft 1.0.6 (no expression reads the options inside an extension header)`,
			`keep only --${m.kind}-len (\`${m.kind} hdrlength\`), or match the whole header with \`exthdr ${m.kind} exists\``,
		);
	const exists: nft.Cond = { kind: "exists", left: { kind: "exthdr", hdr: m.kind }, present: true };
	if (m.len === undefined) return one(exists);
	const n = m.len.value;
	const raw = n / 8 - 1;
	// A length the header can never have: no packet matches, or (negated) every packet with the header.
	if (n % 8 !== 0 || raw < 0 || raw > 255) return m.len.neg ? one(exists) : NEVER;
	return one(nft.rel({ kind: "exthdr", hdr: m.kind, field: "hdrlength" }, negOp(m.len.neg), nft.num(raw)));
}

/**
 * -m connlabel -> `ct label N` / `ct label set N`. xt_connlabel without a conntrack entry returns
 * the inversion (`! --label N` matches invalid and untracked packets), while nft's `ct label`
 * BREAKs there; so a negated match becomes two exclusive rules: `ct state invalid,untracked` and
 * the label test. With --set the bit is set (nft ORs the value into the labels, like
 * test_and_set_bit) and the match is then true, or false when inverted.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { one, type MatchOut, type RuleCtx } from "./context.js";

const LABEL: nft.Selector = { kind: "ct", key: "label" };

export function lowerConnlabel(ctx: RuleCtx, m: ipt.ConnlabelMatch): MatchOut {
	const mask = 1n << BigInt(m.bit);
	// xt_connlabel's checkentry makes the kernel keep label storage on new connections
	// (nf_connlabels_get); nft does so only for `ct label set`, not for a `ct label` test.
	if (!m.set)
		ctx.diags.push(
			diagnostic(
				"assumed_host_state",
				"connlabel: unless some nft rule sets labels (`ct label set`), the kernel keeps no label storage for nft, so labels written from user space (conntrack -U --label-add, conntrackd) are refused where xt_connlabel's rule would keep them",
				ctx.rule.span,
				"translated as if labels are only set by rules of this ruleset",
			),
		);
	const set: nft.Cond[] = m.set ? [{ kind: "side-set", key: "ct label", value: mask }] : [];
	if (!m.neg) return one(...set, nft.rel(LABEL, "==", { kind: "flags", bits: mask }));
	const noEntry = nft.rel({ kind: "ct", key: "state" }, "==", { kind: "flags", bits: nft.CT_STATE_BITS.invalid | nft.CT_STATE_BITS.untracked });
	return [[noEntry], [...set, nft.rel({ kind: "and", expr: LABEL, mask }, "!=", nft.num(mask))]];
}

/**
 * -m owner -> meta skuid / skgid. Both read the socket's file credentials and end the rule when
 * the packet has no (full) socket, which is also what xt_owner does for non-negated options.
 * xt_owner matches a socket-less packet when *every* given option is negated; nft cannot test
 * "no socket" in an output chain, so negated options are reported as a lossy translation.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, rangeValue, type MatchOut, type RuleCtx } from "./context.js";

export function lowerOwner(ctx: RuleCtx, m: ipt.OwnerMatch): MatchOut {
	const conds: nft.Cond[] = [];
	if (m.suppGroups === true) {
		ctx.diags.push(
			diagnostic(
				"unsupported_option",
				"owner --suppl-groups has no nft equivalent (meta skgid reads only the primary group)",
				ctx.rule.span,
			),
		);
		return undefined;
	}
	if (m.socketExists !== undefined) {
		if (m.socketExists.neg) {
			ctx.diags.push(
				diagnostic("unsupported_option", "owner ! --socket-exists cannot be expressed in nft", ctx.rule.span),
			);
			return undefined;
		}
		// Any uid at all: true exactly when the packet has a socket with credentials.
		conds.push(nft.rel(nft.meta("skuid"), "==", nft.range(0, 0xffffffff)));
	}
	for (const [key, r] of [
		["skuid", m.uid],
		["skgid", m.gid],
	] as const) {
		if (r === undefined) continue;
		conds.push(nft.rel(nft.meta(key), negOp(r.neg), rangeValue(r.value)));
	}
	const negated = [m.uid, m.gid].filter((x) => x !== undefined);
	if (negated.length > 0 && negated.every((x) => x.neg) && m.socketExists === undefined) {
		ctx.diags.push(
			diagnostic(
				"lossy_translation",
				"negated owner match: iptables also matches packets without a socket, nft does not",
				ctx.rule.span,
				"such packets are rare in OUTPUT (kernel-generated replies such as TCP resets)",
			),
		);
	}
	return one(...conds);
}

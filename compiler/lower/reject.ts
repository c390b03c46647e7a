/** REJECT: the ICMP/ICMPv6 code is always spelled out (nft's bare `reject` is family dependent). */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import { ruleProto, type RuleCtx } from "./context.js";

const WITH: Readonly<Record<ipt.RejectWith, nft.RejectWith>> = {
	"icmp-net-unreachable": { kind: "icmp", code: 0 },
	"icmp-host-unreachable": { kind: "icmp", code: 1 },
	"icmp-proto-unreachable": { kind: "icmp", code: 2 },
	"icmp-port-unreachable": { kind: "icmp", code: 3 },
	"icmp-net-prohibited": { kind: "icmp", code: 9 },
	"icmp-host-prohibited": { kind: "icmp", code: 10 },
	"icmp-admin-prohibited": { kind: "icmp", code: 13 },
	"tcp-reset": { kind: "tcp-reset" },
	"icmp6-no-route": { kind: "icmpv6", code: 0 },
	"icmp6-adm-prohibited": { kind: "icmpv6", code: 1 },
	"icmp6-addr-unreachable": { kind: "icmpv6", code: 3 },
	"icmp6-port-unreachable": { kind: "icmpv6", code: 4 },
	"icmp6-policy-fail": { kind: "icmpv6", code: 5 },
	"icmp6-reject-route": { kind: "icmpv6", code: 6 },
};

export function lowerReject(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "reject" }>): nft.Stmt[] | undefined {
	const w = WITH[t.with];
	if ((w.kind === "icmp" && ctx.fam === 6) || (w.kind === "icmpv6" && ctx.fam === 4)) {
		ctx.diags.push(diagnostic("family_mismatch", `--reject-with ${t.with} is not valid for IPv${ctx.fam}`, ctx.rule.span));
		return undefined;
	}
	if (w.kind === "tcp-reset" && ruleProto(ctx.rule) !== 6) {
		ctx.diags.push(diagnostic("protocol_required", "--reject-with tcp-reset needs `-p tcp`", ctx.rule.span));
		return undefined;
	}
	return [{ kind: "reject", with: w }];
}

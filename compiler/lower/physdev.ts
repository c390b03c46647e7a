/**
 * -m physdev: the bridge port of a packet that br_netfilter passes to the ip/ip6 hooks. nft has
 * no such expression in the ip/ip6/inet families (`meta ibrname` etc. exist only in bridge
 * tables, and `meta ibrport`-style keys are refused by the kernel here), so every option is
 * refused; the hint says how to filter bridged traffic in nft.
 */
import type * as ipt from "../ir/ipt.js";
import type { MatchOut, RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerPhysdev(ctx: RuleCtx, _m: ipt.PhysdevMatch): MatchOut {
	return refuse(
		ctx,
		"inexpressible",
		"-m physdev has no nft equivalent in ip/ip6 tables (bridge ports are visible only in bridge-family tables)",
		"filter bridged traffic in a `table bridge` with `meta ibrname` / `iifname`, and disable br_netfilter's call-iptables",
	);
}

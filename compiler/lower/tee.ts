/**
 * -j TEE --gateway ADDR [--oif DEV] -> `dup to ADDR [device "DEV"]`. xt_TEE and nft_dup_ipv4/6
 * call the same nf_dup_ipv4/6 (copy, untrack, DF and TTL-1 in prerouting/input, route to the
 * gateway as a known next hop, no second copy while the first is sent), so the copy and the
 * packet's own way are the same. Without --oif both route freely (oif 0 / -1). With it, nft
 * resolves DEV to an interface index when the ruleset is LOADED (it refuses a missing device),
 * while xt_TEE follows DEV by name as it comes and goes: reported as assumed host state.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";
import { describeChars, unsafeIfaceChars } from "./strings.js";

export function lowerTee(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "tee" }>): nft.Stmt[] | undefined {
	const fam = t.fam === 4 ? "ip" : "ip6";
	if (t.oif === undefined) return [{ kind: "dup", fam, addr: t.gateway }];
	// `*` would read as nft's interface wildcard; the others cannot be written in a quoted string.
	const bad = [...unsafeIfaceChars(t.oif), ...(t.oif.includes("*") ? ["*"] : [])];
	if (bad.length > 0) return refuse(ctx, "unsafe_string", `TEE --oif "${t.oif}" contains ${describeChars(bad)}, which cannot be written as an nft device name`);
	ctx.diags.push(
		diagnostic(
			"assumed_host_state",
			`\`dup … device "${t.oif}"\` loads only where ${t.oif} exists: nft looks the device up when the ruleset is loaded, xt_TEE when each packet is copied`,
			ctx.rule.span,
		),
	);
	return [{ kind: "dup", fam, addr: t.gateway, device: t.oif }];
}

/**
 * DNAT / SNAT / MASQUERADE / REDIRECT. A port range needs a transport protocol in the rule:
 * nft refuses `dnat to 1.2.3.4:80` unless a preceding expression fixes the protocol, so rule.ts
 * keeps the rule's `-p` (iptables-restore-translate drops it for `-p tcp -m tcp`).
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import { ruleProto, transportName, type RuleCtx } from "./context.js";

type NatTarget = Extract<ipt.Target, { kind: "dnat" | "snat" | "masquerade" | "redirect" }>;

function flagList(f: ipt.NatFlags): nft.NatFlag[] {
	const out: nft.NatFlag[] = [];
	if (f.random) out.push("random");
	if (f.randomFully) out.push("fully-random");
	if (f.persistent) out.push("persistent");
	return out;
}

export function lowerNat(ctx: RuleCtx, t: NatTarget): nft.Stmt[] | undefined {
	let to: nft.NatTarget | undefined;
	let hasPorts = false;
	if (t.kind === "dnat" || t.kind === "snat") {
		const r = t.range;
		if (r.addrLo === undefined) {
			ctx.diags.push(
				diagnostic("unsupported_option", `${t.kind.toUpperCase()} without an address cannot be written in nft`, ctx.rule.span),
			);
			return undefined;
		}
		if (r.portBase !== undefined) {
			ctx.diags.push(
				diagnostic("unsupported_option", "a shifted port range (`:lo-hi/base`) has no nft 1.0.6 spelling", ctx.rule.span),
			);
			return undefined;
		}
		hasPorts = r.portLo !== undefined;
		to = {
			kind: "range",
			addrLo: r.addrLo,
			...(r.addrHi !== undefined && r.addrHi !== r.addrLo ? { addrHi: r.addrHi } : {}),
			...(r.portLo !== undefined ? { portLo: BigInt(r.portLo) } : {}),
			...(r.portHi !== undefined && r.portHi !== r.portLo ? { portHi: BigInt(r.portHi) } : {}),
		};
	} else if (t.ports !== undefined) {
		hasPorts = true;
		to = {
			kind: "range",
			portLo: BigInt(t.ports.lo),
			...(t.ports.hi !== t.ports.lo ? { portHi: BigInt(t.ports.hi) } : {}),
		};
	}
	if (hasPorts) {
		const p = ruleProto(ctx.rule);
		if (p === undefined || transportName(p) === undefined) {
			ctx.diags.push(
				diagnostic("protocol_required", "a NAT port range needs `-p tcp`, `-p udp`, `-p sctp` or `-p dccp`", ctx.rule.span),
			);
			return undefined;
		}
	}
	return [
		{
			kind: "nat",
			type: t.kind,
			...(t.kind === "dnat" || t.kind === "snat" ? { fam: t.fam === 4 ? ("ip" as const) : ("ip6" as const) } : {}),
			...(to !== undefined ? { to } : {}),
			flags: flagList(t.flags),
		},
	];
}

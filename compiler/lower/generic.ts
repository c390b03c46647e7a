/** -i / -o / -s / -d / -f: the matches every iptables rule has (the protocol is placed in rule.ts). */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { addrMaskCond, addrSelector, describeChars, NEVER, negOp, one, unsafeIfaceChars, type MatchOut, type RuleCtx } from "./context.js";

export function lowerGeneric(ctx: RuleCtx): MatchOut {
	const { rule } = ctx;
	const conds: nft.Cond[] = [];
	for (const [key, iface] of [
		["iifname", rule.iif],
		["oifname", rule.oif],
	] as const) {
		if (iface === undefined) continue;
		const c = ifaceCond(ctx, key, iface);
		if (c === "fail") return undefined;
		if (c === "never") return NEVER;
		if (c !== "always") conds.push(c);
	}
	if (rule.src !== undefined) {
		const c = addrMaskCond(addrSelector(ctx.fam, "saddr"), rule.src.value, rule.src.neg);
		if (c !== undefined) conds.push(c);
	}
	if (rule.dst !== undefined) {
		const c = addrMaskCond(addrSelector(ctx.fam, "daddr"), rule.dst.value, rule.dst.neg);
		if (c !== undefined) conds.push(c);
	}
	if (rule.fragment !== undefined) {
		// Second and later fragments: fragment offset (low 13 bits of frag-off) non-zero.
		const off: nft.Expr = { kind: "and", expr: nft.payload("ip frag-off"), mask: 0x1fffn };
		conds.push(nft.rel(off, rule.fragment.neg ? "==" : "!=", nft.num(0)));
	}
	return one(...conds);
}

function ifaceCond(
	ctx: RuleCtx,
	key: "iifname" | "oifname",
	iface: ipt.Neg<ipt.Iface>,
): nft.Cond | "always" | "never" | "fail" {
	const { name, wildcard } = iface.value;
	const bad = unsafeIfaceChars(name);
	if (bad.length > 0) {
		ctx.diags.push(
			diagnostic(
				"unsafe_string",
				`interface name ${JSON.stringify(name)} contains ${describeChars(bad)}, which nft cannot spell`,
				ctx.rule.span,
			),
		);
		return "fail";
	}
	// `-i +` matches every interface; nft refuses an all-wildcard string, so drop the condition
	// (or, negated, the whole rule: it can never match).
	if (wildcard && name === "") return iface.neg ? "never" : "always";
	return nft.rel(nft.meta(key), negOp(iface.neg), { kind: "string", value: name, wildcard });
}

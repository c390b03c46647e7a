/**
 * -m multiport. --sports/--dports become one set lookup. --ports (source OR destination port)
 * is one lookup in a concatenation of intervals, `tcp sport . tcp dport { 0-65535 . 80, 80 . 0-65535 }`,
 * which is exact (one rule, so a non-terminal target fires once) and negates with `!=`.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, rangeValue, ruleProto, transportName, type MatchOut, type RuleCtx } from "./context.js";

export function lowerMultiport(ctx: RuleCtx, m: ipt.MultiportMatch): MatchOut {
	const p = ruleProto(ctx.rule);
	const t = p === undefined ? undefined : transportName(p);
	if (t === undefined) {
		ctx.diags.push(
			diagnostic("protocol_required", "multiport needs `-p tcp`, `-p udp`, `-p udplite`, `-p sctp` or `-p dccp`", ctx.rule.span),
		);
		return undefined;
	}
	const ports = m.ports.value;
	const op = negOp(m.ports.neg);
	if (m.dir !== "any") {
		const sel = nft.payload(`${t} ${m.dir === "src" ? "sport" : "dport"}`);
		const only = ports[0];
		const v: nft.Value = ports.length === 1 && only !== undefined ? rangeValue(only) : { kind: "set", elems: ports.map(rangeValue) };
		return one(nft.rel(sel, op, v));
	}
	const key: nft.Expr = { kind: "concat", parts: [nft.payload(`${t} sport`), nft.payload(`${t} dport`)] };
	const anyPort = nft.range(0, 65535);
	const elems: nft.Value[] = [];
	for (const r of ports) {
		elems.push({ kind: "concat", parts: [anyPort, rangeValue(r)] });
		elems.push({ kind: "concat", parts: [rangeValue(r), anyPort] });
	}
	return one(nft.rel(key, op, { kind: "set", elems }));
}

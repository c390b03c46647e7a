/**
 * TPROXY -> `tproxy to [addr]:port`, then the mark, then `accept` (xt_TPROXY's verdict). When no
 * socket is found xt_TPROXY drops the packet, while nft's tproxy ends the rule and evaluation goes
 * on: a second rule with the same conditions and `drop` (TargetOut.fallback) restores that.
 */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import { U32, type RuleCtx } from "./context.js";

export function lowerTproxy(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "tproxy" }>): { stmts: nft.Stmt[]; fallback: nft.Stmt[] } {
	const stmts: nft.Stmt[] = [
		{ kind: "tproxy", fam: ctx.fam === 4 ? "ip" : "ip6", ...(t.addr !== undefined ? { addr: t.addr } : {}), ...(t.port !== 0 || t.addr === undefined ? { port: BigInt(t.port) } : {}) },
	];
	if (t.mark !== undefined) {
		const mask = BigInt(t.mark.mask);
		const value = BigInt(t.mark.value);
		stmts.push({
			kind: "mark-set",
			target: "meta mark",
			value: mask === U32 ? { kind: "const", value } : { kind: "bitwise", src: "meta mark", and: ~mask & U32, xor: value },
		});
	}
	stmts.push({ kind: "verdict", verdict: { kind: "accept" } });
	return { stmts, fallback: [{ kind: "verdict", verdict: { kind: "drop" } }] };
}

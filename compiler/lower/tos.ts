/**
 * -m tos (whole TOS byte, (tos & mask) == value) -> `ip dscp` (upper 6 bits) and `ip ecn`
 * (lower 2). Only masks covering whole fields translate; a negated two-field test becomes two
 * mutually exclusive alternatives.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { NEVER, one, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerTos(ctx: RuleCtx, m: ipt.TosMatch): MatchOut {
	const { value, mask } = m.tos.value;
	const dMask = mask >> 2;
	const eMask = mask & 3;
	if ((dMask !== 0 && dMask !== 0x3f) || (eMask !== 0 && eMask !== 3))
		return refuse(ctx, "unsupported_option", `tos mask 0x${mask.toString(16)} splits the DSCP or ECN field; nft compares whole fields`, "use -m dscp / -m ecn");
	if ((value & ~mask & 0xff) !== 0) return m.tos.neg ? one() : NEVER;
	const parts: nft.Cond[][] = [];
	const fam = ctx.fam === 4 ? "ip" : "ip6";
	if (dMask !== 0) parts.push([nft.rel(nft.payload(`${fam} dscp`), "==", nft.num(value >> 2))]);
	if (eMask !== 0) parts.push([nft.rel(nft.payload(`${fam} ecn`), "==", nft.num(value & 3))]);
	if (parts.length === 0) return m.tos.neg ? NEVER : one();
	if (!m.tos.neg) return one(...parts.flat());
	const flip = (c: nft.Cond): nft.Cond => (c.kind === "rel" ? { ...c, op: "!=" } : c);
	const [a, b] = parts;
	if (b === undefined) return one(...a!.map(flip));
	return [a!.map(flip), [...a!, ...b.map(flip)]];
}

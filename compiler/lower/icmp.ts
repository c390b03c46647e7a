/**
 * -m icmp / -m icmp6. `any` only needs the protocol (kept by rule.ts). A type with a code range
 * is a conjunction; its negation is written as one concatenation lookup, which is exact:
 * `icmp type . icmp code != { 3 . 1-3 }`.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { NEVER, negOp, one, type MatchOut } from "./context.js";

export function lowerIcmp(m: ipt.IcmpMatch): MatchOut {
	const v6 = m.kind === "icmpv6";
	const typeSel = nft.payload(v6 ? "icmpv6 type" : "icmp type");
	const codeSel = nft.payload(v6 ? "icmpv6 code" : "icmp code");
	const spec = m.spec.value;
	if (spec === "any") return m.spec.neg ? NEVER : one();
	const allCodes = spec.codeLo === 0 && spec.codeHi === 255;
	if (allCodes) return one(nft.rel(typeSel, negOp(m.spec.neg), nft.num(spec.type)));
	const code = nft.range(spec.codeLo, spec.codeHi);
	if (!m.spec.neg) return one(nft.rel(typeSel, "==", nft.num(spec.type)), nft.rel(codeSel, "==", code));
	const key: nft.Expr = { kind: "concat", parts: [typeSel, codeSel] };
	const elem: nft.Value = { kind: "concat", parts: [nft.num(spec.type), code] };
	return one(nft.rel(key, "!=", { kind: "set", elems: [elem] }));
}

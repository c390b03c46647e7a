/**
 * MARK, normalised to xmark: mark' = (mark & ~mask) ^ value. Written in the simplest nft form
 * that computes exactly that: a constant, `| v` (or-mark), `& m`, `^ v`, or `& m ^ v`.
 */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import { U32 } from "./context.js";

export function xmarkSource(src: "meta mark" | "ct mark", value: number, mask: number): nft.MarkSource {
	const v = BigInt(value);
	const m = BigInt(mask);
	const keep = ~m & U32;
	if (m === U32) return { kind: "const", value: v };
	if (v === m) return { kind: "bitwise", src, or: v };
	if (m === 0n) return { kind: "bitwise", src, xor: v };
	if (v === 0n) return { kind: "bitwise", src, and: keep };
	return { kind: "bitwise", src, and: keep, xor: v };
}

export function lowerMarkTarget(t: Extract<ipt.Target, { kind: "mark" }>): nft.Stmt[] {
	return [{ kind: "mark-set", target: "meta mark", value: xmarkSource("meta mark", t.value, t.mask) }];
}

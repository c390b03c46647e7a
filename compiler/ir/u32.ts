/**
 * The arithmetic of an xt_u32 location chain shared by lowering and the simulator's corpus: a
 * chain of `&`, `<<`, `>>` on one 32-bit word folds into one mask and one shift, and the shift
 * moves onto the compared ranges.
 */
import type * as ipt from "./ipt.js";

const F = 0xffffffffn;

/** A folded `&`/`<<`/`>>` chain: value = shift(word & mask, shift) (shift > 0: left, < 0: right). */
export interface U32Fold {
	readonly mask: bigint;
	readonly shift: number;
}

/** Folds a chain of `&`, `<<`, `>>` (no `@`); undefined when a shift count is 32 or more (C undefined behaviour). */
export function foldU32(ops: readonly { readonly op: ipt.U32Op; readonly n: number }[]): U32Fold | undefined {
	let mask = F;
	let k = 0;
	for (const { op, n } of ops) {
		const v = BigInt(n);
		switch (op) {
			case "&":
				// shift(x & M, k) & n == shift(x & M & unshift(n), k)
				mask &= k >= 0 ? v >> BigInt(k) : (v << BigInt(-k)) & F;
				break;
			case "<<":
				if (n >= 32) return undefined;
				if (k < 0) mask &= (F << BigInt(-k)) & F; // (x >> j) << s drops the low j bits of x
				else mask &= F >> BigInt(k);
				k += n;
				break;
			case ">>":
				if (n >= 32) return undefined;
				if (k > 0) mask &= F >> BigInt(k); // (x << k) truncates the high k bits first
				k -= n;
				break;
			case "@":
				return undefined;
		}
	}
	if (k >= 32 || k <= -32) return { mask: 0n, shift: 0 };
	mask &= k >= 0 ? F >> BigInt(k) : (F << BigInt(-k)) & F;
	return { mask, shift: k };
}

/**
 * The values of `word & mask` whose shifted value lies in one of the ranges, as sorted disjoint
 * inclusive intervals (word & mask only takes submask values; the intervals may include others,
 * which `& mask` never produces).
 */
export function maskedIntervals(f: U32Fold, ranges: readonly ipt.PortRange[]): { lo: bigint; hi: bigint }[] {
	const out: { lo: bigint; hi: bigint }[] = [];
	for (const r of ranges) {
		let lo = BigInt(r.lo);
		let hi = BigInt(r.hi);
		if (lo > hi) continue;
		if (f.shift >= 0) {
			const s = BigInt(f.shift);
			const unit = 1n << s;
			lo = (lo + unit - 1n) >> s;
			hi = hi >> s;
		} else {
			const j = BigInt(-f.shift);
			lo <<= j;
			hi <<= j;
		}
		if (hi > F) hi = F;
		if (lo > hi) continue;
		out.push({ lo, hi });
	}
	out.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
	const merged: { lo: bigint; hi: bigint }[] = [];
	for (const iv of out) {
		const last = merged[merged.length - 1];
		if (last !== undefined && iv.lo <= last.hi + 1n) {
			if (iv.hi > last.hi) last.hi = iv.hi;
		} else merged.push({ ...iv });
	}
	return merged;
}


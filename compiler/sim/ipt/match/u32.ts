/**
 * xt_u32 on the packet's wire image (sim/wire.ts): every test reads 4-byte big-endian words from
 * the network header, `@` moves the base by the value read so far; a read not wholly inside
 * skb->len (or a base that wraps past 2^32) fails the whole match before `!` is applied.
 * Shift counts are taken mod 32, as x86 does for a variable 32-bit shift.
 */
import type { U32Match, U32Test } from "../../../ir/ipt.js";
import { packetBytes, readU32 } from "../../wire.js";
import type { MatchFn } from "../types.js";

function runTest(b: Uint8Array, t: U32Test): boolean {
	let val = readU32(b, t.start);
	if (val === undefined) return false;
	let at = 0;
	for (const { op, n } of t.ops) {
		switch (op) {
			case "&":
				val = (val & n) >>> 0;
				break;
			case "<<":
				val = (val << (n & 31)) >>> 0;
				break;
			case ">>":
				val = val >>> (n & 31);
				break;
			case "@": {
				if (at + val > 0xffffffff) return false;
				at += val;
				const next = readU32(b, at + n);
				if (next === undefined) return false;
				val = next;
				break;
			}
		}
	}
	return t.ranges.some((r) => r.lo <= val! && val! <= r.hi);
}

export function compileU32(m: U32Match): MatchFn {
	return (pkt) => {
		const b = packetBytes(pkt);
		return m.tests.every((t) => runTest(b, t)) !== m.neg;
	};
}

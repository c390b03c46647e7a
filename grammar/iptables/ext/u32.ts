/** Numeric option values shared by the header matches (rt, frag, ah, esp): u32 ranges and u8. */
import type { PortRange } from "../../../compiler/ir/ipt.js";
import type { ExtContext } from "../extension.js";
import { parseUint } from "../values.js";
import type { Word } from "../words.js";

/** `n` or `a:b` (either side may be empty: 0 / 0xffffffff), 32-bit, strtoul-style numbers. */
export function u32Range(cx: ExtContext, w: Word, what: string): PortRange | undefined {
	const parts = w.text.split(":");
	const max = 0xffffffff;
	if (parts.length > 2) {
		cx.error("invalid_value", `invalid ${what} "${w.text}": expected N or A:B`, w);
		return undefined;
	}
	const lo = parts[0] === "" ? 0 : parseUint(parts[0]!, max);
	const hi = parts.length === 1 ? lo : parts[1] === "" ? max : parseUint(parts[1]!, max);
	if (lo === undefined || hi === undefined || lo > hi) {
		cx.error("invalid_value", `invalid ${what} "${w.text}": expected N or A:B in 0..4294967295`, w);
		return undefined;
	}
	return { lo, hi };
}

export function uint(cx: ExtContext, w: Word, max: number, what: string): number | undefined {
	const n = parseUint(w.text, max);
	if (n === undefined) cx.error("invalid_value", `invalid ${what} "${w.text}": expected 0..${max}`, w);
	return n;
}

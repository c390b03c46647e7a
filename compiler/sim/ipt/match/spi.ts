/**
 * xt_esp / xt_ah (IPv4 AH, both ESP): the SPI interval; never on a non-first fragment (the
 * header is not there). The rule's -p 50/51 is checked by the
 * kernel at load time, so a packet of another protocol never reaches this match; we test it
 * anyway for `! -p` oddities. An absent SPI in the packet model is 0.
 */
import type { SpiMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function compileSpi(m: SpiMatch): MatchFn {
	const proto = m.kind === "esp" ? 50 : 51;
	const spi = m.spi;
	if (spi === undefined) return (pkt) => pkt.fragOffset === 0 && pkt.proto === proto;
	const { lo, hi } = spi.value;
	const neg = spi.neg;
	return (pkt) => {
		if (pkt.fragOffset !== 0 || pkt.proto !== proto) return false;
		const v = pkt.spi ?? 0;
		return (v >= lo && v <= hi) !== neg;
	};
}

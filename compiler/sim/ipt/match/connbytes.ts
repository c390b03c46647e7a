/**
 * xt_connbytes: no conntrack entry (or no accounting extension) never matches; `both` sums the
 * directions; avgpkt is bytes / packets (0 without packets); the range test is the kernel's on
 * its (from, to) encoding, inversion included.
 */
import type { ConnbytesMatch } from "../../../ir/ipt.js";
import { ZERO_ACCT, type CtAcct } from "../../packet.js";
import type { MatchFn } from "../types.js";
import { hasEntry } from "./conntrack.js";

function counters(a: CtAcct, dir: ConnbytesMatch["dir"]): { packets: bigint; bytes: bigint } {
	switch (dir) {
		case "original":
			return { packets: a.origPackets, bytes: a.origBytes };
		case "reply":
			return { packets: a.replyPackets, bytes: a.replyBytes };
		case "both":
			return { packets: a.origPackets + a.replyPackets, bytes: a.origBytes + a.replyBytes };
	}
}

export function compileConnbytes(m: ConnbytesMatch): MatchFn {
	const { from, to, dir, mode } = m;
	return (pkt) => {
		if (!hasEntry(pkt.ct)) return false;
		const c = counters(pkt.ct.acct ?? ZERO_ACCT, dir);
		const what = mode === "packets" ? c.packets : mode === "bytes" ? c.bytes : c.packets === 0n ? 0n : c.bytes / c.packets;
		if (to >= from) return what <= to && what >= from;
		return what < to || what > from;
	};
}

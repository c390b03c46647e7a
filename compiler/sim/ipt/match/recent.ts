/**
 * xt_recent: named lists of (masked) addresses with the times they were --set/--update'd (the
 * last 20) and the TTL of the last one. The lists of one side start empty in every scenario run
 * and are shared by every rule that names them. Follows recent_mt(): an address not in the list
 * only matches --set (which adds it); --rcheck/--update need a stamp within --seconds (and
 * --hitcount of them); a successful --update and every --set add a stamp.
 */
import type { RecentMatch } from "../../../ir/ipt.js";
import { TIME_DEFAULT_NS, type Packet } from "../../packet.js";
import { RunState } from "../../run-state.js";
import type { MatchFn } from "../types.js";

interface Entry {
	stamps: number[];
	ttl: number;
}

/** xt_recent's ip_pkt_list_tot default: stamps kept per address. */
const STAMPS = 20;

const lists = new RunState<Map<string, Map<bigint, Entry>>>(() => new Map());

export function compileRecent(m: RecentMatch, fam: 4 | 6): MatchFn {
	const all = fam === 4 ? 0xffffffffn : (1n << 128n) - 1n;
	const mask = m.mask ?? all;
	const key = `${fam}/${m.name}`;
	const side = m.side;
	return (pkt, ctx) => {
		const tables = lists.get(ctx);
		let t = tables.get(key);
		if (t === undefined) {
			t = new Map();
			tables.set(key, t);
		}
		const addr = (side === "src" ? pkt.saddr : pkt.daddr) & mask;
		// The TTL as seen before forwarding (recent_mt: ttl++ on forwarded packets).
		const ttl = (pkt.ttl + (pkt.oif !== undefined && pkt.uid === undefined ? 1 : 0)) & 0xff;
		const now = nowSec(pkt);
		let ret = m.neg;
		let e = t.get(addr);
		if (e !== undefined && m.rttl && e.ttl !== ttl) e = undefined;
		if (e === undefined) {
			if (m.op !== "set") return ret;
			t.set(addr, { stamps: [now], ttl });
			return !ret;
		}
		if (m.op === "set") ret = !ret;
		else if (m.op === "remove") {
			t.delete(addr);
			ret = !ret;
		} else {
			let hits = 0;
			for (const s of e.stamps) {
				if (m.seconds !== undefined && m.seconds > 0 && s < now - m.seconds) continue;
				if (m.hitcount === undefined || m.hitcount === 0 || ++hits >= m.hitcount) {
					ret = !ret;
					break;
				}
			}
			// --reap: forget addresses whose every stamp is older than --seconds (the kernel reaps the
			// least recently seen one per packet; within one run the difference does not show).
			if (m.reap && m.seconds !== undefined) for (const [a, x] of t) if (a !== addr && x.stamps.every((s) => s < now - m.seconds!)) t.delete(a);
		}
		if (m.op === "set" || (m.op === "update" && ret)) {
			e.stamps.push(now);
			if (e.stamps.length > STAMPS) e.stamps.shift();
			e.ttl = ttl;
		}
		return ret;
	};
}

function nowSec(pkt: Packet): number {
	return Number((pkt.timeNs ?? TIME_DEFAULT_NS) / 1_000_000_000n);
}

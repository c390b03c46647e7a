/**
 * The socket lookups of the transparent proxy (nf_tproxy_get_sock_v4/v6 and
 * nf_tproxy_handle_time_wait): both TPROXY (iptables) and nft's `tproxy` call these same kernel
 * helpers, so both evaluators share this model of the host's socket table, which the packet carries
 * (packet.ts `sockets`).
 */
import type { Fam } from "../ir/ipt.js";
import type { EvalContext } from "./model.js";
import type { Packet, SockInfo } from "./packet.js";

/** nf_tproxy_laddr: the rule's address, else the first address of the input device, else daddr. */
function localAddr(pkt: Packet, ctx: EvalContext, addr: bigint | undefined): bigint {
	if (addr !== undefined && addr !== 0n) return addr;
	const dev = ctx.host.interfaces.find((i) => i.name === pkt.iif);
	const first = dev?.addrs.find((a) => a.fam === pkt.fam)?.addr;
	return first ?? pkt.daddr;
}

function listener(pkt: Packet, laddr: bigint, lport: number): SockInfo | undefined {
	const ls = pkt.sockets?.listeners ?? [];
	// A listener bound to the address wins over a wildcard one (inet_lookup_listener scoring).
	return ls.find((l) => l.port === lport && l.addr === laddr)?.sk ?? ls.find((l) => l.port === lport && l.addr === undefined)?.sk;
}

/**
 * The socket of the packet itself (nf_sk_lookup_slow_v4/v6, what xt_socket and nft's `socket`
 * read): an established or TIME_WAIT socket of its tuple, else a listener on its daddr:dport.
 */
export function packetSocket(pkt: Packet): SockInfo | undefined {
	if ((pkt.proto !== 6 && pkt.proto !== 17) || pkt.fragOffset !== 0) return undefined;
	return pkt.sockets?.established ?? listener(pkt, pkt.daddr, pkt.dport);
}

/**
 * The socket TPROXY assigns, or undefined (then iptables drops and nft's tproxy BREAKs).
 * `addr`/`port`: the rule's --on-ip / --on-port (0 or absent: the packet's own).
 */
export function tproxySocket(pkt: Packet, ctx: EvalContext, fam: Fam, addr: bigint | undefined, port: number): SockInfo | undefined {
	if (pkt.fam !== fam || (pkt.proto !== 6 && pkt.proto !== 17) || pkt.fragOffset !== 0) return undefined;
	const laddr = localAddr(pkt, ctx, addr);
	const lport = port !== 0 ? port : pkt.dport;
	let sk = pkt.sockets?.established;
	if (sk !== undefined && !sk.full) {
		// TIME_WAIT: a new SYN (no ACK/RST/FIN) goes to a listener if there is one.
		const f = pkt.tcpFlags;
		if (pkt.proto === 6 && (f & 0x02) !== 0 && (f & 0x15) === 0) {
			const l = listener(pkt, laddr, lport);
			if (l !== undefined) sk = l;
		}
	} else if (sk === undefined) sk = listener(pkt, laddr, lport);
	return sk !== undefined && sk.transparent ? sk : undefined;
}

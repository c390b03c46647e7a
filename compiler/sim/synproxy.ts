/**
 * nf_synproxy's core, which xt_SYNPROXY and nft's `synproxy` share: what it does with a packet a
 * front end hands it. The front ends differ only in which packets they hand over (see
 * compiler/lower/synproxy.ts); each side's evaluator picks, this file answers.
 */
import type { ChainOutcome } from "./model.js";
import type { Packet } from "./packet.js";

export interface SynproxyParams {
	readonly mss?: number;
	readonly wscale?: number;
	readonly timestamp: boolean;
	readonly sackPerm: boolean;
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;
const OPT_MSS = 2;
const OPT_WSCALE = 3;
const OPT_SACK_PERM = 4;
const OPT_TIMESTAMP = 8;

/**
 * A client SYN: answered with a SYN/ACK carrying a cookie and consumed. Its options are the
 * client's offer cut down to the configured ones; without timestamps the cookie cannot carry
 * window scaling or SACK, so those go too.
 */
function synAck(pkt: Packet, p: SynproxyParams): ChainOutcome {
	const offered = (kind: number): boolean => pkt.tcpOptions.includes(kind);
	const ts = p.timestamp && offered(OPT_TIMESTAMP);
	const opts: string[] = [];
	if (p.mss !== undefined && offered(OPT_MSS)) opts.push(`mss ${p.mss}`);
	if (ts && p.wscale !== undefined && offered(OPT_WSCALE)) opts.push(`wscale ${p.wscale}`);
	if (ts && p.sackPerm && offered(OPT_SACK_PERM)) opts.push("sack-perm");
	if (ts) opts.push("timestamp");
	return { kind: "stolen", by: `synproxy SYN/ACK${opts.length > 0 ? ` (${opts.join(", ")})` : ""}` };
}

/** A client ACK: its cookie is checked; valid, the server is sent a SYN (stolen), else dropped. */
const COOKIE_CHECK: ChainOutcome = { kind: "stolen", by: "synproxy cookie check of the client's ACK" };

/** xt_SYNPROXY: a bare SYN or a bare ACK (no FIN/RST, not both); anything else goes on. */
export function xtSynproxy(pkt: Packet, p: SynproxyParams): ChainOutcome | undefined {
	const f = pkt.tcpFlags & (FIN | SYN | RST | ACK);
	if (f === SYN) return synAck(pkt, p);
	if (f === ACK) return COOKIE_CHECK;
	return undefined;
}

/** nft_synproxy: any SYN is answered, any other ACK is cookie-checked; the rest goes on. */
export function nftSynproxy(pkt: Packet, p: SynproxyParams): ChainOutcome | undefined {
	if (pkt.tcpFlags & SYN) return synAck(pkt, p);
	if (pkt.tcpFlags & ACK) return COOKIE_CHECK;
	return undefined;
}

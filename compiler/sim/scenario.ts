/**
 * A scenario is what the corpus feeds the packet path: one packet, or a flow (first packet,
 * the reply, a follow-up) whose reply and follow-up are derived from how each side treated the
 * first packet (its NAT, its route), so every side is asked the questions its own decisions raise.
 */
import type { Packet } from "./packet.js";

export interface Scenario {
	readonly id: number;
	readonly kind: "packet" | "flow";
	/**
	 * The (first) packet: arriving on `pkt.iif`, or generated locally when `pkt.iif` is undefined.
	 * `pkt.ct` says what conntrack finds at priority -200: state, dir, status bits and ct mark of an
	 * existing entry. Flows always start with state `new`.
	 */
	readonly pkt: Packet;
}

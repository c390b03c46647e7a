/** -m udp: ports; needs `-p udp`. */
import type { Neg, PortRange, UdpMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import { portOptions, requireProto } from "./tcp.js";

interface S {
	sport?: Neg<PortRange>;
	dport?: Neg<PortRange>;
}

const EMPTY: UdpMatch = { kind: "udp" };

export const udp = defineMatch<S>({
	name: "udp",
	options: [
		...portOptions<S>(),
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (!requireProto(cx, 17, "udp")) return undefined;
		if (s.sport === undefined && s.dport === undefined) return EMPTY;
		const m: { -readonly [K in keyof UdpMatch]: UdpMatch[K] } = { kind: "udp" };
		if (s.sport && !(s.sport.value.lo === 0 && s.sport.value.hi === 65535 && !s.sport.neg)) m.sport = s.sport;
		if (s.dport && !(s.dport.value.lo === 0 && s.dport.value.hi === 65535 && !s.dport.neg)) m.dport = s.dport;
		return m;
	},
});

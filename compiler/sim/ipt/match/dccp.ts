/** xt_dccp: ports and the packet type (--dccp-types); --dccp-option is not modelled. */
import type { DccpMatch } from "../../../ir/ipt.js";
import type { Compiled } from "../types.js";
import { compilePortsOnly } from "./ports.js";

export function compileDccp(m: DccpMatch): Compiled {
	if (m.option !== undefined) return { unsupported: "dccp --dccp-option is not modelled by the simulator" };
	const ports = compilePortsOnly(m);
	const types = m.types;
	if (types === undefined) return ports;
	let mask = 0;
	for (const t of types.value) mask |= 1 << t;
	const neg = types.neg;
	return (pkt, ctx, st) => ports(pkt, ctx, st) && ((mask & (1 << (pkt.dccpType ?? 0))) !== 0) !== neg;
}

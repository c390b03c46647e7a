/** NFQUEUE -> `queue num N` / `queue num a-b`, flags bypass and fanout. */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";

export function lowerNfqueue(t: Extract<ipt.Target, { kind: "nfqueue" }>): nft.Stmt[] {
	return [
		{
			kind: "queue",
			numLo: t.num,
			numHi: t.balanceTo ?? t.num,
			bypass: t.bypass,
			fanout: t.cpuFanout,
		},
	];
}

/** -m cpu -> `meta cpu`. */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { negOp, one, type MatchOut } from "./context.js";

export function lowerCpu(m: ipt.CpuMatch): MatchOut {
	return one(nft.rel(nft.meta("cpu"), negOp(m.cpu.neg), nft.num(m.cpu.value)));
}

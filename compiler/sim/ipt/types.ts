/** Shared types of the iptables evaluator: a match compiles once into a closure. */
import type { Fam, TableName } from "../../ir/ipt.js";
import type { EvalContext } from "../model.js";
import type { Packet } from "../packet.js";

/** Per-run scratch state (one per side; runs do not nest). */
export interface RunState {
	/** Set by a match that drops the packet on the spot (xt `par->hotdrop`). */
	hotdrop: boolean;
}

export type MatchFn = (pkt: Packet, ctx: EvalContext, st: RunState) => boolean;

export interface CompileEnv {
	readonly fam: Fam;
	readonly table: TableName;
}

/** A part the evaluator cannot model exactly; `verify` refuses inputs that have any. */
export interface Unsupported {
	readonly unsupported: string;
}

export type Compiled = MatchFn | Unsupported;

export function isUnsupported(c: Compiled): c is Unsupported {
	return typeof c !== "function";
}

export const inRange = (x: number, lo: number, hi: number): boolean => x >= lo && x <= hi;

/**
 * -m sctp -> `sctp sport/dport`, and --chunk-types all|any without chunk flags as
 * `sctp chunk NAME exists/missing`. Chunk flags (nft tests only the first chunk of a type,
 * xt_sctp any chunk of it) and `only` (nft cannot name unknown chunk types) are refused.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { one, portCond, type Alts, type MatchOut, type RuleCtx } from "./context.js";
import { product } from "./conntrack.js";
import { refuse } from "./refuse.js";

const CHUNK_NAMES: ReadonlyMap<number, string> = new Map([
	[0, "data"], [1, "init"], [2, "init-ack"], [3, "sack"], [4, "heartbeat"], [5, "heartbeat-ack"], [6, "abort"],
	[7, "shutdown"], [8, "shutdown-ack"], [9, "error"], [10, "cookie-echo"], [11, "cookie-ack"], [12, "ecne"],
	[13, "cwr"], [14, "shutdown-complete"], [64, "i-data"], [130, "re-config"], [132, "pad"], [193, "asconf"],
	[128, "asconf-ack"], [192, "forward-tsn"], [194, "i-forward-tsn"],
]);

const chunk = (name: string, present: boolean): nft.Cond => ({ kind: "exists", left: { kind: "sctpchunk", chunk: name }, present });

/** "some of these exist", as mutually exclusive alternatives: first present one decides. */
function anyOf(names: readonly string[]): Alts {
	return names.map((n, i) => [...names.slice(0, i).map((p) => chunk(p, false)), chunk(n, true)]);
}

export function lowerSctp(ctx: RuleCtx, m: ipt.SctpMatch): MatchOut {
	const conds: nft.Cond[] = [];
	if (m.sport !== undefined) conds.push(portCond("sctp sport", m.sport));
	if (m.dport !== undefined) conds.push(portCond("sctp dport", m.dport));
	let alts: Alts = one(...conds);
	const c = m.chunks;
	if (c === undefined) return alts;
	if (c.value.list.some((x) => x.flags !== undefined))
		return refuse(ctx, "unsupported_option", "sctp --chunk-types with chunk flags cannot be expressed exactly in nft (it tests only the first chunk of each type)");
	if (c.value.mode === "only") return refuse(ctx, "unsupported_option", "sctp --chunk-types only cannot be expressed exactly in nft (it cannot name unknown chunk types)");
	const names = [...new Set(c.value.list.map((x) => CHUNK_NAMES.get(x.type) ?? ""))];
	if (names.includes("")) return refuse(ctx, "unsupported_option", "sctp chunk type without an nft name");
	const all = c.value.mode === "all";
	// all: every one exists; any: some exists. Negated: some missing / all missing.
	let chunkAlts: Alts;
	if (all && !c.neg) chunkAlts = one(...names.map((n) => chunk(n, true)));
	else if (!all && c.neg) chunkAlts = one(...names.map((n) => chunk(n, false)));
	else if (!all) chunkAlts = anyOf(names);
	else chunkAlts = names.map((n, i) => [...names.slice(0, i).map((p) => chunk(p, true)), chunk(n, false)]);
	alts = product(alts, chunkAlts);
	return alts;
}

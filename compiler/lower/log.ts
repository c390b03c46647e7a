/** LOG -> `log prefix "…" level … flags …`. The level is always written (iptables' default is warning). */
import { diagnostic } from "../ir/diagnostics.js";
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import type { RuleCtx } from "./context.js";
import { describeChars, unsafeChars } from "./strings.js";

const LEVELS: readonly nft.LogLevelName[] = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"];

/** nft keeps at most 127 bytes of a log prefix (NF_LOG_PREFIXLEN 128 with the NUL). */
export const MAX_PREFIX_BYTES = 127;

/** A prefix changes the log lines, so an unsafe one is refused rather than altered. */
export function checkPrefix(ctx: RuleCtx, prefix: string, what: string): boolean {
	const bad = unsafeChars(prefix);
	if (bad.length > 0) {
		ctx.diags.push(
			diagnostic("unsafe_string", `${what} ${JSON.stringify(prefix)} contains ${describeChars(bad)}, which nft cannot spell`, ctx.rule.span),
		);
		return false;
	}
	if (Buffer.byteLength(prefix, "utf8") > MAX_PREFIX_BYTES) {
		ctx.diags.push(diagnostic("invalid_value", `${what} is longer than ${MAX_PREFIX_BYTES} bytes`, ctx.rule.span));
		return false;
	}
	return true;
}

export function lowerLog(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "log" }>): nft.Stmt[] | undefined {
	if (t.prefix !== undefined && !checkPrefix(ctx, t.prefix, "log prefix")) return undefined;
	const level = LEVELS[t.level] ?? "warn";
	const stmt: nft.Stmt = {
		kind: "log",
		...(t.prefix !== undefined ? { prefix: t.prefix } : {}),
		level,
		flags: {
			tcpSequence: t.tcpSequence,
			tcpOptions: t.tcpOptions,
			ipOptions: t.ipOptions,
			skuid: t.uid,
			ether: t.macDecode,
		},
	};
	return [stmt];
}

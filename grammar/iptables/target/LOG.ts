/** -j LOG [--log-level L] [--log-prefix P (≤29 chars)] [--log-tcp-sequence] [--log-tcp-options] [--log-ip-options] [--log-uid] [--log-macdecode]. */
import type { LogLevel, Target } from "../../../compiler/ir/ipt.js";
import { defineTarget } from "../extension.js";
import { parseUint } from "../values.js";

interface S {
	level: LogLevel;
	prefix?: string;
	tcpSequence: boolean;
	tcpOptions: boolean;
	ipOptions: boolean;
	uid: boolean;
	macDecode: boolean;
}

const LEVELS: Readonly<Record<string, LogLevel>> = {
	emerg: 0, panic: 0, alert: 1, crit: 2, err: 3, error: 3, warning: 4, warn: 4, notice: 5, info: 6, debug: 7,
};
const MAX_PREFIX = 29;

export const log = defineTarget<S>({
	name: "LOG",
	options: [
		{
			name: "log-level",
			arity: 1,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text.toLowerCase();
				// XTTYPE_SYSLOGLEVEL: a number base 0 (`07`, `0x3`) or a name.
				const num = parseUint(t, 7);
				const n = num !== undefined ? (num as LogLevel) : Object.prototype.hasOwnProperty.call(LEVELS, t) ? LEVELS[t] : undefined;
				if (n === undefined) return cx.error("invalid_value", `unknown log level "${v.args[0]!.text}"`, v.args[0]!, "levels are 0..7 or emerg, alert, crit, error, warning, notice, info, debug");
				s.level = n;
			},
		},
		{
			name: "log-prefix",
			arity: 1,
			apply: (s, v, cx) => {
				const p = v.args[0]!.text;
				if (Buffer.byteLength(p, "utf8") > MAX_PREFIX) return cx.error("invalid_value", `log prefix is longer than ${MAX_PREFIX} characters`, v.args[0]!);
				if (p.includes("\n")) return cx.error("invalid_value", "log prefix contains a newline", v.args[0]!);
				s.prefix = p;
			},
		},
		{ name: "log-tcp-sequence", arity: 0, apply: (s) => void (s.tcpSequence = true) },
		{ name: "log-tcp-options", arity: 0, apply: (s) => void (s.tcpOptions = true) },
		{ name: "log-ip-options", arity: 0, apply: (s) => void (s.ipOptions = true) },
		{ name: "log-uid", arity: 0, apply: (s) => void (s.uid = true) },
		{ name: "log-macdecode", arity: 0, apply: (s) => void (s.macDecode = true) },
	],
	init: () => ({ level: 4, tcpSequence: false, tcpOptions: false, ipOptions: false, uid: false, macDecode: false }),
	finish: (s): Target => ({
		kind: "log",
		level: s.level,
		...(s.prefix !== undefined ? { prefix: s.prefix } : {}),
		tcpSequence: s.tcpSequence,
		tcpOptions: s.tcpOptions,
		ipOptions: s.ipOptions,
		uid: s.uid,
		macDecode: s.macDecode,
	}),
});

/** -j TPROXY --on-port P [--on-ip A] [--tproxy-mark V[/M]]: mangle PREROUTING, -p tcp|udp. */
import type { Target, ValueMask } from "../../../compiler/ir/ipt.js";
import { defineTarget, take } from "../extension.js";
import { parseAddr, parseDec, parseValueMask } from "../values.js";
import { checkPlace } from "./nat.js";

interface S {
	port?: number;
	addr?: bigint;
	mark?: ValueMask;
}

export const tproxy = defineTarget<S>({
	name: "TPROXY",
	options: [
		{
			name: "on-port",
			arity: 1,
			apply: (s, v, cx) => {
				const n = parseDec(v.args[0]!.text, 65535);
				if (n === undefined) return cx.error("invalid_port", `invalid port "${v.args[0]!.text}"`, v.args[0]!);
				s.port = n;
			},
		},
		{
			name: "on-ip",
			arity: 1,
			apply: (s, v, cx) => {
				const a = take(cx, parseAddr(v.args[0]!.text, cx.fam), v.args[0]!);
				if (a !== undefined) s.addr = a;
			},
		},
		{
			name: "tproxy-mark",
			arity: 1,
			apply: (s, v, cx) => {
				const r = take(cx, parseValueMask(v.args[0]!.text), v.args[0]!);
				if (r !== undefined) s.mark = r;
			},
		},
	],
	init: () => ({}),
	finish: (s, cx): Target | undefined => {
		if (s.port === undefined) {
			cx.error("missing_argument", "TPROXY needs --on-port", cx.nameWord);
			return undefined;
		}
		if (!checkPlace(cx, "TPROXY", "mangle", ["PREROUTING"])) return undefined;
		if ((cx.proto !== 6 && cx.proto !== 17) || cx.protoNeg) {
			cx.error("protocol_required", "TPROXY needs -p tcp or -p udp", cx.nameWord);
			return undefined;
		}
		const t: { -readonly [K in keyof Extract<Target, { kind: "tproxy" }>]: Extract<Target, { kind: "tproxy" }>[K] } = { kind: "tproxy", fam: cx.fam, port: s.port };
		if (s.addr !== undefined && s.addr !== 0n) t.addr = s.addr;
		if (s.mark !== undefined) t.mark = s.mark;
		return t;
	},
});

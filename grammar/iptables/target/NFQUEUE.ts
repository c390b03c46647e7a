/** -j NFQUEUE [--queue-num N | --queue-balance A:B] [--queue-bypass] [--queue-cpu-fanout]. */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget } from "../extension.js";
import { parseUint } from "../values.js";

interface S {
	num?: number;
	balance?: { lo: number; hi: number };
	bypass: boolean;
	cpuFanout: boolean;
}

export const nfqueue = defineTarget<S>({
	name: "NFQUEUE",
	options: [
		{
			name: "queue-num",
			arity: 1,
			apply: (s, v, cx) => {
				const n = parseUint(v.args[0]!.text, 65535);
				if (n === undefined) return cx.error("invalid_value", `invalid --queue-num "${v.args[0]!.text}": expected 0..65535`, v.args[0]!);
				if (s.balance !== undefined) return cx.error("conflicting_options", "--queue-num and --queue-balance cannot be combined", v.word);
				s.num = n;
			},
		},
		{
			name: "queue-balance",
			arity: 1,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text;
				const m = /^([0-9a-fA-FxX]*):([0-9a-fA-FxX]*)$/.exec(t);
				const lo = m === null ? undefined : m[1] === "" ? 0 : parseUint(m[1]!, 65534);
				const hi = m === null ? undefined : m[2] === "" ? 65534 : parseUint(m[2]!, 65534);
				if (lo === undefined || hi === undefined || lo >= hi)
					return cx.error("invalid_value", `invalid --queue-balance "${t}": expected LOW:HIGH with LOW < HIGH <= 65534`, v.args[0]!);
				if (s.num !== undefined) return cx.error("conflicting_options", "--queue-num and --queue-balance cannot be combined", v.word);
				s.balance = { lo, hi };
			},
		},
		{ name: "queue-bypass", arity: 0, apply: (s) => void (s.bypass = true) },
		{ name: "queue-cpu-fanout", arity: 0, apply: (s) => void (s.cpuFanout = true) },
	],
	init: () => ({ bypass: false, cpuFanout: false }),
	finish: (s): Target => ({
		kind: "nfqueue",
		num: s.balance?.lo ?? s.num ?? 0,
		...(s.balance ? { balanceTo: s.balance.hi } : {}),
		bypass: s.bypass,
		cpuFanout: s.cpuFanout,
	}),
});

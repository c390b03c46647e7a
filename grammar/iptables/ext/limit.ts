/** -m limit --limit N[/unit] (default 3/hour) --limit-burst N (default 5). */
import type { RateUnit } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import { parseDec, parseUint } from "../values.js";

interface S {
	rate: number;
	unit: RateUnit;
	burst: number;
}

const UNITS: Readonly<Record<string, RateUnit>> = {
	s: "second", sec: "second", second: "second",
	m: "minute", min: "minute", minute: "minute",
	h: "hour", hour: "hour",
	d: "day", day: "day",
};
/** The kernel keeps the rate as a cost per packet; more than 10000/s cannot be expressed. */
const MAX_PER_SECOND = 10000;
const SECONDS: Readonly<Record<RateUnit, number>> = { second: 1, minute: 60, hour: 3600, day: 86400 };

export const limit = defineMatch<S>({
	name: "limit",
	options: [
		{
			name: "limit",
			arity: 1,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text;
				const m = /^([0-9]+)(?:\/([a-z]+))?$/.exec(t);
				const unitWord = m?.[2] ?? "second";
				const unit = Object.prototype.hasOwnProperty.call(UNITS, unitWord) ? UNITS[unitWord] : undefined;
				const rate = m ? parseDec(m[1]!, 0xffffffff) : undefined;
				if (rate === undefined || unit === undefined || rate === 0)
					return cx.error("invalid_value", `invalid rate "${t}"`, v.args[0]!, "expected N/second, N/minute, N/hour or N/day");
				if (rate / SECONDS[unit] > MAX_PER_SECOND)
					return cx.error("invalid_value", `rate "${t}" is too fast for the limit match`, v.args[0]!);
				s.rate = rate;
				s.unit = unit;
			},
		},
		{
			name: "limit-burst",
			arity: 1,
			apply: (s, v, cx) => {
				const b = parseUint(v.args[0]!.text, 10000);
				if (b === undefined || b === 0) return cx.error("invalid_value", `invalid burst "${v.args[0]!.text}": expected 1..10000`, v.args[0]!);
				s.burst = b;
			},
		},
	],
	init: () => ({ rate: 3, unit: "hour", burst: 5 }),
	finish: (s) => ({ kind: "limit", rate: s.rate, unit: s.unit, burst: s.burst }),
});

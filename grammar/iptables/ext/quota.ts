/** -m quota [!] --quota BYTES: true until the rule has passed BYTES bytes (per rule). */
import type { QuotaMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";
import { parseUint64 } from "../values.js";

interface S {
	bytes?: bigint;
	neg: boolean;
}

const U64 = (1n << 64n) - 1n;

export const quota = defineMatch<S>({
	name: "quota",
	options: [
		{
			name: "quota",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text;
				const n = parseUint64(t); // XTTYPE_UINT64: strtoull base 0
				if (n === undefined || n > U64) return cx.error("invalid_value", `invalid --quota "${t}": expected a byte count`, v.args[0]!);
				s.bytes = n;
				s.neg = v.neg;
			},
		},
	],
	init: () => ({ neg: false }),
	finish: (s, cx): QuotaMatch | undefined => {
		if (s.bytes === undefined) {
			cx.error("missing_argument", "-m quota needs --quota BYTES", cx.nameWord);
			return undefined;
		}
		return { kind: "quota", bytes: s.bytes, neg: s.neg };
	},
});

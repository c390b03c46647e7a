/**
 * -m tos --tos VALUE[/MASK] | NAME (the whole TOS / traffic-class byte). A symbolic name compares
 * under mask 0x3f, as libxtables' tosmask parser does for names.
 */
import type { Neg, ValueMask } from "../../../compiler/ir/ipt.js";
import type { ExtContext } from "../extension.js";
import { defineMatch } from "../extension.js";
import { parseUint } from "../values.js";
import type { Word } from "../words.js";

export const TOS_NAMES: Readonly<Record<string, number>> = {
	"minimize-delay": 0x10,
	"maximize-throughput": 0x08,
	"maximize-reliability": 0x04,
	"minimize-cost": 0x02,
	"normal-service": 0x00,
};

/** `v[/m]` (8-bit) or a name; `defaultMask` applies to a bare number. */
export function parseTosMask(cx: ExtContext, w: Word, defaultMask: number): ValueMask | undefined {
	const named = TOS_NAMES[w.text.toLowerCase()];
	if (named !== undefined && Object.prototype.hasOwnProperty.call(TOS_NAMES, w.text.toLowerCase())) return { value: named, mask: 0x3f };
	const i = w.text.indexOf("/");
	const v = parseUint(i < 0 ? w.text : w.text.slice(0, i), 255);
	const m = i < 0 ? defaultMask : parseUint(w.text.slice(i + 1), 255);
	if (v === undefined || m === undefined) {
		cx.error("invalid_value", `invalid TOS "${w.text}": expected VALUE[/MASK] (8-bit) or a name`, w, "names: Minimize-Delay, Maximize-Throughput, Maximize-Reliability, Minimize-Cost, Normal-Service");
		return undefined;
	}
	return { value: v, mask: m };
}

interface S {
	tos?: Neg<ValueMask>;
}

export const tos = defineMatch<S>({
	name: "tos",
	options: [
		{
			name: "tos",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = parseTosMask(cx, v.args[0]!, 0xff);
				if (r !== undefined) s.tos = { value: r, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.tos === undefined) {
			cx.error("missing_argument", "-m tos needs --tos", cx.nameWord);
			return undefined;
		}
		return { kind: "tos", tos: s.tos };
	},
});

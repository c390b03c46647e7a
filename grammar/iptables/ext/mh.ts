/**
 * -m mh --mh-type TYPE[:TYPE] (IPv6 Mobility Header); needs -p mh (ip6t_mh is bound to protocol
 * 135, `-p mh` also loads it by itself). Types are numbers or libip6t_mh's names, which match by
 * case-insensitive prefix (an exact name wins over a longer one).
 */
import type { MhMatch, Neg, PortRange } from "../../../compiler/ir/ipt.js";
import { defineMatch, type ExtContext } from "../extension.js";
import { parseUint } from "../values.js";
import type { Word } from "../words.js";
import { requireProto } from "./tcp.js";

const MH_NAMES: readonly (readonly [string, number])[] = [
	["binding-refresh-request", 0],
	["brr", 0],
	["home-test-init", 1],
	["hoti", 1],
	["careof-test-init", 2],
	["coti", 2],
	["home-test", 3],
	["hot", 3],
	["careof-test", 4],
	["cot", 4],
	["binding-update", 5],
	["bu", 5],
	["binding-acknowledgement", 6],
	["ba", 6],
	["binding-error", 7],
	["be", 7],
];

function mhType(text: string): number | undefined {
	const t = text.toLowerCase();
	let found: number | undefined;
	for (const [name, type] of MH_NAMES) {
		if (!name.startsWith(t)) continue;
		if (found === undefined || name.length === t.length) found = type;
	}
	return found ?? parseUint(text, 255);
}

function parseTypes(cx: ExtContext, w: Word): PortRange | undefined {
	const bad = (): undefined => {
		cx.error("invalid_value", `invalid MH type "${w.text}": expected a type name or 0..255, or A:B`, w);
		return undefined;
	};
	const colon = w.text.indexOf(":");
	if (colon < 0) {
		const t = mhType(w.text);
		return t === undefined || w.text === "" ? bad() : { lo: t, hi: t };
	}
	const a = w.text.slice(0, colon);
	const b = w.text.slice(colon + 1);
	const lo = a === "" ? 0 : mhType(a);
	const hi = b === "" ? 255 : mhType(b);
	if (lo === undefined || hi === undefined) return bad();
	if (lo > hi) {
		cx.error("invalid_value", `invalid MH type range "${w.text}" (min > max)`, w);
		return undefined;
	}
	return { lo, hi };
}

interface S {
	type?: Neg<PortRange>;
}

export const mh = defineMatch<S>({
	name: "mh",
	family: "ip6",
	options: [
		{
			name: "mh-type",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = parseTypes(cx, v.args[0]!);
				if (r !== undefined) s.type = { value: r, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx): MhMatch | undefined => {
		if (!requireProto(cx, 135, "mh")) return undefined;
		return { kind: "mh", ...s };
	},
});

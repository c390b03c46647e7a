/**
 * -j HMARK: a mark from a hash of the flow. Parsed and checked like libxt_HMARK (--hmark-mod and
 * --hmark-rnd are mandatory, --hmark-spi-mask excludes the port masks, something must be hashed).
 */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget, type ExtContext, type OptionDef } from "../extension.js";
import { parseUint } from "../values.js";
import type { Word } from "../words.js";

interface S {
	ct: boolean;
	tupleSeen: boolean;
	srcPrefix?: number;
	dstPrefix?: number;
	sportMask?: number;
	dportMask?: number;
	spiMask?: number;
	sport?: number;
	dport?: number;
	spi?: number;
	protoMask?: number;
	rnd?: number;
	mod?: number;
	offset?: number;
}

type NumKey = "srcPrefix" | "dstPrefix" | "sportMask" | "dportMask" | "spiMask" | "sport" | "dport" | "spi" | "protoMask" | "rnd" | "mod" | "offset";

function num(name: string, key: NumKey, max: number | "plen", min = 0): OptionDef<S> {
	return {
		name,
		arity: 1,
		apply: (s, v, cx) => {
			const m = max === "plen" ? (cx.fam === 4 ? 32 : 128) : max;
			const n = parseUint(v.args[0]!.text, m);
			if (n === undefined || n < min) return cx.error("invalid_value", `invalid --${name} "${v.args[0]!.text}": expected ${min}..${m}`, v.args[0]!);
			s[key] = n;
		},
	};
}

/** Every tuple word sets a full mask (prefix matching like strncasecmp with the given length). */
function tuple(s: S, text: string, cx: ExtContext, at: Word): void {
	const all = cx.fam === 4 ? 32 : 128;
	for (const item of text.split(",")) {
		const w = item.toLowerCase();
		const is = (full: string): boolean => w.length > 0 && full.startsWith(w);
		if (is("ct")) s.ct = true;
		else if (is("src")) s.srcPrefix = all;
		else if (is("dst")) s.dstPrefix = all;
		else if (is("sport")) s.sportMask = 0xffff;
		else if (is("dport")) s.dportMask = 0xffff;
		else if (is("proto")) s.protoMask = 0xff;
		else if (is("spi")) s.spiMask = 0xffffffff;
		else return cx.error("invalid_value", `bad --hmark-tuple type "${item}"`, at, "use src, dst, sport, dport, spi, proto or ct");
	}
	s.tupleSeen = true;
}

export const hmark = defineTarget<S>({
	name: "HMARK",
	options: [
		{ name: "hmark-tuple", arity: 1, apply: (s, v, cx) => tuple(s, v.args[0]!.text, cx, v.args[0]!) },
		num("hmark-src-prefix", "srcPrefix", "plen"),
		num("hmark-dst-prefix", "dstPrefix", "plen"),
		num("hmark-sport-mask", "sportMask", 0xffff),
		num("hmark-dport-mask", "dportMask", 0xffff),
		num("hmark-spi-mask", "spiMask", 0xffffffff),
		num("hmark-sport", "sport", 0xffff),
		num("hmark-dport", "dport", 0xffff),
		num("hmark-spi", "spi", 0xffffffff),
		num("hmark-proto-mask", "protoMask", 0xffff),
		num("hmark-rnd", "rnd", 0xffffffff),
		num("hmark-mod", "mod", 0xffffffff, 1),
		num("hmark-offset", "offset", 0xffffffff),
	],
	init: () => ({ ct: false, tupleSeen: false }),
	finish: (s, cx): Target | undefined => {
		if (s.mod === undefined) {
			cx.error("missing_argument", "HMARK needs --hmark-mod", cx.nameWord);
			return undefined;
		}
		if (s.rnd === undefined) {
			cx.error("missing_argument", "HMARK needs --hmark-rnd", cx.nameWord);
			return undefined;
		}
		if (s.spiMask !== undefined && (s.sportMask !== undefined || s.dportMask !== undefined)) {
			cx.error("conflicting_options", "--hmark-spi-mask cannot be combined with --hmark-sport-mask / --hmark-dport-mask", cx.nameWord);
			return undefined;
		}
		const pkt = [s.srcPrefix, s.dstPrefix, s.sportMask, s.dportMask, s.spiMask, s.sport, s.dport, s.spi, s.protoMask].some((x) => x !== undefined);
		if (!pkt && !s.ct) {
			cx.error("missing_argument", "HMARK needs --hmark-tuple or one of the --hmark-*-prefix / --hmark-*-mask options", cx.nameWord);
			return undefined;
		}
		const opt = <K extends NumKey>(k: K): Partial<Record<K, number>> => (s[k] !== undefined ? ({ [k]: s[k] } as Partial<Record<K, number>>) : {});
		return {
			kind: "hmark",
			ct: s.ct,
			...opt("srcPrefix"),
			...opt("dstPrefix"),
			...opt("sportMask"),
			...opt("dportMask"),
			...opt("spiMask"),
			...opt("sport"),
			...opt("dport"),
			...opt("spi"),
			...opt("protoMask"),
			rnd: s.rnd,
			mod: s.mod,
			offset: s.offset ?? 0,
		};
	},
});

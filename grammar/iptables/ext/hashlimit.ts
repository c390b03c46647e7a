/**
 * -m hashlimit: --hashlimit-upto/--hashlimit-above RATE (packets `N/unit` or bytes `Nkb/s`),
 * --hashlimit-burst, --hashlimit-mode srcip,dstip,srcport,dstport, --hashlimit-name (required),
 * --hashlimit-srcmask/dstmask, --hashlimit-htable-size/max/expire/gcinterval,
 * --hashlimit-rate-match, --hashlimit-rate-interval.
 */
import type { HashlimitKey, HashlimitMatch, RateUnit } from "../../../compiler/ir/ipt.js";
import { defineMatch, type OptionDef } from "../extension.js";
import { parseDec, parseUint } from "../values.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
interface S extends Partial<Omit<Mutable<HashlimitMatch>, "keys">> {
	keys: HashlimitKey[];
	burstText?: string;
}

const UNITS: Readonly<Record<string, RateUnit>> = {
	s: "second", sec: "second", second: "second",
	m: "minute", min: "minute", minute: "minute",
	h: "hour", hour: "hour",
	d: "day", day: "day",
};
const BYTE_UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1024, mb: 1024 * 1024 };
/** xt_hashlimit revision 2+ scales the cost by 10^6: at most 1000000 packets per second. */
const MAX_PER_SECOND = 1_000_000;
const SECONDS: Readonly<Record<RateUnit, number>> = { second: 1, minute: 60, hour: 3600, day: 86400 };
const NAME_MAX = 15; // IFNAMSIZ - 1

type Rate = { mode: "packets"; rate: number; unit: RateUnit } | { mode: "bytes"; rate: number; unit: RateUnit };

export function parseHashlimitRate(t: string): Rate | undefined {
	const b = /^([0-9]+)(b|kb|mb)\/s(?:ec(?:ond)?)?$/.exec(t);
	if (b) {
		const n = parseDec(b[1]!, 0xffffffff);
		const mult = BYTE_UNITS[b[2]!];
		if (n === undefined || n === 0 || mult === undefined) return undefined;
		return { mode: "bytes", rate: n * mult, unit: "second" };
	}
	const m = /^([0-9]+)(?:\/([a-z]+))?$/.exec(t);
	if (!m) return undefined;
	const unitWord = m[2] ?? "second";
	const unit = Object.prototype.hasOwnProperty.call(UNITS, unitWord) ? UNITS[unitWord] : undefined;
	const n = parseDec(m[1]!, 0xffffffff);
	if (n === undefined || n === 0 || unit === undefined || n / SECONDS[unit] > MAX_PER_SECOND) return undefined;
	return { mode: "packets", rate: n, unit };
}

function rateOption(name: "hashlimit-upto" | "hashlimit-above", aliases: string[] = []): OptionDef<S> {
	return {
		name,
		aliases,
		arity: 1,
		negatable: true,
		apply: (s, v, cx) => {
			if (s.rate !== undefined) return cx.error("conflicting_options", "--hashlimit-upto and --hashlimit-above cannot be combined", v.word);
			const r = parseHashlimitRate(v.args[0]!.text);
			if (r === undefined)
				return cx.error("invalid_value", `invalid rate "${v.args[0]!.text}"`, v.args[0]!, "expected N/second (…/minute, /hour, /day; at most 1000000/s) or Nb/s, Nkb/s, Nmb/s");
			s.rate = r.rate;
			s.unit = r.unit;
			s.mode = r.mode;
			s.above = (name === "hashlimit-above") !== v.neg;
		},
	};
}

function numOption(name: string, key: "htableSize" | "htableMax" | "gcIntervalMs" | "expireMs" | "rateInterval"): OptionDef<S> {
	return {
		name,
		arity: 1,
		apply: (s, v, cx) => {
			const n = parseUint(v.args[0]!.text, 0xffffffff);
			if (n === undefined) return cx.error("invalid_value", `invalid --${name} "${v.args[0]!.text}"`, v.args[0]!);
			s[key] = n;
		},
	};
}

function maskOption(name: string, key: "srcPrefix" | "dstPrefix"): OptionDef<S> {
	return {
		name,
		arity: 1,
		apply: (s, v, cx) => {
			const max = cx.fam === 4 ? 32 : 128;
			const n = parseUint(v.args[0]!.text, max);
			if (n === undefined) return cx.error("invalid_value", `invalid --${name} "${v.args[0]!.text}": expected 0..${max}`, v.args[0]!);
			s[key] = n;
		},
	};
}

export const hashlimit = defineMatch<S>({
	name: "hashlimit",
	options: [
		rateOption("hashlimit-upto", ["hashlimit"]),
		rateOption("hashlimit-above"),
		{
			name: "hashlimit-burst",
			arity: 1,
			apply: (s, v) => {
				s.burstText = v.args[0]!.text;
			},
		},
		{
			name: "hashlimit-mode",
			arity: 1,
			apply: (s, v, cx) => {
				const keys: HashlimitKey[] = [];
				for (const k of v.args[0]!.text.split(",")) {
					if (k !== "srcip" && k !== "dstip" && k !== "srcport" && k !== "dstport")
						return cx.error("invalid_value", `unknown --hashlimit-mode "${k}"`, v.args[0]!, "modes are srcip, srcport, dstip, dstport");
					if (!keys.includes(k)) keys.push(k);
				}
				s.keys = keys;
			},
		},
		{
			name: "hashlimit-name",
			arity: 1,
			apply: (s, v, cx) => {
				const n = v.args[0]!.text;
				if (n === "" || Buffer.byteLength(n, "utf8") > NAME_MAX)
					return cx.error("invalid_value", `--hashlimit-name must be 1..${NAME_MAX} bytes`, v.args[0]!);
				s.name = n;
			},
		},
		maskOption("hashlimit-srcmask", "srcPrefix"),
		maskOption("hashlimit-dstmask", "dstPrefix"),
		numOption("hashlimit-htable-size", "htableSize"),
		numOption("hashlimit-htable-max", "htableMax"),
		numOption("hashlimit-htable-gcinterval", "gcIntervalMs"),
		numOption("hashlimit-htable-expire", "expireMs"),
		numOption("hashlimit-rate-interval", "rateInterval"),
		{
			name: "hashlimit-rate-match",
			arity: 0,
			apply: (s) => {
				s.rateMatch = true;
			},
		},
	],
	init: () => ({ keys: [] }),
	finish: (s, cx): HashlimitMatch | undefined => {
		if (s.rate === undefined || s.unit === undefined || s.mode === undefined || s.above === undefined) {
			cx.error("missing_argument", "-m hashlimit needs --hashlimit-upto RATE or --hashlimit-above RATE", cx.nameWord);
			return undefined;
		}
		if (s.name === undefined) {
			cx.error("missing_argument", "-m hashlimit needs --hashlimit-name NAME", cx.nameWord);
			return undefined;
		}
		let burst: number | undefined;
		if (s.burstText !== undefined) {
			const m = /^([0-9]+)(b|kb|mb)?$/.exec(s.burstText);
			const n = m ? parseDec(m[1]!, 0xffffffff) : undefined;
			const unit = m?.[2];
			if (n === undefined || (unit !== undefined && s.mode !== "bytes") || (s.mode === "packets" && n === 0)) {
				cx.error("invalid_value", `invalid --hashlimit-burst "${s.burstText}"`, cx.nameWord, s.mode === "bytes" ? "expected N, Nkb or Nmb" : "expected a packet count 1..4294967295");
				return undefined;
			}
			burst = n * (unit !== undefined ? BYTE_UNITS[unit]! : 1);
		}
		const full = cx.fam === 4 ? 32 : 128;
		return {
			kind: "hashlimit",
			name: s.name,
			above: s.above,
			mode: s.mode,
			rate: s.rate,
			unit: s.unit,
			...(burst !== undefined ? { burst } : s.mode === "packets" ? { burst: 5 } : {}),
			keys: s.keys,
			srcPrefix: s.srcPrefix ?? full,
			dstPrefix: s.dstPrefix ?? full,
			expireMs: s.expireMs ?? 10000,
			...(s.htableSize !== undefined ? { htableSize: s.htableSize } : {}),
			...(s.htableMax !== undefined ? { htableMax: s.htableMax } : {}),
			...(s.gcIntervalMs !== undefined ? { gcIntervalMs: s.gcIntervalMs } : {}),
			rateMatch: s.rateMatch ?? false,
			...(s.rateInterval !== undefined ? { rateInterval: s.rateInterval } : {}),
		};
	},
});

/**
 * -m hbh (IPv6 Hop-by-Hop Options header) and, through optsHeaderMatch, its twin -m dst
 * (Destination Options header, dst.ts); ip6t_hbh serves both. `--hbh-len N` is the header length
 * in bytes; `--hbh-opts TYPE[:LEN],…` the first options of the header, in order (at most 16).
 */
import type { Neg, OptSpec, OptsHdrMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch, type ExtContext, type Extension } from "../extension.js";
import type { Match } from "../../../compiler/ir/ipt.js";
import { parseUint } from "../values.js";
import type { Word } from "../words.js";
import { uint } from "./u32.js";

interface S {
	len?: Neg<number>;
	opts?: readonly OptSpec[];
}

/** IP6T_OPTS_OPTSNR: the kernel struct holds 16 entries. */
const MAX_OPTS = 16;

/**
 * libip6t_hbh's parse_options: strtoul numbers truncated to 8 bits, no length = any length;
 * Pad1 (type 0) has no length byte; the 16th entry may not carry a length (upstream quirk).
 */
function parseOpts(cx: ExtContext, w: Word, name: string): OptSpec[] | undefined {
	const parts = w.text.split(",");
	if (parts.length > MAX_OPTS) {
		cx.error("invalid_value", `too many options in --${name}-opts (at most ${MAX_OPTS})`, w);
		return undefined;
	}
	const out: OptSpec[] = [];
	for (let i = 0; i < parts.length; i++) {
		const part = parts[i]!;
		const colon = part.indexOf(":");
		if (colon >= 0 && i === MAX_OPTS - 1) {
			cx.error("invalid_value", `the ${MAX_OPTS}th entry of --${name}-opts cannot carry a length`, w);
			return undefined;
		}
		const typeText = colon >= 0 ? part.slice(0, colon) : part;
		const type = parseUint(typeText, Number.MAX_SAFE_INTEGER);
		if (type === undefined) {
			cx.error("invalid_value", `invalid option type "${typeText}" in --${name}-opts`, w);
			return undefined;
		}
		const t = type % 256;
		if (colon < 0) {
			out.push({ type: t });
			continue;
		}
		if (t === 0) {
			cx.error("invalid_value", `option type 0 (Pad1) has no length in --${name}-opts`, w);
			return undefined;
		}
		const lenText = part.slice(colon + 1);
		const len = parseUint(lenText, Number.MAX_SAFE_INTEGER);
		if (len === undefined) {
			cx.error("invalid_value", `invalid option length "${lenText}" in --${name}-opts`, w);
			return undefined;
		}
		// 0xff is iptables' "any length" marker, so an explicit 255 means the same.
		out.push(len % 256 === 0xff ? { type: t } : { type: t, len: len % 256 });
	}
	return out;
}

export function optsHeaderMatch(name: "hbh" | "dst"): Extension<Match> {
	return defineMatch<S>({
		name,
		family: "ip6",
		options: [
			{
				name: `${name}-len`,
				arity: 1,
				negatable: true,
				apply: (s, v, cx) => {
					const n = uint(cx, v.args[0]!, 0xffffffff, "header length");
					if (n !== undefined) s.len = { value: n, neg: v.neg };
				},
			},
			{
				name: `${name}-opts`,
				arity: 1,
				apply: (s, v, cx) => {
					const o = parseOpts(cx, v.args[0]!, name);
					if (o !== undefined) s.opts = o;
				},
			},
		],
		init: () => ({}),
		finish: (s): OptsHdrMatch => ({ kind: name, ...s }),
	});
}

export const hbh = optsHeaderMatch("hbh");

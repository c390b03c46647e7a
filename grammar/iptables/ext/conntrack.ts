/** -m conntrack: state, status, protocol, original/reply tuple, direction, expiry. */
import type { AddrMask, ConntrackMatch, CtStatusName, Neg, PortRange } from "../../../compiler/ir/ipt.js";
import { defineMatch, take, type OptionDef } from "../extension.js";
import { Bad, parseAddrMask, parsePortRange, parseProtocol } from "../values.js";
import { parseStates } from "./ctstate.js";

type S = { -readonly [K in keyof ConntrackMatch]?: ConntrackMatch[K] };

const STATUSES: ReadonlySet<string> = new Set(["NONE", "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED"]);

function parseStatus(s: string): CtStatusName[] | Bad {
	const out: CtStatusName[] = [];
	for (const p of s.split(",")) {
		const u = p.toUpperCase();
		if (!STATUSES.has(u)) return new Bad("invalid_value", `unknown conntrack status "${p}"`, "statuses are NONE, EXPECTED, SEEN_REPLY, ASSURED, CONFIRMED");
		out.push(u as CtStatusName);
	}
	return out;
}

type AddrKey = "origSrc" | "origDst" | "replSrc" | "replDst";
type PortKey = "origSrcPort" | "origDstPort" | "replSrcPort" | "replDstPort";

function addrOpt(name: string, key: AddrKey): OptionDef<S> {
	return {
		name,
		arity: 1,
		negatable: true,
		apply: (s, v, cx) => {
			const r = take<AddrMask>(cx, parseAddrMask(v.args[0]!.text, cx.fam), v.args[0]!);
			if (r) s[key] = { value: r, neg: v.neg };
		},
	};
}

function portOpt(name: string, key: PortKey): OptionDef<S> {
	return {
		name,
		arity: 1,
		negatable: true,
		apply: (s, v, cx) => {
			const r = take<PortRange>(cx, parsePortRange(v.args[0]!.text), v.args[0]!);
			if (r) s[key] = { value: r, neg: v.neg } satisfies Neg<PortRange>;
		},
	};
}

export const conntrack = defineMatch<S>({
	name: "conntrack",
	options: [
		{
			name: "ctstate",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = take(cx, parseStates(v.args[0]!.text, true), v.args[0]!);
				if (r) s.state = { value: r, neg: v.neg };
			},
		},
		{
			name: "ctstatus",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = take(cx, parseStatus(v.args[0]!.text), v.args[0]!);
				if (r) s.status = { value: r, neg: v.neg };
			},
		},
		{
			name: "ctproto",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = take(cx, parseProtocol(v.args[0]!.text), v.args[0]!);
				if (r === undefined) return;
				if (r === 0) return cx.error("invalid_value", "--ctproto 0 would never match; leave the option out", v.args[0]!);
				s.proto = { value: r, neg: v.neg };
			},
		},
		addrOpt("ctorigsrc", "origSrc"),
		addrOpt("ctorigdst", "origDst"),
		addrOpt("ctreplsrc", "replSrc"),
		addrOpt("ctrepldst", "replDst"),
		portOpt("ctorigsrcport", "origSrcPort"),
		portOpt("ctorigdstport", "origDstPort"),
		portOpt("ctreplsrcport", "replSrcPort"),
		portOpt("ctrepldstport", "replDstPort"),
		{
			name: "ctdir",
			arity: 1,
			apply: (s, v, cx) => {
				const d = v.args[0]!.text.toUpperCase();
				if (d !== "ORIGINAL" && d !== "REPLY") return cx.error("invalid_value", `--ctdir must be ORIGINAL or REPLY, not "${v.args[0]!.text}"`, v.args[0]!);
				s.dir = d;
			},
		},
		{
			name: "ctexpire",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = take(cx, parsePortRange(v.args[0]!.text, ":", 0xffffffff), v.args[0]!);
				if (r) s.expire = { value: r, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (Object.keys(s).length === 0) {
			cx.error("missing_argument", "-m conntrack needs at least one option (e.g. --ctstate)", cx.nameWord);
			return undefined;
		}
		return { kind: "conntrack", ...s };
	},
});

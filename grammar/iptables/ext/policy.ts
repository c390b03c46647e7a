/**
 * -m policy --dir in|out --pol ipsec|none [--strict] and per-element --reqid/--spi/--proto/
 * --mode/--tunnel-src/--tunnel-dst, with --next starting the next element (strict only).
 */
import type { Neg, PolicyElem, PolicyMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch, take, type OptionDef } from "../extension.js";
import { parseAddrMask, parseProtocol, parseUint } from "../values.js";

type Elem = { -readonly [K in keyof PolicyElem]?: PolicyElem[K] };

interface S {
	dir?: "in" | "out";
	pol?: "ipsec" | "none";
	strict: boolean;
	elems: Elem[];
}

function cur(s: S): Elem {
	let e = s.elems[s.elems.length - 1];
	if (e === undefined) {
		e = {};
		s.elems.push(e);
	}
	return e;
}

function elemOpt(name: string, set: (e: Elem, text: string, neg: boolean) => string | undefined): OptionDef<S> {
	return {
		name,
		arity: 1,
		negatable: true,
		repeatable: true, // once per element (after --next)
		apply: (s, v, cx) => {
			const e = cur(s);
			const err = set(e, v.args[0]!.text, v.neg);
			if (err !== undefined) cx.error("invalid_value", err, v.args[0]!);
		},
	};
}

export const policy = defineMatch<S>({
	name: "policy",
	options: [
		{
			name: "dir",
			arity: 1,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text;
				if (t !== "in" && t !== "out") return cx.error("invalid_value", `invalid --dir "${t}"`, v.args[0]!, "use in or out");
				s.dir = t;
			},
		},
		{
			name: "pol",
			arity: 1,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text;
				if (t !== "ipsec" && t !== "none") return cx.error("invalid_value", `invalid --pol "${t}"`, v.args[0]!, "use ipsec or none");
				s.pol = t;
			},
		},
		{ name: "strict", arity: 0, apply: (s) => void (s.strict = true) },
		elemOpt("reqid", (e, t, neg) => {
			const n = parseUint(t, 0xffffffff);
			if (n === undefined) return `invalid reqid "${t}"`;
			e.reqid = { value: n, neg };
			return undefined;
		}),
		elemOpt("spi", (e, t, neg) => {
			const n = parseUint(t, 0xffffffff);
			if (n === undefined) return `invalid SPI "${t}"`;
			e.spi = { value: n, neg };
			return undefined;
		}),
		elemOpt("proto", (e, t, neg) => {
			const p = parseProtocol(t);
			if (typeof p !== "number" || (p !== 50 && p !== 51 && p !== 108)) return `invalid --proto "${t}": expected esp, ah or ipcomp`;
			e.proto = { value: p, neg };
			return undefined;
		}),
		elemOpt("mode", (e, t, neg) => {
			if (t !== "tunnel" && t !== "transport") return `invalid --mode "${t}": expected tunnel or transport`;
			e.mode = { value: t, neg } satisfies Neg<"tunnel" | "transport">;
			return undefined;
		}),
		{
			name: "tunnel-src",
			arity: 1,
			negatable: true,
			repeatable: true,
			apply: (s, v, cx) => {
				const a = take(cx, parseAddrMask(v.args[0]!.text, cx.fam), v.args[0]!);
				if (a !== undefined) cur(s).tunnelSrc = { value: a, neg: v.neg };
			},
		},
		{
			name: "tunnel-dst",
			arity: 1,
			negatable: true,
			repeatable: true,
			apply: (s, v, cx) => {
				const a = take(cx, parseAddrMask(v.args[0]!.text, cx.fam), v.args[0]!);
				if (a !== undefined) cur(s).tunnelDst = { value: a, neg: v.neg };
			},
		},
		{
			name: "next",
			arity: 0,
			repeatable: true,
			apply: (s, v, cx) => {
				if (!s.strict) return cx.error("conflicting_options", "--next needs --strict", v.word);
				if (s.elems.length === 0) return cx.error("conflicting_options", "--next before any policy element", v.word);
				s.elems.push({});
			},
		},
	],
	init: () => ({ strict: false, elems: [] }),
	finish: (s, cx): PolicyMatch | undefined => {
		if (s.dir === undefined || s.pol === undefined) {
			cx.error("missing_argument", "-m policy needs --dir and --pol", cx.nameWord);
			return undefined;
		}
		const b = cx.builtin;
		if (b !== undefined && ((s.dir === "in" && (b === "OUTPUT" || b === "POSTROUTING")) || (s.dir === "out" && (b === "PREROUTING" || b === "INPUT")))) {
			cx.error("conflicting_options", `--dir ${s.dir} is not valid in ${b}`, cx.nameWord);
			return undefined;
		}
		const elems = s.elems.filter((e) => Object.keys(e).length > 0);
		if (s.pol === "none" && elems.length > 0) {
			cx.error("conflicting_options", "--pol none takes no policy element options", cx.nameWord);
			return undefined;
		}
		if (s.strict && elems.length === 0) {
			cx.error("missing_argument", "--strict needs at least one policy element (--reqid, --spi, --proto, --mode, --tunnel-*)", cx.nameWord);
			return undefined;
		}
		// libxt_policy: tunnel endpoints exist only for tunnel-mode transforms.
		if (elems.some((e) => (e.tunnelSrc !== undefined || e.tunnelDst !== undefined) && (e.mode === undefined || (e.mode.value === "tunnel") === e.mode.neg))) {
			cx.error("conflicting_options", "--tunnel-src/--tunnel-dst need --mode tunnel", cx.nameWord);
			return undefined;
		}
		if (!s.strict && elems.length > 1) {
			cx.error("conflicting_options", "several policy elements need --strict", cx.nameWord);
			return undefined;
		}
		return { kind: "policy", dir: s.dir, pol: s.pol, strict: s.strict, elems };
	},
});

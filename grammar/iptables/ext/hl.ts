/**
 * -m hl (ip6tables: --hl-eq/--hl-lt/--hl-gt) and -m ttl (iptables: --ttl-eq/--ttl-lt/--ttl-gt).
 * Exactly one comparison; only the -eq form can be negated (libxt_hl).
 */
import type { HlMatch } from "../../../compiler/ir/ipt.js";
import { defineMatch, type OptionDef } from "../extension.js";
import { uint } from "./u32.js";

interface S {
	op?: HlMatch["op"];
	value?: number;
}

function cmp(prefix: "hl" | "ttl", op: "eq" | "lt" | "gt"): OptionDef<S> {
	return {
		name: `${prefix}-${op}`,
		arity: 1,
		negatable: op === "eq",
		apply: (s, v, cx) => {
			if (s.op !== undefined) return cx.error("conflicting_options", `only one of --${prefix}-eq, --${prefix}-lt, --${prefix}-gt`, v.word);
			const n = uint(cx, v.args[0]!, 255, prefix === "hl" ? "hop limit" : "TTL");
			if (n === undefined) return;
			s.op = v.neg ? "ne" : op;
			s.value = n;
		},
	};
}

function make(prefix: "hl" | "ttl") {
	return defineMatch<S>({
		name: prefix,
		family: prefix === "hl" ? "ip6" : "ip",
		options: [cmp(prefix, "eq"), cmp(prefix, "lt"), cmp(prefix, "gt")],
		init: () => ({}),
		finish: (s, cx) => {
			if (s.op === undefined || s.value === undefined) {
				cx.error("missing_argument", `-m ${prefix} needs --${prefix}-eq, --${prefix}-lt or --${prefix}-gt`, cx.nameWord);
				return undefined;
			}
			return { kind: "hl", op: s.op, value: s.value };
		},
	});
}

export const hl = make("hl");
export const ttl = make("ttl");

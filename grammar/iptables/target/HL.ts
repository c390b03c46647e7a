/** -j TTL (iptables) / -j HL (ip6tables): --ttl-set/--ttl-dec/--ttl-inc, --hl-*; mangle only. */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget, type OptionDef } from "../extension.js";
import { parseUint } from "../values.js";

interface S {
	op?: "set" | "inc" | "dec";
	value?: number;
}

function opt(prefix: "ttl" | "hl", op: "set" | "inc" | "dec"): OptionDef<S> {
	return {
		name: `${prefix}-${op}`,
		arity: 1,
		apply: (s, v, cx) => {
			if (s.op !== undefined) return cx.error("conflicting_options", `only one of --${prefix}-set, --${prefix}-dec, --${prefix}-inc`, v.word);
			const n = parseUint(v.args[0]!.text, 255);
			if (n === undefined) return cx.error("invalid_value", `invalid value "${v.args[0]!.text}": expected 0..255`, v.args[0]!);
			if (n === 0 && op !== "set") return cx.error("invalid_value", `--${prefix}-${op} 0 makes no sense`, v.args[0]!);
			s.op = op;
			s.value = n;
		},
	};
}

function make(prefix: "ttl" | "hl") {
	const name = prefix.toUpperCase();
	return defineTarget<S>({
		name,
		family: prefix === "ttl" ? "ip" : "ip6",
		options: [opt(prefix, "set"), opt(prefix, "dec"), opt(prefix, "inc")],
		init: () => ({}),
		finish: (s, cx): Target | undefined => {
			if (s.op === undefined || s.value === undefined) {
				cx.error("missing_argument", `${name} needs --${prefix}-set, --${prefix}-dec or --${prefix}-inc`, cx.nameWord);
				return undefined;
			}
			if (cx.table !== "mangle") {
				cx.error("target_not_allowed_here", `${name} is only valid in the mangle table, not ${cx.table}`, cx.nameWord);
				return undefined;
			}
			return { kind: "hl-set", op: s.op, value: s.value };
		},
	});
}

export const ttlTarget = make("ttl");
export const hlTarget = make("hl");

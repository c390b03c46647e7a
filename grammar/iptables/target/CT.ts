/**
 * -j CT: only `--notrack` is translated; every other CT option keeps the rule as an unknown
 * target (reported). Raw table only.
 */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget, type OptionDef } from "../extension.js";
import { parseDec } from "../values.js";
import { checkPlace } from "./nat.js";

interface S {
	notrack: boolean;
	other: string[];
}

function other(name: string, arity: 0 | 1, check?: (t: string) => boolean): OptionDef<S> {
	return {
		name,
		arity,
		apply: (s, v, cx) => {
			const a = v.args[0];
			if (a !== undefined && check !== undefined && !check(a.text)) return cx.error("invalid_value", `invalid --${name} "${a.text}"`, a);
			s.other.push(`--${name}`, ...v.args.map((w) => w.text));
			cx.error("unsupported_option", `CT --${name} is not supported yet; the rule is kept untranslated`, v.word);
		},
	};
}

const zone = (t: string): boolean => /^(?:mark|[0-9]+)$/.test(t.replace(/^(?:orig|reply)?/, "")) && (t === "mark" || parseDec(t, 65535) !== undefined);

export const ct = defineTarget<S>({
	name: "CT",
	options: [
		{ name: "notrack", arity: 0, apply: (s) => void (s.notrack = true) },
		other("zone", 1, zone),
		other("zone-orig", 1, zone),
		other("zone-reply", 1, zone),
		other("helper", 1),
		other("ctevents", 1),
		other("expevents", 1),
		other("timeout", 1),
	],
	init: () => ({ notrack: false, other: [] }),
	finish: (s, cx): Target | undefined => {
		if (!checkPlace(cx, "CT", "raw", ["PREROUTING", "OUTPUT"])) return undefined;
		if (s.other.length > 0) return { kind: "unknown", name: "CT", args: [...(s.notrack ? ["--notrack"] : []), ...s.other] };
		if (!s.notrack) {
			cx.error("unsupported_option", "CT without --notrack is not supported yet; the rule is kept untranslated", cx.nameWord);
			return { kind: "unknown", name: "CT", args: [] };
		}
		return { kind: "notrack" };
	},
});

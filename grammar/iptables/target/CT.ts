/**
 * -j CT: --notrack, --zone/--zone-orig/--zone-reply N|mark, --helper, --ctevents, --expevents,
 * --timeout. Raw table only. Lowering decides what nft can express.
 */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget, type OptionDef } from "../extension.js";
import { parseUint } from "../values.js";
import { checkPlace } from "./nat.js";

type Zone = { id: number | "mark"; dir?: "orig" | "reply" };

interface S {
	notrack: boolean;
	zone?: Zone;
	helper?: string;
	ctevents?: string[];
	expevents?: string[];
	timeout?: string;
}

const CT_EVENTS = new Set(["new", "related", "destroy", "reply", "assured", "protoinfo", "helper", "mark", "natseqinfo", "secmark", "label"]);
const EXP_EVENTS = new Set(["new"]);

function zoneOpt(name: string, dir: "orig" | "reply" | undefined): OptionDef<S> {
	return {
		name,
		arity: 1,
		apply: (s, v, cx) => {
			if (s.zone !== undefined) return cx.error("conflicting_options", "only one --zone option", v.word);
			const t = v.args[0]!.text;
			const id = t === "mark" ? "mark" : parseUint(t, 65535);
			if (id === undefined) return cx.error("invalid_value", `invalid zone "${t}": expected 0..65535 or mark`, v.args[0]!);
			s.zone = dir === undefined ? { id } : { id, dir };
		},
	};
}

function events(name: "ctevents" | "expevents", known: ReadonlySet<string>): OptionDef<S> {
	return {
		name,
		arity: 1,
		apply: (s, v, cx) => {
			const list = v.args[0]!.text.split(",");
			const bad = list.find((e) => !known.has(e));
			if (bad !== undefined) return cx.error("invalid_value", `unknown event "${bad}"`, v.args[0]!, `events: ${[...known].join(", ")}`);
			s[name] = list;
		},
	};
}

export const ct = defineTarget<S>({
	name: "CT",
	options: [
		{ name: "notrack", arity: 0, apply: (s) => void (s.notrack = true) },
		zoneOpt("zone", undefined),
		zoneOpt("zone-orig", "orig"),
		zoneOpt("zone-reply", "reply"),
		{
			name: "helper",
			arity: 1,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text;
				if (t === "" || t.length > 15) return cx.error("invalid_value", `invalid helper name "${t}"`, v.args[0]!);
				s.helper = t;
			},
		},
		events("ctevents", CT_EVENTS),
		events("expevents", EXP_EVENTS),
		{ name: "timeout", arity: 1, apply: (s, v) => void (s.timeout = v.args[0]!.text) },
	],
	init: () => ({ notrack: false }),
	finish: (s, cx): Target | undefined => {
		if (!checkPlace(cx, "CT", "raw", ["PREROUTING", "OUTPUT"])) return undefined;
		const other = s.zone !== undefined || s.helper !== undefined || s.ctevents !== undefined || s.expevents !== undefined || s.timeout !== undefined;
		if (s.notrack) {
			// The kernel ignores every other option of an untracked template.
			if (other) cx.error("conflicting_options", "--notrack cannot be combined with other CT options", cx.nameWord);
			return other ? undefined : { kind: "notrack" };
		}
		const t: { -readonly [K in keyof Extract<Target, { kind: "ct" }>]: Extract<Target, { kind: "ct" }>[K] } = { kind: "ct" };
		if (s.zone !== undefined) t.zone = s.zone;
		if (s.helper !== undefined) t.helper = s.helper;
		if (s.ctevents !== undefined) t.ctevents = s.ctevents;
		if (s.expevents !== undefined) t.expevents = s.expevents;
		if (s.timeout !== undefined) t.timeout = s.timeout;
		return t;
	},
});

/** -m multiport --sports/--dports/--ports LIST (at most 15 ports; a range counts as 2). */
import type { MultiportMatch, PortRange } from "../../../compiler/ir/ipt.js";
import { defineMatch, type ExtContext, type OptionDef } from "../extension.js";
import { isBad, parsePortRange } from "../values.js";
import type { Word } from "../words.js";

interface S {
	m?: MultiportMatch;
	word?: Word;
}

const MAX_PORTS = 15;
const PROTOS: ReadonlySet<number> = new Set([6, 17, 33, 132, 136]);

function parseList(cx: ExtContext, w: Word): PortRange[] | undefined {
	const out: PortRange[] = [];
	let slots = 0;
	let off = 0;
	for (const part of w.text.split(",")) {
		const at = { text: part, offset: w.offset + off, length: part.length };
		off += part.length + 1;
		const r = parsePortRange(part);
		if (isBad(r)) {
			cx.bad(r, at);
			return undefined;
		}
		slots += part.includes(":") ? 2 : 1;
		out.push(r);
	}
	if (slots > MAX_PORTS) {
		cx.error("invalid_value", `too many ports for multiport (at most ${MAX_PORTS}; a range counts as 2)`, w, "split the rule, or let ipt2nft merge it into a set");
		return undefined;
	}
	return out;
}

function opt(name: string, aliases: string[], dir: MultiportMatch["dir"]): OptionDef<S> {
	return {
		name,
		aliases,
		arity: 1,
		negatable: true,
		apply: (s, v, cx) => {
			if (s.m !== undefined) return cx.error("conflicting_options", "multiport takes only one of --sports, --dports, --ports", v.word);
			const ports = parseList(cx, v.args[0]!);
			if (ports) s.m = { kind: "multiport", dir, ports: { value: ports, neg: v.neg } };
		},
	};
}

export const multiport = defineMatch<S>({
	name: "multiport",
	options: [
		opt("source-ports", ["sports"], "src"),
		opt("destination-ports", ["dports"], "dst"),
		opt("ports", [], "any"),
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.m === undefined) {
			cx.error("missing_argument", "-m multiport needs --sports, --dports or --ports", cx.nameWord);
			return undefined;
		}
		if (cx.proto === undefined || !PROTOS.has(cx.proto) || cx.protoNeg) {
			cx.error("protocol_required", "multiport needs -p tcp, udp, udplite, sctp or dccp", cx.nameWord);
			return undefined;
		}
		return s.m;
	},
});

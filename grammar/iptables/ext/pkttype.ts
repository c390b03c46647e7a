/** -m pkttype --pkt-type unicast|broadcast|multicast (host/otherhost/… are kept untranslated). */
import type { Match, Neg, PktType } from "../../../compiler/ir/ipt.js";
import { defineMatch } from "../extension.js";

interface S {
	type?: Neg<PktType>;
	other?: string[];
}

const OTHER: ReadonlySet<string> = new Set(["host", "otherhost", "outgoing", "loopback", "fastroute"]);

export const pkttype = defineMatch<S>({
	name: "pkttype",
	options: [
		{
			name: "pkt-type",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text.toLowerCase();
				if (t === "unicast" || t === "broadcast" || t === "multicast") s.type = { value: t, neg: v.neg };
				else if (OTHER.has(t)) {
					s.other = [...(v.neg ? ["!"] : []), "--pkt-type", t];
					cx.error("unsupported_option", `--pkt-type ${t} is not supported yet; the rule is kept untranslated`, v.args[0]!);
				} else cx.error("invalid_value", `unknown packet type "${v.args[0]!.text}"`, v.args[0]!, "types are unicast, broadcast, multicast");
			},
		},
	],
	init: () => ({}),
	finish: (s, cx): Match | undefined => {
		if (s.other) return { kind: "unknown", name: "pkttype", args: s.other };
		if (s.type === undefined) {
			cx.error("missing_argument", "-m pkttype needs --pkt-type", cx.nameWord);
			return undefined;
		}
		return { kind: "pkttype", type: s.type };
	},
});

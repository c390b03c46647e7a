/**
 * -j TEE --gateway ADDR [--oif DEV]: route a copy of the packet to ADDR (xt_TEE, any table).
 * libxt_TEE reads --gateway as a host (we take addresses only: iptables resolves names once, when
 * the rule is added) and --oif as a string of at most 15 bytes; the kernel refuses 0.0.0.0 / ::.
 */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget } from "../extension.js";
import { isBad, parseAddr } from "../values.js";

interface S {
	gateway?: bigint;
	oif?: string;
}

export const tee = defineTarget<S>({
	name: "TEE",
	options: [
		{
			name: "gateway",
			arity: 1,
			apply: (s, v, cx) => {
				const a = parseAddr(v.args[0]!.text, cx.fam);
				if (isBad(a)) return cx.bad(a, v.args[0]!);
				if (a === 0n) return cx.error("invalid_value", "TEE --gateway cannot be the unspecified address (the kernel refuses it)", v.args[0]!);
				s.gateway = a;
			},
		},
		{
			name: "oif",
			arity: 1,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text;
				if (t.length === 0 || Buffer.byteLength(t) > 15) return cx.error("invalid_interface", `TEE --oif "${t}" must be 1..15 bytes`, v.args[0]!);
				s.oif = t;
			},
		},
	],
	init: () => ({}),
	finish: (s, cx): Target | undefined => {
		if (s.gateway === undefined) {
			cx.error("missing_argument", "TEE needs --gateway", cx.nameWord);
			return undefined;
		}
		return { kind: "tee", fam: cx.fam, gateway: s.gateway, ...(s.oif !== undefined ? { oif: s.oif } : {}) };
	},
});

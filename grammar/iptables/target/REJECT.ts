/**
 * -j REJECT [--reject-with TYPE]. The kernel registers REJECT for the filter table's INPUT,
 * FORWARD and OUTPUT hooks only, and tcp-reset needs `-p tcp`.
 */
import type { RejectWith, Target } from "../../../compiler/ir/ipt.js";
import { defineTarget } from "../extension.js";
import type { Word } from "../words.js";
import { checkPlace } from "./nat.js";

const V4: Readonly<Record<string, RejectWith>> = {
	"icmp-net-unreachable": "icmp-net-unreachable", "net-unreach": "icmp-net-unreachable",
	"icmp-host-unreachable": "icmp-host-unreachable", "host-unreach": "icmp-host-unreachable",
	"icmp-port-unreachable": "icmp-port-unreachable", "port-unreach": "icmp-port-unreachable",
	"icmp-proto-unreachable": "icmp-proto-unreachable", "proto-unreach": "icmp-proto-unreachable",
	"icmp-net-prohibited": "icmp-net-prohibited", "net-prohib": "icmp-net-prohibited",
	"icmp-host-prohibited": "icmp-host-prohibited", "host-prohib": "icmp-host-prohibited",
	"icmp-admin-prohibited": "icmp-admin-prohibited", "admin-prohib": "icmp-admin-prohibited",
	"tcp-reset": "tcp-reset", "tcp-rst": "tcp-reset",
};

const V6: Readonly<Record<string, RejectWith>> = {
	"icmp6-no-route": "icmp6-no-route", "no-route": "icmp6-no-route",
	"icmp6-adm-prohibited": "icmp6-adm-prohibited", "adm-prohibited": "icmp6-adm-prohibited",
	"icmp6-addr-unreachable": "icmp6-addr-unreachable", "addr-unreach": "icmp6-addr-unreachable",
	"icmp6-port-unreachable": "icmp6-port-unreachable", "port-unreach": "icmp6-port-unreachable",
	"icmp6-policy-fail": "icmp6-policy-fail", "policy-fail": "icmp6-policy-fail",
	"icmp6-reject-route": "icmp6-reject-route", "reject-route": "icmp6-reject-route",
	"tcp-reset": "tcp-reset", "tcp-rst": "tcp-reset",
};

interface S {
	with?: RejectWith;
	withWord?: Word;
}

export const reject = defineTarget<S>({
	name: "REJECT",
	options: [
		{
			name: "reject-with",
			arity: 1,
			apply: (s, v, cx) => {
				const t = v.args[0]!.text;
				const table = cx.fam === 4 ? V4 : V6;
				const hit = Object.prototype.hasOwnProperty.call(table, t) ? table[t] : undefined;
				if (hit === undefined) {
					const other = cx.fam === 4 ? V6 : V4;
					const wrongFamily = Object.prototype.hasOwnProperty.call(other, t);
					return cx.error(
						wrongFamily ? "family_mismatch" : "invalid_value",
						wrongFamily ? `--reject-with ${t} is for ${cx.fam === 4 ? "ip6tables" : "iptables"}` : `unknown reject type "${t}"`,
						v.args[0]!,
						`types are ${Object.keys(table).filter((k) => table[k] === k).join(", ")}`,
					);
				}
				s.with = hit;
				s.withWord = v.args[0]!;
			},
		},
	],
	init: () => ({}),
	finish: (s, cx): Target | undefined => {
		const w = s.with ?? (cx.fam === 4 ? "icmp-port-unreachable" : "icmp6-port-unreachable");
		if (w === "tcp-reset" && (cx.proto !== 6 || cx.protoNeg)) {
			cx.error("protocol_required", "--reject-with tcp-reset needs -p tcp", s.withWord ?? cx.nameWord);
			return undefined;
		}
		if (!checkPlace(cx, "REJECT", "filter", ["INPUT", "FORWARD", "OUTPUT"])) return undefined;
		return { kind: "reject", with: w };
	},
});

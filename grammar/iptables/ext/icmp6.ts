/** -m icmp6 / -m icmpv6 --icmpv6-type NAME|TYPE[/CODE] (IPv6); needs -p icmpv6. */
import type { IcmpMatch, Neg } from "../../../compiler/ir/ipt.js";
import { defineMatch, take } from "../extension.js";
import { parseIcmpSpec } from "./icmp.js";
import { requireProto } from "./tcp.js";

const ICMP6_NAMES: Readonly<Record<string, readonly [number, number, number]>> = {
	"destination-unreachable": [1, 0, 255], "no-route": [1, 0, 0],
	"communication-prohibited": [1, 1, 1], "beyond-scope": [1, 2, 2], "address-unreachable": [1, 3, 3],
	"port-unreachable": [1, 4, 4], "failed-policy": [1, 5, 5], "reject-route": [1, 6, 6],
	"packet-too-big": [2, 0, 255],
	"time-exceeded": [3, 0, 255], "ttl-exceeded": [3, 0, 255], "ttl-zero-during-transit": [3, 0, 0],
	"ttl-zero-during-reassembly": [3, 1, 1],
	"parameter-problem": [4, 0, 255], "bad-header": [4, 0, 0], "unknown-header-type": [4, 1, 1],
	"unknown-option": [4, 2, 2],
	"echo-request": [128, 0, 255], ping: [128, 0, 255], "echo-reply": [129, 0, 255], pong: [129, 0, 255],
	"mld-listener-query": [130, 0, 255], "mld-listener-report": [131, 0, 255],
	"mld-listener-done": [132, 0, 255], "mld-listener-reduction": [132, 0, 255],
	"router-solicitation": [133, 0, 255], "router-advertisement": [134, 0, 255],
	"neighbour-solicitation": [135, 0, 255], "neighbor-solicitation": [135, 0, 255],
	"neighbour-advertisement": [136, 0, 255], "neighbor-advertisement": [136, 0, 255],
	redirect: [137, 0, 255],
};

interface S {
	spec?: Neg<IcmpMatch["spec"]["value"]>;
}

export const icmp6 = defineMatch<S>({
	name: "icmp6",
	aliases: ["icmpv6"],
	family: "ip6",
	options: [
		{
			name: "icmpv6-type",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = take(cx, parseIcmpSpec(v.args[0]!.text, ICMP6_NAMES, "ICMPv6"), v.args[0]!);
				if (r !== undefined) s.spec = { value: r, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (!requireProto(cx, 58, "icmpv6")) return undefined;
		if (s.spec === undefined) {
			cx.error("missing_argument", "-m icmp6 needs --icmpv6-type", cx.nameWord);
			return undefined;
		}
		return { kind: "icmpv6", spec: s.spec };
	},
});

/** -m icmp --icmp-type NAME|TYPE[/CODE[:CODE]]|any (IPv4); needs -p icmp. */
import type { IcmpMatch, Neg } from "../../../compiler/ir/ipt.js";
import { defineMatch, take } from "../extension.js";
import { Bad, parseDec } from "../values.js";
import { requireProto } from "./tcp.js";

type Spec = IcmpMatch["spec"]["value"];

/** iptables' ICMP names: [type, codeLo, codeHi]. */
const ICMP_NAMES: Readonly<Record<string, readonly [number, number, number]>> = {
	"echo-reply": [0, 0, 255], pong: [0, 0, 255],
	"destination-unreachable": [3, 0, 255],
	"network-unreachable": [3, 0, 0], "host-unreachable": [3, 1, 1], "protocol-unreachable": [3, 2, 2],
	"port-unreachable": [3, 3, 3], "fragmentation-needed": [3, 4, 4], "source-route-failed": [3, 5, 5],
	"network-unknown": [3, 6, 6], "host-unknown": [3, 7, 7], "network-prohibited": [3, 9, 9],
	"host-prohibited": [3, 10, 10], "TOS-network-unreachable": [3, 11, 11], "TOS-host-unreachable": [3, 12, 12],
	"communication-prohibited": [3, 13, 13], "host-precedence-violation": [3, 14, 14],
	"precedence-cutoff": [3, 15, 15],
	"source-quench": [4, 0, 255],
	redirect: [5, 0, 255], "network-redirect": [5, 0, 0], "host-redirect": [5, 1, 1],
	"TOS-network-redirect": [5, 2, 2], "TOS-host-redirect": [5, 3, 3],
	"echo-request": [8, 0, 255], ping: [8, 0, 255],
	"router-advertisement": [9, 0, 255], "router-solicitation": [10, 0, 255],
	"time-exceeded": [11, 0, 255], "ttl-exceeded": [11, 0, 255], "ttl-zero-during-transit": [11, 0, 0],
	"ttl-zero-during-reassembly": [11, 1, 1],
	"parameter-problem": [12, 0, 255], "ip-header-bad": [12, 0, 0], "required-option-missing": [12, 1, 1],
	"timestamp-request": [13, 0, 255], "timestamp-reply": [14, 0, 255],
	"address-mask-request": [17, 0, 255], "address-mask-reply": [18, 0, 255],
};

/** `NAME`, `TYPE`, `TYPE/CODE`, `TYPE/LO:HI`; shared with icmp6 (which passes its own names). */
export function parseIcmpSpec(s: string, names: Readonly<Record<string, readonly [number, number, number]>>, what: string): Spec | Bad {
	if (s === "any") return "any";
	const hit = Object.prototype.hasOwnProperty.call(names, s) ? names[s] : undefined;
	if (hit !== undefined) return { type: hit[0], codeLo: hit[1], codeHi: hit[2] };
	const m = /^([0-9]+)(?:\/([0-9]+)(?::([0-9]+))?)?$/.exec(s);
	if (m === null) return new Bad("invalid_value", `unknown ${what} type "${s}"`, `use a number or a name like echo-request`);
	const type = parseDec(m[1]!, 255);
	const lo = m[2] === undefined ? 0 : parseDec(m[2], 255);
	const hi = m[3] === undefined ? (m[2] === undefined ? 255 : lo) : parseDec(m[3], 255);
	if (type === undefined || lo === undefined || hi === undefined || lo > hi)
		return new Bad("invalid_value", `invalid ${what} type/code "${s}"`, "type and codes are 0..255");
	// Type 255 with all codes is what iptables prints as `any`.
	if (type === 255 && lo === 0 && hi === 255) return "any";
	return { type, codeLo: lo, codeHi: hi };
}

interface S {
	spec?: Neg<Spec>;
}

export const icmp = defineMatch<S>({
	name: "icmp",
	family: "ip",
	options: [
		{
			name: "icmp-type",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = take(cx, parseIcmpSpec(v.args[0]!.text, ICMP_NAMES, "ICMP"), v.args[0]!);
				if (r !== undefined) s.spec = { value: r, neg: v.neg };
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (!requireProto(cx, 1, "icmp")) return undefined;
		return { kind: "icmp", spec: s.spec ?? { value: "any", neg: false } };
	},
});

/** -m icmp --icmp-type NAME|TYPE[/CODE[:CODE]]|any (IPv4); needs -p icmp. */
import type { IcmpMatch, Neg } from "../../../compiler/ir/ipt.js";
import { defineMatch, take } from "../extension.js";
import { Bad, parseUint } from "../values.js";
import { requireProto } from "./tcp.js";

type Spec = IcmpMatch["spec"]["value"];

/** iptables' ICMP names in its table order: [type, codeLo, codeHi]; type 255 is `any`. */
const ICMP_NAMES: Readonly<Record<string, readonly [number, number, number]>> = {
	any: [255, 0, 255],
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
	// Newer iptables (1.8.11+) name types 15 and 16 too; older ones take the numbers.
	"info-request": [15, 0, 255], "info-reply": [16, 0, 255],
	"address-mask-request": [17, 0, 255], "address-mask-reply": [18, 0, 255],
};

/**
 * `NAME`, `TYPE`, `TYPE/CODE`, `TYPE/LO:HI`; shared with icmp6 (which passes its own names).
 * Names match as libxt_icmp does (strncasecmp over the table): any unambiguous prefix, in any
 * case (`echo-req`, `PING`); a prefix of two names is an error even when they mean the same.
 */
export function parseIcmpSpec(s: string, names: Readonly<Record<string, readonly [number, number, number]>>, what: string): Spec | Bad {
	const low = s.toLowerCase();
	const hits = Object.keys(names).filter((n) => n.toLowerCase().startsWith(low));
	if (hits.length > 1) return new Bad("invalid_value", `ambiguous ${what} type "${s}": ${hits.slice(0, 2).join(" or ")}`, "write more of the name");
	const hit = hits.length === 1 ? names[hits[0]!] : undefined;
	if (hit !== undefined) return hit[0] === 255 && hit[1] === 0 && hit[2] === 255 ? "any" : { type: hit[0], codeLo: hit[1], codeHi: hit[2] };
	// Numbers are strtoul base 0 (xtables_strtoui): `0x3` is 3, `010` is 8.
	const m = /^([0-9][0-9a-fA-FxX]*)(?:\/([0-9][0-9a-fA-FxX]*)(?::([0-9][0-9a-fA-FxX]*))?)?$/.exec(s);
	if (m === null) return new Bad("invalid_value", `unknown ${what} type "${s}"`, `use a number or a name like echo-request`);
	const type = parseUint(m[1]!, 255);
	const lo = m[2] === undefined ? 0 : parseUint(m[2], 255);
	const hi = m[3] === undefined ? (m[2] === undefined ? 255 : lo) : parseUint(m[3], 255);
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

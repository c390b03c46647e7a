/**
 * -j SET --add-set NAME DIRS | --del-set NAME DIRS (both may be given), --exist, --timeout N.
 * --map-set (skb info from the set) has no nft counterpart.
 */
import type { IpsetRef, Target } from "../../../compiler/ir/ipt.js";
import { defineTarget, take, type OptionDef } from "../extension.js";
import { parseUint } from "../values.js";
import { parseIpsetRef } from "../ext/ipsetref.js";

interface S {
	add?: IpsetRef;
	del?: IpsetRef;
	exist: boolean;
	timeout?: number;
}

function refOption(name: "add-set" | "del-set", key: "add" | "del"): OptionDef<S> {
	return {
		name,
		arity: 2,
		apply: (s, v, cx) => {
			const r = take(cx, parseIpsetRef(v.args[0]!.text, v.args[1]!.text), v.args[1]!);
			if (r !== undefined) s[key] = r;
		},
	};
}

function mapOption(name: string, arity: 0 | 1 | 2): OptionDef<S> {
	return {
		name,
		arity,
		apply: (_s, v, cx) => cx.error("inexpressible", `SET --${name} copies skb metadata from ipset elements; nftables has no such statement`, v.word, "use a map: meta mark set ip saddr map @NAME"),
	};
}

export const setTarget = defineTarget<S>({
	name: "SET",
	options: [
		refOption("add-set", "add"),
		refOption("del-set", "del"),
		{
			name: "exist",
			arity: 0,
			apply: (s) => {
				s.exist = true;
			},
		},
		{
			name: "timeout",
			arity: 1,
			apply: (s, v, cx) => {
				const n = parseUint(v.args[0]!.text, 0xffffffff);
				if (n === undefined) return cx.error("invalid_value", `invalid --timeout "${v.args[0]!.text}": expected seconds`, v.args[0]!);
				s.timeout = n;
			},
		},
		mapOption("map-set", 2),
		mapOption("map-mark", 0),
		mapOption("map-prio", 0),
		mapOption("map-queue", 0),
	],
	init: () => ({ exist: false }),
	finish: (s, cx): Target | undefined => {
		if (s.add === undefined && s.del === undefined) {
			cx.error("missing_argument", "-j SET needs --add-set or --del-set", cx.nameWord);
			return undefined;
		}
		if (s.timeout !== undefined && s.add === undefined) {
			cx.error("conflicting_options", "--timeout only applies to --add-set", cx.nameWord);
			return undefined;
		}
		return {
			kind: "ipset",
			...(s.add !== undefined ? { add: s.add } : {}),
			...(s.del !== undefined ? { del: s.del } : {}),
			exist: s.exist,
			...(s.timeout !== undefined ? { timeout: s.timeout } : {}),
		};
	},
});

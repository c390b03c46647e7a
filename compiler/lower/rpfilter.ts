/**
 * -m rpfilter -> `fib saddr . iif oif exists|missing` (`. mark` for --validmark), exactly:
 * - nft_fib shares xt_rpfilter's special cases for loopback input and IPv4's 0.0.0.0 to
 *   broadcast / 224.0.0.0/24.
 * - IPv4: nft_fib accepts a BROADCAST route, xt_rpfilter only UNICAST: a source that is a subnet
 *   broadcast address of the input device passes nft's check and fails xt_rpfilter. That source is
 *   `fib saddr . iif type broadcast` without the addresses that type also calls broadcast (0/8,
 *   255.255.255.255; 127/8 for lo's own broadcast, which the loopback case accepts anyway), so:
 *   fails = `missing` | `type broadcast ip saddr != {0/8, 127/8, 255.255.255.255}` (two disjoint
 *   rules), passes = `exists` and not that (two disjoint rules).
 * - IPv6: ip6t_rpfilter passes every packet from :: (nft_fib6 only ICMPv6 to link-scope addresses):
 *   `ip6 saddr != :: fib … missing` when inverted; `ip6 saddr ::` | `ip6 saddr != :: fib … exists`.
 * Refused: --accept-local (nft_fib gives no interface for a local route) and --loose. Loose mode
 * passes when the route back to the source is UNICAST through any device. Its nearest nft form,
 * `fib saddr [. mark] oif exists` (nft_fib4_eval keeps the loopback and 0.0.0.0 special cases
 * without `. iif`), differs in two ways: it also passes sources whose route is BROADCAST (a subnet
 * broadcast address of any device; excluding them with `fib saddr type broadcast` would wrongly
 * fail such sources on loopback input, which xt_rpfilter always passes), and only `. iif` makes
 * nft_fib look the route up in the input device's VRF (l3mdev), which xt_rpfilter always does.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { addrSelector, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";

export function lowerRpfilter(ctx: RuleCtx, m: ipt.RpfilterMatch): MatchOut {
	if (m.loose)
		return refuse(
			ctx,
			"unsupported_option",
			"rpfilter --loose cannot be expressed exactly in nft: `fib saddr oif exists` also passes sources whose route is a broadcast route, and without `. iif` it ignores the input device's VRF",
			`on a host without VRFs, \`fib saddr${m.validmark ? " . mark" : ""} oif ${m.invert ? "missing" : "exists"}\` differs only for packets from subnet broadcast addresses`,
		);
	if (m.acceptLocal) return refuse(ctx, "inexpressible", "rpfilter --accept-local cannot be expressed in nft (fib returns no interface for local routes)");
	const flags: nft.FibFlag[] = m.validmark ? ["saddr", "mark", "iif"] : ["saddr", "iif"];
	const fib = (present: boolean): nft.Cond => ({ kind: "exists", left: { kind: "fib", flags, result: "oif" }, present });
	if (ctx.fam === 4) {
		const bcast = (op: "==" | "!="): nft.Cond => nft.rel({ kind: "fib", flags: ["saddr", "iif"], result: "type" }, op, nft.num(nft.FIB_ADDRTYPES.broadcast));
		const special: nft.Value = { kind: "set", elems: [{ kind: "prefix", value: 0n, len: 8 }, { kind: "prefix", value: 0x7f000000n, len: 8 }, nft.num(0xffffffffn)] };
		const saddr = addrSelector(4, "saddr");
		if (m.invert) return [[fib(false)], [bcast("=="), nft.rel(saddr, "!=", special)]];
		return [
			[fib(true), bcast("!=")],
			[fib(true), bcast("=="), nft.rel(saddr, "==", special)],
		];
	}
	const src = addrSelector(6, "saddr");
	const unspec = (op: "==" | "!="): nft.Cond => nft.rel(src, op, nft.num(0));
	if (m.invert) return [[unspec("!="), fib(false)]];
	return [[unspec("==")], [unspec("!="), fib(true)]];
}

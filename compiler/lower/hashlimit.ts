/**
 * -m hashlimit -> `update @hashlimit_NAME { key limit rate [over] R/unit burst B packets }` in a
 * set with `timeout` = --hashlimit-htable-expire.
 *
 * Exactness: xt_hashlimit's per-key bucket is xt_limit's (credit cap rate*burst, cost per packet),
 * which lowering already writes as nft `limit` (see limit.ts); one element per key is one bucket.
 * Every packet of a key re-arms its expiry in both (nft `update` re-arms before the limit runs);
 * xt forgets an idle entry between expire and expire + gc-interval (1 s by default), so the
 * expiry is rounded up to whole seconds. Rules that share a --hashlimit-name share buckets and
 * the first rule's configuration: exact only when they agree on everything. Ports are hashed
 * without the protocol (and as 0 for protocols without ports), so the rule must fix a port
 * protocol. Refused: byte mode (its credit arithmetic differs from nft's byte limit) and
 * --hashlimit-rate-match (a rate estimator, not a bucket).
 */
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";
import { addrSelector, one, ruleProto, transportName, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";
import { DYNAMIC_SET_SIZE, hashlimitKey } from "./sets.js";

const SECONDS: Readonly<Record<ipt.RateUnit, number>> = { second: 1, minute: 60, hour: 3600, day: 86400 };

export function lowerHashlimit(ctx: RuleCtx, m: ipt.HashlimitMatch): MatchOut {
	if (m.rateMatch) return refuse(ctx, "inexpressible", "--hashlimit-rate-match estimates a rate over an interval; nft limit is a token bucket", "drop --hashlimit-rate-match to get a token bucket");
	if (m.mode === "bytes" || m.burst === undefined)
		return refuse(ctx, "inexpressible", "hashlimit byte mode counts credits differently from nft's byte limit", `nearest nft construct: update @set { key limit rate ${m.above ? "over " : ""}${m.rate} bytes/second } (not identical)`);
	const family = ctx.fam === 4 ? "ip" : "ip6";
	const group = ctx.plan.hashlimit.get(hashlimitKey(family, m.name));
	if (group === undefined) return refuse(ctx, "internal_error", `hashlimit ${m.name} missing from the plan`);
	if (group.tables.size > 1)
		return refuse(ctx, "inexpressible", `hashlimit "${m.name}" is shared by ${[...group.tables].sort().join(", ")}; an nft set belongs to one table`, "give each table its own --hashlimit-name");
	if (group.configs.size > 1)
		return refuse(ctx, "inexpressible", `rules named hashlimit "${m.name}" differ; the kernel applies the first rule's settings to all of them`, "give every rule of one --hashlimit-name the same options, or different names");

	const bits = ctx.fam === 4 ? 32 : 128;
	const parts: nft.Expr[] = [];
	const types: nft.Datatype[] = [];
	const addrType: nft.Datatype = ctx.fam === 4 ? "ipv4_addr" : "ipv6_addr";
	const proto = ruleProto(ctx.rule);
	const tname = proto === undefined ? undefined : transportName(proto);
	for (const k of ["srcip", "dstip", "srcport", "dstport"] as const) {
		if (!m.keys.includes(k)) continue;
		if (k === "srcip" || k === "dstip") {
			const prefix = k === "srcip" ? m.srcPrefix : m.dstPrefix;
			if (prefix === 0) continue; // every address hashes alike
			const sel = addrSelector(ctx.fam, k === "srcip" ? "saddr" : "daddr");
			const ones = (1n << BigInt(bits)) - 1n;
			parts.push(prefix === bits ? sel : { kind: "and", expr: sel, mask: (ones << BigInt(bits - prefix)) & ones });
			types.push(addrType);
		} else {
			if (tname === undefined)
				return refuse(ctx, "inexpressible", `--hashlimit-mode ${k} hashes ports of every protocol alike (0 for protocols without ports)`, "add -p tcp (or udp, sctp, dccp, udplite) to the rule");
			parts.push({ kind: "payload", key: `${tname} ${k === "srcport" ? "sport" : "dport"}` });
			types.push("inet_service");
		}
	}
	const limit = { rate: BigInt(m.rate), unit: m.unit, burst: BigInt(m.burst), over: m.above } as const;
	const expireS = Math.ceil(m.expireMs / 1000);
	if (expireS === 0) return refuse(ctx, "inexpressible", "--hashlimit-htable-expire 0 forgets buckets at the garbage collector's whim", "give an expiry of at least 1000 ms");
	if (parts.length === 0) {
		// One bucket for everything: an idle entry vanishes after the expiry and comes back full;
		// a plain limit refills to full by itself after burst/rate, so it is the same whenever
		// the expiry is at least that long.
		const refill = (m.burst * SECONDS[m.unit]) / m.rate;
		if (expireS < refill)
			return refuse(ctx, "inexpressible", `without --hashlimit-mode the one bucket resets after ${expireS}s idle, sooner than nft's limit refills (${refill}s)`, `nearest nft construct: limit rate ${m.above ? "over " : ""}${m.rate}/${m.unit} burst ${m.burst} packets`);
		return one({ kind: "limit", ...limit });
	}
	const set = ctx.sets.once(`hashlimit/${m.name}`, `hashlimit_${m.name}`, (name) => ({
		name,
		keyType: types,
		interval: false,
		dynamic: true,
		size: DYNAMIC_SET_SIZE,
		timeoutMs: BigInt(expireS) * 1000n,
		elems: [],
		origins: [ctx.rule.span],
	}));
	return one({ kind: "dynset", op: "update", set, key: parts, stateful: { kind: "limit", ...limit } });
}

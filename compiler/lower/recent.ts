/**
 * -m recent -> dynamic nft sets, exactly.
 *
 * xt_recent keeps, per list and address, the times the address was --set/--update'd; a check
 * with --seconds S (and no --hitcount) is "the LAST stamp is at most S seconds old", without
 * --seconds "the address is in the list". Entries never expire by themselves. So one set per
 * timeout class the checks use is an exact model: class S is a set with `timeout S` in which an
 * element is present iff the last stamp is within S seconds (every stamp re-arms it with
 * `update`), class "forever" a set without timeout. --set/a successful --update refresh every
 * class, --remove deletes from every class. --reap only drops stale entries, which no check of
 * the same S can see: exact when the list has that one class.
 *
 * Not expressible: --hitcount (counting stamps in a window needs the stamps themselves), --rttl
 * (the stored TTL is the one of the last stamp, not part of the key), `!` on --set/--update/
 * --remove (a side effect on the failing path), a list used from two nft tables (nft sets belong
 * to one table), rules disagreeing on --mask (the kernel uses the mask of whichever rule created
 * the list). Capacity differs: xt_recent forgets the least recently seen address beyond
 * ip_list_tot (default 100) entries; the nft sets hold 65535 and then refuse new ones.
 */
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { addrSelector, one, type MatchOut, type RuleCtx } from "./context.js";
import { refuse } from "./refuse.js";
import { DYNAMIC_SET_SIZE, recentClass, recentKey } from "./sets.js";

function classSuffix(c: number | "forever"): string {
	return c === "forever" ? "forever" : `${c}s`;
}

function classSets(ctx: RuleCtx, name: string, classes: readonly (number | "forever")[]): string[] {
	const single = classes.length === 1;
	return classes.map((c) =>
		ctx.sets.once(`recent/${name}/${classSuffix(c)}`, single ? `recent_${name}` : `recent_${name}_${classSuffix(c)}`, (setName) => ({
			name: setName,
			keyType: [ctx.fam === 4 ? "ipv4_addr" : "ipv6_addr"],
			interval: false,
			dynamic: true,
			size: DYNAMIC_SET_SIZE,
			...(c === "forever" ? {} : { timeoutMs: BigInt(c) * 1000n }),
			elems: [],
			origins: [ctx.rule.span],
		})),
	);
}

export function lowerRecent(ctx: RuleCtx, m: ipt.RecentMatch): MatchOut {
	const what = `recent list "${m.name}"`;
	if (m.hitcount !== undefined)
		return refuse(
			ctx,
			"inexpressible",
			`--hitcount ${m.hitcount} counts packets within ${m.seconds ?? "any number of"} seconds; nft sets keep no per-element history`,
			`nearest nft construct (a per-address token bucket, not a sliding window): update @set { ${sideText(ctx, m)} limit rate over ${m.hitcount}/minute burst ${m.hitcount} packets } with the rate scaled to ${m.hitcount} per ${m.seconds ?? "?"}s; review before use`,
		);
	if (m.rttl)
		return refuse(ctx, "inexpressible", "--rttl compares with the TTL stored at the last --set/--update; nft sets cannot store and compare it", "drop --rttl, or key the list by address and TTL (ip saddr . ip ttl) if that is what you meant");
	if (m.neg && m.op !== "rcheck")
		return refuse(ctx, "inexpressible", `! --${m.op} changes the list when the match fails; one nft rule cannot do that`, `use ! --rcheck, and --${m.op} in a rule of its own`);
	const list = ctx.plan.recent.get(recentKey(m.name));
	if (list === undefined) return refuse(ctx, "internal_error", `${what} missing from the plan`);
	if (list.tables.size > 1)
		return refuse(ctx, "inexpressible", `${what} is shared by ${[...list.tables].sort().join(", ")}; an nft set belongs to one table`, "use the list from one table only, or give each table its own --name");
	if (list.masks.size > 1 || (list.families.size > 1 && m.mask !== undefined))
		return refuse(ctx, "inexpressible", `rules of ${what} use different --mask values; the kernel applies the mask of whichever rule created the list`, "give every rule of the list the same --mask");
	const classes = [...list.classes].sort((a, b) => (a === "forever" ? 1 : b === "forever" ? -1 : a - b));
	const key = keyExpr(ctx, m);
	const setNames = classSets(ctx, m.name, classes);
	const nameOf = (c: number | "forever"): string => setNames[classes.indexOf(c)]!;
	const refreshAll = (): nft.Cond[] => setNames.map((set) => ({ kind: "dynset", op: "update", set, key: [key] }));
	const cls = recentClass(m);
	if (m.reap && classes.length > 1)
		return refuse(ctx, "inexpressible", `--reap forgets addresses that the other checks of ${what} (other --seconds, or --remove) would still see`, "use the same --seconds in every check of the list, or drop --reap");
	switch (m.op) {
		case "set":
			// Always true in iptables; with no check reading the list there is nothing to keep.
			return one(...refreshAll());
		case "rcheck":
			return one(nft.rel(key, m.neg ? "!=" : "==", { kind: "setref", name: nameOf(cls!) }));
		case "update":
			return one(nft.rel(key, "==", { kind: "setref", name: nameOf(cls!) }), ...refreshAll());
		case "remove":
			return one(
				nft.rel(key, "==", { kind: "setref", name: nameOf("forever") }),
				...setNames.map((set): nft.Cond => ({ kind: "dynset", op: "delete", set, key: [key] })),
			);
	}
}

function keyExpr(ctx: RuleCtx, m: ipt.RecentMatch): nft.Expr {
	const sel = addrSelector(ctx.fam, m.side === "src" ? "saddr" : "daddr");
	return m.mask === undefined ? sel : { kind: "and", expr: sel, mask: m.mask };
}

function sideText(ctx: RuleCtx, m: ipt.RecentMatch): string {
	return `${ctx.fam === 4 ? "ip" : "ip6"} ${m.side === "src" ? "saddr" : "daddr"}`;
}

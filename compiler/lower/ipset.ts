/**
 * -m set and -j SET -> nft named sets declared from `ipset save` (the set catalogue).
 *
 * Each ipset dimension becomes key parts: ip/net -> `ip saddr|daddr` (masked for hash:ip
 * netmask), port -> `meta l4proto . th sport|dport` (ipset stores the protocol with the port),
 * mac -> `ether saddr|daddr`, iface -> `iifname|oifname`, mark -> `meta mark`. A net dimension
 * makes the set an interval set. Refused where nft would differ: `nomatch` elements (exceptions
 * inside a net), ports of protocols without ports (ipset stores 0, nft would read other bytes),
 * adding from the packet path to interval sets (the kernel cannot), sets used from several tables
 * when rules also write them (an nft set belongs to one table; read-only sets are copied).
 * With `ipset save` given, a set it lacks is an error (`host_object_missing`): the kernel refuses
 * the rule. Without it, a set is only inferred when this ruleset fills it by -j SET.
 */
import { diagnostic } from "../ir/diagnostics.js";
import type { IpsetDecl, IpsetDim, IpsetElem, IpsetPart } from "../ir/ipset.js";
import type * as ipt from "../ir/ipt.js";
import * as nft from "../ir/nft.js";
import { addrSelector, NEVER, one, ruleProto, type MatchOut, type RuleCtx } from "./context.js";
import { wordSpan } from "./nfacct.js";
import { refuse } from "./refuse.js";
import { DYNAMIC_SET_SIZE, ipsetKey } from "./sets.js";

/** Protocols whose ports ipset and nft's `th` read alike. */
const PORT_PROTOS: ReadonlySet<number> = new Set([6, 17, 132, 136]);

interface Resolved {
	readonly decl: Pick<IpsetDecl, "name" | "dims" | "netmask" | "timeout" | "counters"> & { readonly elems: readonly IpsetElem[] };
	readonly inferred: boolean;
}

function resolve(ctx: RuleCtx, name: string, dirs: number, option: string): Resolved | undefined {
	const decl = ctx.plan.ipsets?.sets.get(name);
	const use = ctx.plan.ipsetUse.get(ipsetKey(name));
	// With the host's sets known, a set it lacks is what the kernel refuses (xt_set: -ENOENT).
	if (ctx.plan.ipsets !== undefined && decl === undefined) {
		ctx.diags.push(
			diagnostic(
				"host_object_missing",
				`ipset ${JSON.stringify(name)} does not exist on the host; the kernel refuses this rule`,
				wordSpan(ctx.rule, name, option),
				"create the set first (`ipset create …`) and save again, or remove the rule",
			),
		);
		return undefined;
	}
	if (decl !== undefined) {
		if (decl.fam !== ctx.fam)
			return refuse(ctx, "family_mismatch", `ipset ${name} is an IPv${decl.fam} set used in an IPv${ctx.fam} rule`, "ipset matches nothing here; use a set of this family");
		return { decl, inferred: false };
	}
	// Without `ipset save`: a set that only this ruleset fills, one address per element.
	if (use !== undefined && use.written && use.dims.size === 1 && dirs === 1)
		return { decl: { name, dims: ["ip"], counters: false, elems: [] }, inferred: true };
	return refuse(ctx, "missing_argument", `ipset ${name} is defined outside the iptables rules`, "pass its `ipset save` output with --ipset FILE");
}

function partTypes(fam: ipt.Fam, dim: IpsetDim): nft.Datatype[] {
	switch (dim) {
		case "ip":
		case "net":
			return [fam === 4 ? "ipv4_addr" : "ipv6_addr"];
		case "port":
			return ["inet_proto", "inet_service"];
		case "mac":
			return ["ether_addr"];
		case "iface":
			return ["ifname"];
		case "mark":
			return ["mark"];
	}
}

function keyParts(ctx: RuleCtx, decl: Resolved["decl"], dirs: readonly ipt.IpsetDir[]): nft.Expr[] {
	const out: nft.Expr[] = [];
	decl.dims.forEach((dim, i) => {
		const src = dirs[i] === "src";
		switch (dim) {
			case "ip":
			case "net": {
				const sel = addrSelector(ctx.fam, src ? "saddr" : "daddr");
				const bits = ctx.fam === 4 ? 32 : 128;
				if (dim === "ip" && decl.netmask !== undefined && decl.netmask < bits) {
					const ones = (1n << BigInt(bits)) - 1n;
					out.push({ kind: "and", expr: sel, mask: (ones << BigInt(bits - decl.netmask)) & ones });
				} else out.push(sel);
				break;
			}
			case "port":
				out.push(nft.meta("l4proto"), nft.payload(src ? "th sport" : "th dport"));
				break;
			case "mac":
				out.push(nft.payload(src ? "ether saddr" : "ether daddr"));
				break;
			case "iface":
				out.push(nft.meta(src ? "iifname" : "oifname"));
				break;
			case "mark":
				out.push(nft.meta("mark"));
				break;
		}
	});
	return out;
}

function partValues(p: IpsetPart, fam: ipt.Fam): nft.Value[] {
	switch (p.kind) {
		case "addr": {
			const bits = fam === 4 ? 32 : 128;
			return [p.prefixLen === bits ? nft.num(p.addr) : { kind: "prefix", value: p.addr, len: p.prefixLen }];
		}
		case "port":
			return [nft.num(p.proto), nft.range(p.lo, p.hi)];
		case "mac":
			return [nft.num(p.mac)];
		case "iface":
			return [{ kind: "string", value: p.name, wildcard: false }];
		case "mark":
			return [nft.num(p.mark)];
	}
}

function isInterval(decl: Resolved["decl"], fam: ipt.Fam): boolean {
	const bits = fam === 4 ? 32 : 128;
	if (decl.dims.includes("net")) return true;
	return decl.elems.some((e) => e.parts.some((p) => (p.kind === "addr" && p.prefixLen < bits) || (p.kind === "port" && p.lo !== p.hi)));
}

/** Declares the nft set for ipset `name` in this table (once), or reports why it cannot. */
function declare(ctx: RuleCtx, r: Resolved, needDynamic: boolean): string | undefined {
	const { decl } = r;
	const bad = decl.elems.find((e) => e.nomatch);
	if (bad !== undefined)
		return refuse(ctx, "inexpressible", `ipset ${decl.name} has nomatch elements (exceptions inside a net); nft interval sets have no exceptions`, "list the remaining ranges explicitly instead of nomatch entries");
	const noPorts = decl.elems.find((e) => e.parts.some((p) => p.kind === "port" && !PORT_PROTOS.has(p.proto)));
	if (noPorts !== undefined)
		return refuse(ctx, "inexpressible", `ipset ${decl.name} has ports of a protocol without ports (icmp type/code or port 0 of another protocol); nft's th would read other bytes`, "keep such entries in a separate set matched with meta l4proto / icmp type");
	const interval = isInterval(decl, ctx.fam);
	if (needDynamic && interval)
		return refuse(ctx, "inexpressible", `ipset ${decl.name} needs an nft interval set, and the kernel cannot add to interval sets from the packet path`, "use a hash:ip style set for addresses that rules add");
	const use = ctx.plan.ipsetUse.get(ipsetKey(decl.name));
	if (use !== undefined && use.written && use.tables.size > 1)
		return refuse(ctx, "inexpressible", `ipset ${decl.name} is written by -j SET and used by ${[...use.tables].sort().join(", ")}; an nft set belongs to one table`, "use the set from one table only");
	const keyType = decl.dims.flatMap((d) => partTypes(ctx.fam, d));
	const dynamic = use?.written === true;
	return ctx.sets.once(`ipset/${decl.name}`, `ipset_${decl.name}`, (name) => {
		// Reported once per table, where the set is first declared.
		if (r.inferred)
			ctx.diags.push(diagnostic("lossy_translation", `ipset ${decl.name} is assumed to be hash:ip and empty at start (no --ipset given)`, ctx.rule.span, "pass `ipset save` output with --ipset FILE"));
		if (decl.timeout !== undefined && decl.elems.some((e) => e.timeout !== undefined && e.timeout !== decl.timeout))
			ctx.diags.push(diagnostic("lossy_translation", `elements of ipset ${decl.name} start with the set's full timeout (${decl.timeout}s), not the time they had left`, ctx.rule.span));
		return {
			name,
			keyType,
			interval,
			...(dynamic ? { dynamic: true, size: DYNAMIC_SET_SIZE } : {}),
			...(decl.timeout !== undefined ? { timeoutMs: BigInt(decl.timeout) * 1000n } : {}),
			...(decl.counters ? { counter: true } : {}),
			elems: decl.elems.map((e): nft.Value => {
				const vals = e.parts.flatMap((p) => partValues(p, ctx.fam));
				return vals.length === 1 ? vals[0]! : { kind: "concat", parts: vals };
			}),
			origins: [ctx.rule.span],
		};
	});
}

function needsPortProto(ctx: RuleCtx, r: Resolved, written: boolean): boolean {
	if (!r.decl.dims.includes("port") || !written) return false;
	const p = ruleProto(ctx.rule);
	return p === undefined || !PORT_PROTOS.has(p);
}

export function lowerSetMatch(ctx: RuleCtx, m: ipt.SetMatch): MatchOut {
	if (m.counterChecks.length > 0)
		return refuse(ctx, "inexpressible", `${m.counterChecks.join(", ")} compare the element's own counters; nft cannot read them in a rule`, "drop the counter conditions");
	const r = resolve(ctx, m.name, m.dirs.length, "-set");
	if (r === undefined) return undefined;
	if (m.dirs.length < r.decl.dims.length) {
		// ipset refuses to test with fewer directions than the set has dimensions: no match.
		return m.neg ? one() : NEVER;
	}
	const written = ctx.plan.ipsetUse.get(ipsetKey(m.name))?.written === true;
	if (needsPortProto(ctx, r, written))
		return refuse(ctx, "inexpressible", `ipset ${m.name} is filled by -j SET with ports; ipset stores port 0 for protocols without ports, nft would not`, "add -p tcp (or udp, sctp, udplite) to the rules that use the set");
	const set = declare(ctx, r, false);
	if (set === undefined) return undefined;
	const parts = keyParts(ctx, r.decl, m.dirs);
	const key: nft.Expr =
		parts.length === 1 ? parts[0]! : parts.every((p): p is nft.Selector => p.kind !== "and" && p.kind !== "concat") ? { kind: "concat", parts } : parts[0]!;
	if (parts.length > 1 && key === parts[0]) return refuse(ctx, "inexpressible", `ipset ${m.name}: a netmask inside a concatenated key`, "use a set without netmask");
	return one(nft.rel(key, m.neg ? "!=" : "==", { kind: "setref", name: set }));
}

export function lowerSetTarget(ctx: RuleCtx, t: Extract<ipt.Target, { kind: "ipset" }>): nft.Cond[] | undefined {
	const out: nft.Cond[] = [];
	for (const [op, ref] of [["add", t.add], ["delete", t.del]] as const) {
		if (ref === undefined) continue;
		const r = resolve(ctx, ref.name, ref.dirs.length, op === "add" ? "--add-set" : "--del-set");
		if (r === undefined) return undefined;
		// ipset ignores an add/del with fewer directions than dimensions.
		if (ref.dirs.length < r.decl.dims.length) continue;
		if (needsPortProto(ctx, r, true))
			return refuse(ctx, "inexpressible", `-j SET into ipset ${ref.name} stores port 0 for protocols without ports; nft would store other bytes`, "add -p tcp (or udp, sctp, udplite) to the rule");
		const set = declare(ctx, r, true);
		if (set === undefined) return undefined;
		const timeout = op === "add" && t.timeout !== undefined && r.decl.timeout !== undefined ? { timeoutMs: BigInt(t.timeout) * 1000n } : {};
		// --exist re-adds an existing element (re-arming its timeout): nft's `update`.
		out.push({ kind: "dynset", op: op === "add" ? (t.exist ? "update" : "add") : "delete", set, key: keyParts(ctx, r.decl, ref.dirs), ...timeout });
	}
	return out;
}

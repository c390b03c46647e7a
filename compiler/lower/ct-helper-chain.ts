/**
 * `-t raw … -j CT --helper NAME` -> a `ct helper` object and a rule `… ct state new ct helper set
 * "NAME-proto"` in an extra base chain at priority -199 on the same hook (just after conntrack).
 *
 * Why this is exact (kernel facts, net/netfilter):
 * - xt_CT attaches a conntrack *template* to a packet that has no conntrack yet; the first CT or
 *   NOTRACK target a packet reaches wins (`if (skb->_nfct) return XT_CONTINUE`), later ones do
 *   nothing. Conntrack (-200) then looks the packet up: an existing entry ignores the template; a
 *   new entry takes the template's helper unless it was created by an expectation
 *   (init_conntrack: `if (!exp && tmpl) __nf_ct_try_assign_helper`), which sets IPS_HELPER.
 * - nft's ct helper object (nft_ct_helper_obj_eval) assigns its helper to an unconfirmed,
 *   non-template entry of its l4 protocol that has no IPS_HELPER yet, whatever created it: so
 *   `ct state new` (not RELATED, i.e. not created by an expectation) is added, and the rules keep
 *   the raw traversal's order, so the first one that fires wins as in iptables.
 * - Between -300 and -199 nothing changes what the whitelisted matches read (packet headers,
 *   interfaces, sockets); marks, conntrack state and stateful matches are refused.
 *
 * The proof per CT --helper rule R and hook H (PREROUTING/OUTPUT of the raw table):
 * 1. The raw traversal is explored symbolically: a conditional jump, goto, RETURN or ACCEPT whose
 *    conditions neither exclude nor include R's packets forks the walk. Each path that reaches R
 *    becomes one helper rule behind the conditions it took (and the negations of single-condition
 *    rules it passed by); every path that leaves without reaching R must be provably disjoint
 *    from those rules, unless it drops/rejects the packet (which then dies in nft too, at -300).
 *    No path reaching R: R never acts on H and is left out.
 * 2. No CT --zone / plain CT before R can fire for R's packets (its template would win in
 *    iptables; nft would still set the helper). NOTRACK before R is fine: nft's notrack at -300
 *    leaves no conntrack entry for `ct helper set`.
 * 3. No NOTRACK / CT --zone after R can fire for R's packets (iptables ignores them once R's
 *    template is attached; nft would apply them at -300).
 * 4. Overlapping CT --helper rules are met in the same order on every path.
 * "Can fire for R's packets" is decided by a small disjointness test (protocol, ports,
 * interfaces, addresses); anything it cannot prove disjoint counts as overlapping.
 */
import type * as ipt from "../ir/ipt.js";

export type HelperHook = "PREROUTING" | "OUTPUT";
export const HELPER_HOOKS: readonly HelperHook[] = ["PREROUTING", "OUTPUT"];

/** nft's priority for the helper chains: right after conntrack (-200), before mangle (-150). */
export const CT_HELPER_PRIORITY = -199;

export interface HelperObject {
	/** nft object name, `ftp-tcp`. */
	readonly name: string;
	readonly helper: string;
	readonly proto: "tcp" | "udp";
}

export interface PlacedRule {
	readonly rule: ipt.Rule;
	readonly chain: string;
}

/**
 * A way packets reach a CT --helper rule: the conditional rules they took (`taken`: their
 * conditions hold) and those they passed by whose single condition nft can negate (`negated`).
 */
export interface Path<R = PlacedRule> {
	readonly taken: readonly R[];
	readonly negated: readonly R[];
}

/** One moved rule in a helper chain: the rule, its chain, and the paths that reach it. */
export interface HelperEntry extends PlacedRule {
	/** One helper rule per path, behind its conditions; a path without any: always reached. */
	readonly paths: readonly Path[];
}

export interface Refusal {
	readonly message: string;
	readonly hint: string;
}

export interface CtHelperPlan {
	/** Rules that cannot move, with the reason; every other CT --helper rule of the table moves. */
	readonly refused: ReadonlyMap<ipt.Rule, Refusal>;
	/** Per hook, the rules of its helper chain in evaluation order (with the chain each sits in). */
	readonly hooks: ReadonlyMap<HelperHook, readonly HelperEntry[]>;
	/** The object each moving rule uses. */
	readonly objectOf: ReadonlyMap<ipt.Rule, HelperObject>;
	readonly objects: readonly HelperObject[];
}

const HELPER_NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;
const MAX_WORLDS = 64;
const MAX_STEPS = 50_000;

/** Whether the table has a CT --helper rule (the plan is only built then). */
export function hasCtHelper(t: ipt.Table): boolean {
	return t.name === "raw" && t.chains.some((c) => c.rules.some((r) => r.target?.kind === "ct" && r.target.helper !== undefined));
}

export function planCtHelpers(t: ipt.Table): CtHelperPlan {
	const refused = new Map<ipt.Rule, Refusal>();
	const objectOf = new Map<ipt.Rule, HelperObject>();
	const objects = new Map<string, HelperObject>();
	const chains = new Map(t.chains.map((c) => [c.name, c] as const));
	const chainOf = new Map<ipt.Rule, string>();
	const staticOrder = new Map<ipt.Rule, number>();
	const helpers: ipt.Rule[] = [];
	for (const c of t.chains)
		for (const r of c.rules) {
			chainOf.set(r, c.name);
			staticOrder.set(r, staticOrder.size);
			if (r.target?.kind === "ct" && r.target.helper !== undefined) helpers.push(r);
		}

	// Per rule: what the rule itself needs.
	for (const r of helpers) {
		const t0 = r.target as Extract<ipt.Target, { kind: "ct" }>;
		const name = t0.helper!;
		const reason = ownReason(r, t0, name);
		if (reason !== undefined) {
			refused.set(r, reason);
			continue;
		}
		const proto = r.proto!.value === 6 ? "tcp" : "udp";
		const key = `${name}-${proto}`;
		let o = objects.get(key);
		if (o === undefined) objects.set(key, (o = { name: key, helper: name, proto }));
		objectOf.set(r, o);
	}

	const hooks = new Map<HelperHook, HelperEntry[]>();
	const mutating = mutatingRule(t);
	for (const hook of HELPER_HOOKS) {
		const base = chains.get(hook);
		if (base === undefined) continue;
		const reachable = reachableChains(base.name, chains);
		const here = helpers.filter((r) => reachable.has(chainOf.get(r)!));
		if (here.length === 0) continue;
		if (mutating !== undefined) {
			for (const r of here)
				refuse(refused, r, `the raw table changes packet headers (${mutating.text.trim()}) before conntrack`, "move that rule to the mangle table");
			continue;
		}
		const before = new Map<ipt.Rule, Set<ipt.Rule>>();
		const paths = new Map<ipt.Rule, readonly Path<ipt.Rule>[]>();
		const dead = new Set<ipt.Rule>();
		for (const r of here) {
			if (refused.has(r)) continue;
			const res = analyse(r, base, chains);
			if (res.kind === "refuse") refuse(refused, r, `${res.message} (${hook})`, res.hint);
			else if (res.kind === "dead") dead.add(r);
			else {
				before.set(r, res.before);
				paths.set(r, res.paths);
			}
		}
		// Order: overlapping helper rules must come in one order on every path.
		const moving = here.filter((r) => !refused.has(r) && !dead.has(r));
		const order = topo(moving, before, staticOrder);
		if (order === undefined) {
			for (const r of moving)
				refuse(refused, r, `overlapping CT --helper rules are reached in different orders on different paths (${hook})`, "make the rules' matches disjoint");
			continue;
		}
		hooks.set(
			hook,
			order.map((rule) => {
				const place = (r: ipt.Rule): PlacedRule => ({ rule: r, chain: chainOf.get(r)! });
				return { ...place(rule), paths: (paths.get(rule) ?? []).map((p) => ({ taken: p.taken.map(place), negated: p.negated.map(place) })) };
			}),
		);
	}
	// A rule refused for one hook is refused everywhere: drop it from the other hooks' chains.
	for (const [h, rs] of hooks) hooks.set(h, rs.filter((x) => !refused.has(x.rule)));
	// Objects in input order, only those a helper chain uses.
	const used = new Set<HelperObject>();
	for (const rs of hooks.values()) for (const x of rs) used.add(objectOf.get(x.rule)!);
	return { refused, hooks, objectOf, objects: [...objects.values()].filter((o) => used.has(o)) };
}

function refuse(m: Map<ipt.Rule, Refusal>, r: ipt.Rule, message: string, hint: string): void {
	if (!m.has(r)) m.set(r, { message, hint });
}

/** What the CT --helper rule itself must satisfy. */
function ownReason(r: ipt.Rule, t: Extract<ipt.Target, { kind: "ct" }>, name: string): Refusal | undefined {
	const p = r.proto?.value === 17 ? "udp" : "tcp";
	const obj = `ct helper ${name}-${p} { type "${name}" protocol ${p}; }`;
	if (t.zone !== undefined)
		return { message: `CT --helper ${name} together with --zone: nft sets the zone before conntrack and the helper after it, and the two do not fire alike`, hint: "split the rule into a CT --zone rule and a CT --helper rule" };
	if (!HELPER_NAME.test(name)) return { message: `CT --helper ${JSON.stringify(name)}: the helper name cannot be spelled as an nft object name`, hint: "helper names are letters, digits, '.', '-' and '_'" };
	if (r.proto === undefined || r.proto.neg || (r.proto.value !== 6 && r.proto.value !== 17))
		return {
			message: `CT --helper ${name} needs -p tcp or -p udp: the kernel looks a helper up by protocol, and nft helper objects exist for tcp and udp only`,
			hint: `add -p tcp or -p udp (nft: ${obj})`,
		};
	if (r.fragment !== undefined) return { message: `CT --helper ${name} with -f cannot be moved after conntrack exactly`, hint: "drop -f" };
	for (const m of r.matches) {
		if (!stableMatch(m))
			return {
				message: `CT --helper ${name} with -m ${m.kind}: that match reads state which differs between the raw table (-300) and after conntrack (-199), where nft attaches helpers`,
				hint: `declare \`${obj}\` and add \`ct helper set "${name}-${p}"\` in a chain at priority -199 with conditions that hold after conntrack`,
			};
	}
	return undefined;
}

/**
 * Matches whose result is the same at -300 (raw) and at -199 (after conntrack): packet headers,
 * interfaces, routes, sockets. Not marks, conntrack state or stateful matches. A list rather than
 * a switch: a match kind added later is refused until someone checks it belongs here.
 */
const STABLE_MATCHES: ReadonlySet<ipt.Match["kind"]> = new Set<ipt.Match["kind"]>([
	"tcp", "udp", "icmp", "icmpv6", "multiport", "comment", "addrtype", "iprange", "length", "pkttype",
	"owner", "mac", "hl", "rt", "frag", "ah", "esp", "hbh", "dst", "mh", "ipcomp", "tcpmss", "sctp",
	"dccp", "dscp", "tos", "ecn", "physdev", "devgroup", "realm", "cpu", "cgroup", "policy", "string", "rpfilter",
]);

function stableMatch(m: ipt.Match): boolean {
	return STABLE_MATCHES.has(m.kind);
}

/** A raw-table rule that rewrites header fields (the kernel allows none there; stay safe). */
function mutatingRule(t: ipt.Table): ipt.Rule | undefined {
	for (const c of t.chains)
		for (const r of c.rules) {
			const k = r.target?.kind;
			if (k === "dscp-set" || k === "tos-set" || k === "hl-set" || k === "tcpmss" || k === "tcpoptstrip" || k === "dnat" || k === "snat" || k === "netmap" || k === "masquerade" || k === "redirect" || k === "tproxy")
				return r;
		}
	return undefined;
}

function reachableChains(from: string, chains: ReadonlyMap<string, ipt.Chain>): Set<string> {
	const seen = new Set([from]);
	const stack = [from];
	while (stack.length > 0) {
		const c = chains.get(stack.pop()!);
		for (const r of c?.rules ?? [])
			if ((r.target?.kind === "jump" || r.target?.kind === "goto") && !seen.has(r.target.chain)) {
				seen.add(r.target.chain);
				stack.push(r.target.chain);
			}
	}
	return seen;
}

// ---------------------------------------------------------------------------------------------
// Symbolic walk of the raw traversal for one CT --helper rule

type CtKind = "helper" | "notrack" | "zone" | "plain" | "other";
interface Event {
	readonly rule: ipt.Rule;
	readonly kind: CtKind;
}
interface Frame {
	readonly chain: ipt.Chain;
	readonly index: number;
}
interface World {
	stack: Frame[];
	events: Event[];
	/** Conditional rules whose branch this world took / did not take (its packets match / do not). */
	taken: ipt.Rule[];
	skipped: ipt.Rule[];
	/** Dropped or rejected in the raw table. */
	killed: boolean;
	/** The last conditional rule whose branch this world took (for messages). */
	via?: ipt.Rule;
}

type Analysis =
	/** `paths`: the conditions under which packets reach the rule. */
	| { readonly kind: "ok"; readonly before: Set<ipt.Rule>; readonly paths: readonly Path<ipt.Rule>[] }
	/** No path of the hook reaches the rule with a packet it matches: it never acts here. */
	| { readonly kind: "dead" }
	| { readonly kind: "refuse"; readonly message: string; readonly hint: string };

function ctKind(t: ipt.Target | undefined): CtKind | undefined {
	if (t === undefined) return undefined;
	if (t.kind === "notrack") return "notrack";
	if (t.kind !== "ct") return undefined;
	if (t.helper !== undefined) return "helper";
	if (t.ctevents !== undefined || t.expevents !== undefined || t.timeout !== undefined) return "other";
	return t.zone !== undefined ? "zone" : "plain";
}

function where(r: ipt.Rule): string {
	return `line ${r.span.line}: ${r.text.trim()}`;
}

function analyse(target: ipt.Rule, base: ipt.Chain, chains: ReadonlyMap<string, ipt.Chain>): Analysis {
	const me = summarise(target);
	const done: World[] = [];
	const todo: World[] = [{ stack: [{ chain: base, index: 0 }], events: [], taken: [], skipped: [], killed: false }];
	let steps = 0;
	let worlds = 1;
	const fail = (message: string, hint: string): Analysis => ({ kind: "refuse", message, hint });
	while (todo.length > 0) {
		const w = todo.pop()!;
		for (;;) {
			if (++steps > MAX_STEPS) return fail("the raw table is too large to prove where the CT --helper rule applies", "simplify the raw table");
			const top = w.stack[w.stack.length - 1];
			if (top === undefined) {
				// End of the base chain: its policy, ACCEPT or DROP, is the same in nft.
				done.push(w);
				break;
			}
			const rule = top.chain.rules[top.index];
			if (rule === undefined) {
				w.stack.pop();
				continue;
			}
			w.stack[w.stack.length - 1] = { chain: top.chain, index: top.index + 1 };
			const kind = ctKind(rule.target);
			if (kind !== undefined) {
				w.events.push({ rule, kind });
				continue;
			}
			if (!isControl(rule.target)) continue;
			const cond = summarise(rule);
			if (disjoint(cond, me)) continue;
			if (!implies(me, cond)) {
				// Some of the rule's packets take this rule, some do not: explore both.
				if (++worlds > MAX_WORLDS) return fail("too many paths through the raw table to prove where the CT --helper rule applies", "simplify the raw table");
				const fork: World = { stack: [...w.stack], events: [...w.events], taken: [...w.taken, rule], skipped: [...w.skipped], killed: false, via: rule };
				(applyControl(fork, rule, chains) ? todo : done).push(fork);
				w.skipped.push(rule);
				continue;
			}
			if (!applyControl(w, rule, chains)) {
				done.push(w);
				break;
			}
		}
	}
	const reaching = done.filter((w) => w.events.some((e) => e.rule === target));
	if (reaching.length === 0) return { kind: "dead" };
	// Packets reach the rule on paths whose conditional jumps/gotos/RETURNs nft can test again
	// after conntrack: the helper rule then carries them (and the negation of the single-condition
	// rules the path passed by). That is exact when no packet those conditions admit leaves the raw
	// chains on another path without reaching the rule (checked below).
	const paths: Path<ipt.Rule>[] = [];
	const seen = new Set<string>();
	for (const w of reaching) {
		const unstable = w.taken.find((r) => r.fragment !== undefined || !r.matches.every(stableMatch));
		if (unstable !== undefined)
			return fail(`packets reach this CT --helper rule only through a rule whose conditions differ after conntrack (${where(unstable)})`, "make the CT --helper rule reachable without that condition");
		// A negation the rule or a taken condition already implies (eth1 excludes eth0) is left out.
		const taken = [...new Set(w.taken)];
		const mine = [me, ...taken.map(summarise)];
		const negated = [...new Set(w.skipped)].filter((n) => negatable(n) && !mine.some((m) => disjoint(m, summarise(n))));
		// A rule taken on one visit and passed by on another: no packet takes this path.
		if (negated.some((n) => taken.includes(n))) continue;
		const path: Path<ipt.Rule> = { taken, negated };
		const key = `${path.taken.map((r) => r.span.line).join(",")}/${path.negated.map((r) => r.span.line).join(",")}`;
		if (seen.has(key)) continue;
		seen.add(key);
		paths.push(path);
	}
	if (paths.length === 0) return { kind: "dead" };
	// A path without conditions admits every packet the rule matches: the others add nothing.
	if (paths.some((p) => p.taken.length === 0 && p.negated.length === 0)) paths.splice(0, paths.length, { taken: [], negated: [] });
	const before = new Set<ipt.Rule>();
	for (const world of done) {
		const reached = world.events.findIndex((e) => e.rule === target);
		if (reached < 0) {
			// Dropped before: no conntrack entry on either side.
			if (world.killed) continue;
			const leak = paths.find((p) => !separated(p, me, world));
			if (leak === undefined) continue;
			const via = world.via !== undefined ? ` (${where(world.via)})` : "";
			return fail(`packets this CT --helper rule matches can leave the raw chains without reaching it${via}; nft would still attach the helper`, "make the rule reachable by every packet it matches, e.g. move it to the top of the raw chain");
		}
		for (let i = 0; i < world.events.length; i++) {
			const e = world.events[i]!;
			if (e.rule === target || disjoint(summarise(e.rule), me)) continue;
			if (i < reached) {
				if (e.kind === "helper") before.add(e.rule);
				else if (e.kind !== "notrack")
					return fail(`an earlier CT target can attach its template first (${where(e.rule)}); iptables then ignores this CT --helper, nft would not`, "make the two rules' matches disjoint");
			} else if (e.kind === "notrack" || e.kind === "zone" || e.kind === "other") {
				return fail(`a later ${e.kind === "notrack" ? "NOTRACK" : "CT"} rule matches the same packets (${where(e.rule)}); iptables ignores it after this CT --helper, nft would apply it`, "make the two rules' matches disjoint");
			}
		}
	}
	return { kind: "ok", before, paths: simplify(paths) };
}

/**
 * Merges paths that differ in one condition taken by one and negated by the other
 * ((A and c) or (A and not c) is A), until none do: the same packets, fewer rules.
 */
function simplify(paths: readonly Path<ipt.Rule>[]): Path<ipt.Rule>[] {
	const lits = (p: Path<ipt.Rule>): Map<ipt.Rule, boolean> => new Map([...p.taken.map((r) => [r, true] as const), ...p.negated.map((r) => [r, false] as const)]);
	let out = [...paths];
	for (let changed = true; changed; ) {
		changed = false;
		search: for (let i = 0; i < out.length; i++)
			for (let j = i + 1; j < out.length; j++) {
				const a = lits(out[i]!);
				const b = lits(out[j]!);
				if (a.size !== b.size) continue;
				let pivot: ipt.Rule | undefined;
				let ok = true;
				for (const [r, v] of a) {
					const w = b.get(r);
					if (w === v) continue;
					if (w === undefined || pivot !== undefined) {
						ok = false;
						break;
					}
					pivot = r;
				}
				if (!ok || pivot === undefined) continue;
				const merged = { taken: out[i]!.taken.filter((r) => r !== pivot), negated: out[i]!.negated.filter((r) => r !== pivot) };
				out = [...out.slice(0, i), merged, ...out.slice(i + 1, j), ...out.slice(j + 1)];
				changed = true;
				break search;
			}
	}
	return out.some((p) => p.taken.length === 0 && p.negated.length === 0) ? [{ taken: [], negated: [] }] : out;
}

/**
 * No packet the path's helper rule admits belongs to `other` (a world that leaves without
 * reaching the rule): a condition of the path excludes one `other` took, implies one `other` did
 * not take, or the path negates a condition `other` took (or one that follows from it).
 */
function separated(path: Path<ipt.Rule>, me: Summary, other: World): boolean {
	const mine = [me, ...path.taken.map(summarise)];
	if (other.taken.some((t) => mine.some((m) => disjoint(m, summarise(t))))) return true;
	if (other.skipped.some((s) => mine.some((m) => implies(m, summarise(s))))) return true;
	return path.negated.some((n) => other.taken.some((t) => t === n || implies(summarise(t), summarise(n))));
}

/**
 * A rule whose conditions are one protocol, interface or address prefix: its lowering is one
 * comparison, which nft can negate (`iifname != "eth0"`).
 */
function negatable(r: ipt.Rule): boolean {
	const s = summarise(r);
	if (s.opaque || s.sport !== undefined || s.dport !== undefined) return false;
	const atoms = [s.proto, s.iif, s.oif, s.src, s.dst].filter((a) => a !== undefined);
	if (atoms.length !== 1) return false;
	const addr = s.src ?? s.dst;
	return addr === undefined || (addr.value.prefixLen !== undefined && addr.value.prefixLen > 0);
}

function isControl(t: ipt.Target | undefined): boolean {
	switch (t?.kind) {
		case "accept":
		case "drop":
		case "reject":
		case "return":
		case "jump":
		case "goto":
		case "nfqueue":
		case "synproxy":
		case "unknown":
			return true;
		default:
			return false;
	}
}

/** Applies a control rule the world takes; false when the traversal ends there. */
function applyControl(w: World, rule: ipt.Rule, chains: ReadonlyMap<string, ipt.Chain>): boolean {
	const t = rule.target!;
	switch (t.kind) {
		case "drop":
		case "reject":
			w.killed = true;
			w.via = rule;
			return false;
		case "return":
			w.stack.pop();
			return true;
		case "jump":
		case "goto": {
			const c = chains.get(t.chain);
			if (c === undefined) return true;
			if (t.kind === "goto") w.stack.pop();
			w.stack.push({ chain: c, index: 0 });
			return true;
		}
		default:
			// ACCEPT, NFQUEUE (reinjected after the raw hook), SYNPROXY, unknown: the raw walk ends, the packet goes on.
			w.via = rule;
			return false;
	}
}

// ---------------------------------------------------------------------------------------------
// Conditions: a rule's matches as a few comparable atoms

interface Summary {
	readonly proto?: ipt.Neg<number>;
	readonly iif?: ipt.Neg<ipt.Iface>;
	readonly oif?: ipt.Neg<ipt.Iface>;
	readonly src?: ipt.Neg<ipt.AddrMask>;
	readonly dst?: ipt.Neg<ipt.AddrMask>;
	readonly sport?: readonly ipt.PortRange[];
	readonly dport?: readonly ipt.PortRange[];
	/** Some condition the atoms do not capture (it may only narrow the rule). */
	readonly opaque: boolean;
}

const summaries = new WeakMap<ipt.Rule, Summary>();

function summarise(r: ipt.Rule): Summary {
	let s = summaries.get(r);
	if (s !== undefined) return s;
	let opaque = r.fragment !== undefined;
	let sport: ipt.PortRange[] | undefined;
	let dport: ipt.PortRange[] | undefined;
	const narrow = (cur: ipt.PortRange[] | undefined, p: ipt.Neg<ipt.PortRange> | undefined): ipt.PortRange[] | undefined => {
		if (p === undefined) return cur;
		if (p.neg || cur !== undefined) {
			opaque = true;
			return cur;
		}
		return [p.value];
	};
	for (const m of r.matches) {
		switch (m.kind) {
			case "comment":
				break;
			case "tcp":
				sport = narrow(sport, m.sport);
				dport = narrow(dport, m.dport);
				if (m.flags !== undefined || m.option !== undefined) opaque = true;
				break;
			case "udp":
				sport = narrow(sport, m.sport);
				dport = narrow(dport, m.dport);
				break;
			case "multiport":
				if (m.ports.neg || m.dir === "any" || (m.dir === "dst" ? dport : sport) !== undefined) opaque = true;
				else if (m.dir === "dst") dport = [...m.ports.value];
				else sport = [...m.ports.value];
				break;
			default:
				opaque = true;
		}
	}
	s = {
		...(r.proto !== undefined ? { proto: r.proto } : {}),
		...(r.iif !== undefined ? { iif: r.iif } : {}),
		...(r.oif !== undefined ? { oif: r.oif } : {}),
		...(r.src !== undefined ? { src: r.src } : {}),
		...(r.dst !== undefined ? { dst: r.dst } : {}),
		...(sport !== undefined ? { sport } : {}),
		...(dport !== undefined ? { dport } : {}),
		opaque,
	};
	summaries.set(r, s);
	return s;
}

/** No packet can satisfy both (proved from the atoms; false when unsure). */
export function disjoint(a: Summary, b: Summary): boolean {
	if (a.proto !== undefined && b.proto !== undefined) {
		if (!a.proto.neg && !b.proto.neg && a.proto.value !== b.proto.value) return true;
		if (a.proto.neg !== b.proto.neg && a.proto.value === b.proto.value) return true;
	}
	if (ifaceDisjoint(a.iif, b.iif) || ifaceDisjoint(a.oif, b.oif)) return true;
	if (addrDisjoint(a.src, b.src) || addrDisjoint(a.dst, b.dst)) return true;
	if (a.sport !== undefined && b.sport !== undefined && !rangesMeet(a.sport, b.sport)) return true;
	if (a.dport !== undefined && b.dport !== undefined && !rangesMeet(a.dport, b.dport)) return true;
	return false;
}

/** Every packet that satisfies `a` satisfies `c` (false when unsure). */
export function implies(a: Summary, c: Summary): boolean {
	if (c.opaque) return false;
	if (c.proto !== undefined && (a.proto === undefined || a.proto.neg !== c.proto.neg || a.proto.value !== c.proto.value)) return false;
	if (!ifaceImplies(a.iif, c.iif) || !ifaceImplies(a.oif, c.oif)) return false;
	if (!addrImplies(a.src, c.src) || !addrImplies(a.dst, c.dst)) return false;
	if (c.sport !== undefined && (a.sport === undefined || !rangesWithin(a.sport, c.sport))) return false;
	if (c.dport !== undefined && (a.dport === undefined || !rangesWithin(a.dport, c.dport))) return false;
	return true;
}

/** Whether an interface name pattern matches a name (or, wildcard vs wildcard, can overlap). */
function nameMeets(a: ipt.Iface, b: ipt.Iface): boolean {
	if (a.wildcard && b.wildcard) return a.name.startsWith(b.name) || b.name.startsWith(a.name);
	if (a.wildcard) return b.name.startsWith(a.name);
	if (b.wildcard) return a.name.startsWith(b.name);
	return a.name === b.name;
}

function ifaceDisjoint(a: ipt.Neg<ipt.Iface> | undefined, b: ipt.Neg<ipt.Iface> | undefined): boolean {
	if (a === undefined || b === undefined) return false;
	if (!a.neg && !b.neg) return !nameMeets(a.value, b.value);
	// One positive, one negative: disjoint when the negation excludes every name the positive allows.
	const pos = a.neg ? b : a;
	const neg = a.neg ? a : b;
	if (pos.neg || !neg.neg) return false;
	return neg.value.wildcard ? pos.value.name.startsWith(neg.value.name) : !pos.value.wildcard && pos.value.name === neg.value.name;
}

function ifaceImplies(a: ipt.Neg<ipt.Iface> | undefined, c: ipt.Neg<ipt.Iface> | undefined): boolean {
	if (c === undefined) return true;
	if (a === undefined) return false;
	if (a.neg || c.neg) return a.neg === c.neg && a.value.name === c.value.name && a.value.wildcard === c.value.wildcard;
	if (c.value.wildcard) return a.value.name.startsWith(c.value.name);
	return !a.value.wildcard && a.value.name === c.value.name;
}

function prefixOf(a: ipt.AddrMask): { addr: bigint; len: number } | undefined {
	return a.prefixLen === undefined ? undefined : { addr: a.addr, len: a.prefixLen };
}

function within(inner: { addr: bigint; len: number }, outer: { addr: bigint; len: number }, bits: number): boolean {
	if (inner.len < outer.len) return false;
	const shift = BigInt(bits - outer.len);
	return inner.addr >> shift === outer.addr >> shift;
}

function addrDisjoint(a: ipt.Neg<ipt.AddrMask> | undefined, b: ipt.Neg<ipt.AddrMask> | undefined): boolean {
	if (a === undefined || b === undefined || a.neg || b.neg) return false;
	const pa = prefixOf(a.value);
	const pb = prefixOf(b.value);
	if (pa === undefined || pb === undefined) return false;
	const bits = a.value.fam === 4 ? 32 : 128;
	return !within(pa, pb, bits) && !within(pb, pa, bits);
}

function addrImplies(a: ipt.Neg<ipt.AddrMask> | undefined, c: ipt.Neg<ipt.AddrMask> | undefined): boolean {
	if (c === undefined) return true;
	if (a === undefined || a.neg || c.neg) return a !== undefined && a.neg && c.neg && a.value.addr === c.value.addr && a.value.mask === c.value.mask;
	const pa = prefixOf(a.value);
	const pc = prefixOf(c.value);
	return pa !== undefined && pc !== undefined && within(pa, pc, a.value.fam === 4 ? 32 : 128);
}

function rangesMeet(a: readonly ipt.PortRange[], b: readonly ipt.PortRange[]): boolean {
	return a.some((x) => b.some((y) => x.lo <= y.hi && y.lo <= x.hi));
}

function rangesWithin(a: readonly ipt.PortRange[], c: readonly ipt.PortRange[]): boolean {
	return a.every((x) => c.some((y) => y.lo <= x.lo && x.hi <= y.hi));
}

/** Orders rules so that every `before` constraint holds, ties by input order; undefined on a cycle. */
function topo(rules: readonly ipt.Rule[], before: ReadonlyMap<ipt.Rule, ReadonlySet<ipt.Rule>>, order: ReadonlyMap<ipt.Rule, number>): ipt.Rule[] | undefined {
	const set = new Set(rules);
	const out: ipt.Rule[] = [];
	const placed = new Set<ipt.Rule>();
	const rest = [...rules].sort((a, b) => order.get(a)! - order.get(b)!);
	while (rest.length > 0) {
		const i = rest.findIndex((r) => [...(before.get(r) ?? [])].every((p) => placed.has(p) || !set.has(p)));
		if (i < 0) return undefined;
		const [r] = rest.splice(i, 1);
		out.push(r!);
		placed.add(r!);
	}
	return out;
}

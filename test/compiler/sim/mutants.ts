/**
 * Mutation operators over emitted nft text, and the equivalence filters that keep them from making
 * mutants no packet can tell apart. Every filter is a proof sketch that holds for every host and
 * packet, never a guess about the corpus:
 *
 * - inert chain: a base chain with policy accept whose reachable rules (through jump/goto) only
 *   accept, return or continue and have no statement with an effect (log, mark/ct mark set, NAT,
 *   reject, queue, notrack, set updates). Such a chain accepts every packet and changes nothing,
 *   whatever its matches and rule order, so a mutation that keeps that true (port, prefix,
 *   negation, interface, deletion, swap: all but accept↔drop) is equivalent. A user chain is inert
 *   when every base chain that reaches it is.
 * - no-op rule: a rule without effects whose verdict is none/continue or a jump to a no-op chain
 *   (every rule a no-op or `return`; `goto` is not a no-op: it ends the calling chain). Changing
 *   its matches, deleting it, or swapping it with a neighbour changes nothing.
 * - swap: two adjacent rules commute when their match sets are disjoint (a packet meets at most one
 *   of them), or when they have the same verdict and no effects (first match gives the same result).
 *   Disjointness is decided syntactically on selectors both rules test: different interface names
 *   (or non-overlapping wildcards), `X` vs `!= X`, non-overlapping prefixes or port sets, different
 *   l4 protocols (explicit or implied by `tcp dport`/`udp dport`), disjoint `ct state` sets.
 * - priority: a base chain is moved just across one neighbouring station of its hook, and only
 *   across one where order can matter:
 *     conntrack (-200, prerouting/output) when the chain reads `ct` or uses notrack: before it every
 *       packet is untracked-invalid;
 *     the NAT core (-100 / 100) when some nat chain on that hook translates and the chain is not
 *       inert: it then sees addresses before or after translation;
 *     another base chain when one of the two has effects (or reject/queue/log) and the other is not
 *       inert. Two chains with only accept/drop commute: drop anywhere is final, accept only ends
 *       its own chain, so the packet is dropped iff either drops it.
 *   nat chains are ordered only among the nat chains of their hook (the NAT core calls them in
 *   priority order, nf_nat_register_fn), so a nat chain moves only across another nat chain of the
 *   same hook, both non-inert. A nat chain at -200 or lower is refused by the kernel, which the
 *   simulator reports (nft_chain_refused): such mutants are not generated, since they test the
 *   kernel's registration check rather than verification.
 */

export interface Operator {
	readonly name: string;
	/** Every mutant of `lines` this operator makes (one change each). */
	readonly mutate: (lines: readonly string[], info: TextInfo) => string[][];
}

type Verdict =
	| { readonly kind: "none" | "accept" | "drop" | "return" | "continue" | "other" }
	| { readonly kind: "jump" | "goto"; readonly chain: string };

interface RuleInfo {
	readonly line: number;
	readonly text: string;
	readonly chain: ChainInfo;
	readonly verdict: Verdict;
	readonly effects: boolean;
}

interface ChainInfo {
	readonly key: string;
	readonly table: string;
	readonly family: string;
	readonly name: string;
	base?: { readonly type: string; readonly hook: string; readonly prio: number; readonly policy: string; readonly line: number };
	readonly rules: RuleInfo[];
}

export interface TextInfo {
	readonly chains: ReadonlyMap<string, ChainInfo>;
	readonly ruleAt: ReadonlyMap<number, RuleInfo>;
	/** Rules whose mutation (other than a new verdict) cannot change any outcome. */
	readonly inertRule: (line: number) => boolean;
	readonly noopRule: (line: number) => boolean;
	readonly inertChain: (key: string) => boolean;
	/** Every reachable rule only accepts/returns/continues, without effects (policy aside). */
	readonly acceptOnly: (key: string) => boolean;
}

const PRIO_NAMES: Readonly<Record<string, number>> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };

const isRuleLine = (l: string): boolean => /^\t\t\S/.test(l) && !/^\t\t(type|policy) /.test(l);

function stripComment(t: string): string {
	return t.replace(/\s+comment "(?:[^"\\]|\\.)*"$/, "");
}

function verdictOfText(t: string): Verdict {
	const s = stripComment(t);
	const m = /(?:^|\s)(accept|drop|return|continue|(jump|goto) (\S+)|reject.*|queue.*|(?:dnat|snat|masquerade|redirect).*)$/.exec(s);
	if (!m) return { kind: "none" };
	if (m[2] === "jump" || m[2] === "goto") return { kind: m[2], chain: m[3]! };
	const w = m[1]!;
	if (w === "accept" || w === "drop" || w === "return" || w === "continue") return { kind: w };
	return { kind: "other" };
}

/** Statements that change the packet, conntrack, logs or the fate beyond accept/drop. */
function hasEffects(t: string): boolean {
	const s = stripComment(t);
	return / (set|log|notrack|dnat|snat|masquerade|redirect|reject|queue|update @|add @|dup|fwd)\b|^(log|reject|queue|notrack|masquerade|redirect|dnat|snat)\b/.test(s);
}

export function analyse(lines: readonly string[]): TextInfo {
	const chains = new Map<string, ChainInfo>();
	const ruleAt = new Map<number, RuleInfo>();
	let table = "";
	let family = "";
	let cur: ChainInfo | undefined;
	lines.forEach((l, i) => {
		let m = /^table (\w+) (\S+) \{/.exec(l);
		if (m) {
			family = m[1]!;
			table = m[2]!;
			return;
		}
		m = /^\tchain (\S+) \{/.exec(l);
		if (m) {
			cur = { key: `${family} ${table} ${m[1]}`, table, family, name: m[1]!, rules: [] };
			chains.set(cur.key, cur);
			return;
		}
		if (/^\t\}/.test(l)) {
			cur = undefined;
			return;
		}
		if (!cur) return;
		m = /^\t\ttype (\w+) hook (\w+) priority ([a-z]+|-?\d+)(?: ([+-]) (\d+))?; policy (\w+);/.exec(l);
		if (m) {
			let prio = PRIO_NAMES[m[3]!] ?? Number(m[3]);
			if (m[4]) prio += (m[4] === "-" ? -1 : 1) * Number(m[5]);
			cur.base = { type: m[1]!, hook: m[2]!, prio, policy: m[6]!, line: i };
			return;
		}
		if (!isRuleLine(l)) return;
		const r: RuleInfo = { line: i, text: l.trim(), chain: cur, verdict: verdictOfText(l.trim()), effects: hasEffects(l.trim()) };
		cur.rules.push(r);
		ruleAt.set(i, r);
	});
	const target = (c: ChainInfo, v: Verdict): ChainInfo | undefined =>
		v.kind === "jump" || v.kind === "goto" ? chains.get(`${c.family} ${c.table} ${v.chain}`) : undefined;

	// No-op chains: fixpoint from "everything is a no-op" down (a jump loop is refused anyway).
	const noop = new Set(chains.keys());
	const ruleNoop = (r: RuleInfo): boolean => {
		if (r.effects) return false;
		const v = r.verdict;
		if (v.kind === "none" || v.kind === "continue") return true;
		if (v.kind === "jump") {
			const t = target(r.chain, v);
			return t !== undefined && noop.has(t.key);
		}
		return false;
	};
	for (let changed = true; changed; ) {
		changed = false;
		for (const c of chains.values()) {
			if (!noop.has(c.key)) continue;
			if (c.base || !c.rules.every((r) => ruleNoop(r) || (r.verdict.kind === "return" && !r.effects))) {
				noop.delete(c.key);
				changed = true;
			}
		}
	}
	// Accept-only closures: every reachable verdict accept/return/continue/none, no effects.
	const acceptOnly = new Set(chains.keys());
	for (let changed = true; changed; ) {
		changed = false;
		for (const c of chains.values()) {
			if (!acceptOnly.has(c.key)) continue;
			const ok = c.rules.every((r) => {
				if (r.effects) return false;
				const v = r.verdict;
				if (v.kind === "none" || v.kind === "accept" || v.kind === "return" || v.kind === "continue") return true;
				if (v.kind === "jump" || v.kind === "goto") {
					const t = target(c, v);
					return t !== undefined && acceptOnly.has(t.key);
				}
				return false;
			});
			if (!ok || (c.base && c.base.policy !== "accept")) {
				acceptOnly.delete(c.key);
				changed = true;
			}
		}
	}
	// A chain is inert when every base chain reaching it is accept-only (unreachable: inert too).
	const reachers = new Map<string, Set<string>>();
	for (const b of chains.values()) {
		if (!b.base) continue;
		const stack = [b];
		const seen = new Set<string>([b.key]);
		while (stack.length > 0) {
			const c = stack.pop()!;
			let set = reachers.get(c.key);
			if (!set) reachers.set(c.key, (set = new Set()));
			set.add(b.key);
			for (const r of c.rules) {
				const t = target(c, r.verdict);
				if (t && !seen.has(t.key)) {
					seen.add(t.key);
					stack.push(t);
				}
			}
		}
	}
	const inertChain = (key: string): boolean => [...(reachers.get(key) ?? [])].every((b) => acceptOnly.has(b));
	return {
		chains,
		ruleAt,
		inertChain,
		acceptOnly: (key) => acceptOnly.has(key),
		inertRule: (line) => {
			const r = ruleAt.get(line);
			return r !== undefined && inertChain(r.chain.key);
		},
		noopRule: (line) => {
			const r = ruleAt.get(line);
			return r !== undefined && ruleNoop(r);
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Operators

/** One mutant per rule line where `re` matches, first match replaced; `skip` filters equivalent ones. */
function perLine(re: RegExp, f: (m: RegExpExecArray) => string, skip: (info: TextInfo, line: number) => boolean): Operator["mutate"] {
	return (lines, info) => {
		const out: string[][] = [];
		lines.forEach((l, i) => {
			if (!isRuleLine(l) || skip(info, i)) return;
			const m = re.exec(l);
			if (!m) return;
			const replaced = l.slice(0, m.index) + f(m) + l.slice(m.index + m[0].length);
			if (replaced === l) return;
			const copy = [...lines];
			copy[i] = replaced;
			out.push(copy);
		});
		return out;
	};
}

/** Matches of an inert chain or a no-op rule decide nothing. */
const matchIrrelevant = (info: TextInfo, line: number): boolean => info.inertRule(line) || info.noopRule(line);
const never = (): boolean => false;

export const OPERATORS: readonly Operator[] = [
	{ name: "accept↔drop", mutate: perLine(/ (accept|drop)$/, (m) => (m[1] === "accept" ? " drop" : " accept"), never) },
	{ name: "port +1", mutate: perLine(/(dport|sport) (\d+)\b/, (m) => `${m[1]} ${Number(m[2]) + 1}`, matchIrrelevant) },
	{ name: "port -1", mutate: perLine(/(dport|sport) (\d+)\b/, (m) => `${m[1]} ${Math.max(0, Number(m[2]) - 1)}`, matchIrrelevant) },
	{ name: "prefix length -1", mutate: perLine(/\/(\d+)\b/, (m) => `/${Math.max(1, Number(m[1]) - 1)}`, matchIrrelevant) },
	{
		name: "prefix length +1",
		mutate: perLine(/(\d+\.\d+\.\d+\.\d+)\/(\d+)\b/, (m) => `${m[1]}/${Math.min(32, Number(m[2]) + 1)}`, matchIrrelevant),
	},
	{
		name: "rule deleted",
		mutate: (lines, info) =>
			lines.flatMap((l, i) => (isRuleLine(l) && !matchIrrelevant(info, i) ? [[...lines.slice(0, i), ...lines.slice(i + 1)]] : [])),
	},
	{ name: "two rules swapped", mutate: swaps },
	// nft refuses a port-changing NAT statement without a protocol; so must the pipeline.
	{
		name: "missing meta l4proto",
		mutate: perLine(/(ip protocol|meta l4proto) (tcp|udp) (?=.*(dnat|redirect|masquerade|snat) to [^ ]*:)/, () => "", never),
	},
	{ name: "interface wildcard lost", mutate: perLine(/"([^"]*)\*"/, (m) => `"${m[1]}"`, matchIrrelevant) },
	{ name: "negation lost", mutate: perLine(/ != /, () => " ", matchIrrelevant) },
	{
		name: "wrong NAT address",
		mutate: perLine(/(dnat|snat) to (\d+\.\d+\.\d+\.)(\d+)/, (m) => `${m[1]} to ${m[2]}${(Number(m[3]) + 1) % 256}`, never),
	},
	{ name: "chain priority changed", mutate: priorities },
];

function swaps(lines: readonly string[], info: TextInfo): string[][] {
	const out: string[][] = [];
	for (const c of info.chains.values()) {
		for (let k = 0; k + 1 < c.rules.length; k++) {
			const a = c.rules[k]!;
			const b = c.rules[k + 1]!;
			if (info.inertRule(a.line) || info.noopRule(a.line) || info.noopRule(b.line)) continue;
			if (sameAction(a, b)) continue;
			if (disjoint(a.text, b.text)) continue;
			// On the packets both match, a jump whose chain cannot act on them is a no-op.
			if (jumpIdleOn(info, b, a) || jumpIdleOn(info, a, b)) continue;
			if (acceptCommutes(info, a, b) || acceptCommutes(info, b, a)) continue;
			const copy = [...lines];
			copy[a.line] = lines[b.line]!;
			copy[b.line] = lines[a.line]!;
			out.push(copy);
		}
	}
	return out;
}

/**
 * Same verdict and no other effect, or the very same action text (`masquerade` twice): whichever
 * rule a packet meets first, the same thing happens to it.
 */
function sameAction(a: RuleInfo, b: RuleInfo): boolean {
	const bothOther = a.verdict.kind === "other" && b.verdict.kind === "other";
	if (!bothOther && !sameVerdict(a.verdict, b.verdict)) return false;
	if (!a.effects && !b.effects) return true;
	const act = (t: string): string | undefined => /(?:^|\s)((?:dnat|snat|masquerade|redirect|reject|queue)\b.*)$/.exec(stripComment(t))?.[1];
	const x = act(a.text);
	return x !== undefined && x === act(b.text) && !hasEffects(stripComment(a.text).slice(0, -x.length)) && !hasEffects(stripComment(b.text).slice(0, -x.length));
}

/**
 * `j` is `jump C` (no effects of its own) and no rule of C can match a packet that matches both
 * rules: on their common packets C falls through and returns, so the order does not matter.
 */
function jumpIdleOn(info: TextInfo, j: RuleInfo, other: RuleInfo): boolean {
	return idleJump(info, j, other.text, 0);
}

/** Every rule of the jump's chain is disjoint from `context` (what the packet is known to match), or itself an idle jump. */
function idleJump(info: TextInfo, j: RuleInfo, context: string, depth: number): boolean {
	if (j.verdict.kind !== "jump" || j.effects || depth > 8) return false;
	const c = info.chains.get(`${j.chain.family} ${j.chain.table} ${j.verdict.chain}`);
	if (!c) return false;
	const ctx = `${context} ${j.text}`;
	return c.rules.every((r) => disjoint(ctx, r.text) || idleJump(info, r, ctx, depth + 1));
}

/**
 * `a` only accepts (no effects) and `j` jumps to a chain that can only accept or return without
 * effects: on common packets both orders end in accept.
 */
function acceptCommutes(info: TextInfo, a: RuleInfo, j: RuleInfo): boolean {
	if (a.effects || a.verdict.kind !== "accept" || j.effects || j.verdict.kind !== "jump") return false;
	return info.acceptOnly(`${j.chain.family} ${j.chain.table} ${j.verdict.chain}`);
}

function sameVerdict(a: Verdict, b: Verdict): boolean {
	if (a.kind !== b.kind || a.kind === "other") return false;
	return a.kind === "jump" || a.kind === "goto" ? a.chain === (b as { chain: string }).chain : true;
}

// ---------------------------------------------------------------------------------------------
// Syntactic disjointness of two rules' match sets

type Constraint =
	| { readonly kind: "name"; readonly neg: boolean; readonly name: string; readonly wildcard: boolean }
	| { readonly kind: "ranges"; readonly neg: boolean; readonly ranges: readonly (readonly [bigint, bigint])[] }
	| { readonly kind: "words"; readonly neg: boolean; readonly words: ReadonlySet<string> };

const PROTO_NUM: Readonly<Record<string, string>> = { tcp: "6", udp: "17", icmp: "1", "ipv6-icmp": "58", icmpv6: "58", sctp: "132", dccp: "33" };

function v4(s: string): bigint | undefined {
	const p = s.split(".").map(Number);
	if (p.length !== 4 || p.some((x) => !Number.isInteger(x) || x < 0 || x > 255)) return undefined;
	return p.reduce((a, x) => (a << 8n) | BigInt(x), 0n);
}

function constraints(text: string): Map<string, Constraint> {
	const s = stripComment(text);
	const out = new Map<string, Constraint>();
	for (const m of s.matchAll(/\b(iifname|oifname) (!= )?"([^"]*)"/g)) {
		const wildcard = m[3]!.endsWith("*");
		out.set(m[1]!, { kind: "name", neg: m[2] !== undefined, name: wildcard ? m[3]!.slice(0, -1) : m[3]!, wildcard });
	}
	for (const m of s.matchAll(/\bip (saddr|daddr) (!= )?(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?(?=\s|$)/g)) {
		const a = v4(m[3]!);
		if (a === undefined) continue;
		const len = BigInt(m[4] ?? "32");
		const host = (1n << (32n - len)) - 1n;
		out.set(`ip ${m[1]}`, { kind: "ranges", neg: m[2] !== undefined, ranges: [[a & ~host, (a & ~host) | host]] });
	}
	for (const m of s.matchAll(/\b(tcp|udp|th|sctp|dccp) (dport|sport) (!= )?(\{ [^}]* \}|\d+(?:-\d+)?)/g)) {
		const ranges = m[4]!
			.replace(/[{}]/g, "")
			.split(",")
			.map((x) => x.trim())
			.filter((x) => x !== "")
			.map((x) => {
				const [lo, hi] = x.split("-");
				return [BigInt(lo!), BigInt(hi ?? lo!)] as const;
			});
		if (ranges.some((r) => r.some((v) => v === undefined))) continue;
		out.set(`port ${m[2]}`, { kind: "ranges", neg: m[3] !== undefined, ranges });
		if (m[1] !== "th") out.set("l4proto", { kind: "words", neg: false, words: new Set([PROTO_NUM[m[1]!]!]) });
	}
	for (const m of s.matchAll(/\b(?:ip protocol|meta l4proto|ip6 nexthdr) (!= )?(\w[\w-]*)(?=\s|$)/g)) {
		out.set("l4proto", { kind: "words", neg: m[1] !== undefined, words: new Set([PROTO_NUM[m[2]!] ?? m[2]!]) });
	}
	for (const m of s.matchAll(/\b(icmp|icmpv6) (type|code) /g)) out.set("l4proto", { kind: "words", neg: false, words: new Set([PROTO_NUM[m[1]!]!]) });
	if (/\btcp flags\b/.test(s)) out.set("l4proto", { kind: "words", neg: false, words: new Set(["6"]) });
	const ct = /\bct state (!= )?([a-z,]+)(?=\s|$)/.exec(s);
	if (ct) out.set("ct state", { kind: "words", neg: ct[1] !== undefined, words: new Set(ct[2]!.split(",")) });
	return out;
}

function rangesOverlap(a: readonly (readonly [bigint, bigint])[], b: readonly (readonly [bigint, bigint])[]): boolean {
	return a.some(([l1, h1]) => b.some(([l2, h2]) => l1 <= h2 && l2 <= h1));
}

function rangesInside(a: readonly (readonly [bigint, bigint])[], b: readonly (readonly [bigint, bigint])[]): boolean {
	return a.every(([l1, h1]) => b.some(([l2, h2]) => l2 <= l1 && h1 <= h2));
}

/** True when no packet can satisfy both constraints. */
function excludes(a: Constraint, b: Constraint): boolean {
	if (a.neg && b.neg) return false;
	if (a.neg) return excludes(b, a);
	// a is positive from here.
	if (a.kind === "name" && b.kind === "name") {
		const aIn = (n: string): boolean => (a.wildcard ? n.startsWith(a.name) : n === a.name);
		if (b.neg) return !a.wildcard ? (b.wildcard ? a.name.startsWith(b.name) : a.name === b.name) : b.wildcard && a.name.startsWith(b.name);
		if (!a.wildcard && !b.wildcard) return a.name !== b.name;
		if (!a.wildcard) return !a.name.startsWith(b.name);
		if (!b.wildcard) return !aIn(b.name);
		return !a.name.startsWith(b.name) && !b.name.startsWith(a.name);
	}
	if (a.kind === "ranges" && b.kind === "ranges") return b.neg ? rangesInside(a.ranges, b.ranges) : !rangesOverlap(a.ranges, b.ranges);
	if (a.kind === "words" && b.kind === "words") {
		if (b.neg) return [...a.words].every((w) => b.words.has(w));
		return ![...a.words].some((w) => b.words.has(w));
	}
	return false;
}

export function disjoint(x: string, y: string): boolean {
	const a = constraints(x);
	const b = constraints(y);
	for (const [k, c] of a) {
		const d = b.get(k);
		if (d && excludes(c, d)) return true;
	}
	return false;
}

// ---------------------------------------------------------------------------------------------
// Priority moves

interface Station {
	readonly kind: "conntrack" | "natcore" | "chain";
	readonly prio: number;
	readonly chain?: ChainInfo;
}

const FAMS: Readonly<Record<string, readonly number[]>> = { ip: [4], ip6: [6], inet: [4, 6] };

function priorities(lines: readonly string[], info: TextInfo): string[][] {
	const chains = [...info.chains.values()];
	const closure = (c: ChainInfo): ChainInfo[] => {
		const seen = new Map<string, ChainInfo>([[c.key, c]]);
		const stack = [c];
		while (stack.length > 0) {
			const x = stack.pop()!;
			for (const r of x.rules) {
				if (r.verdict.kind !== "jump" && r.verdict.kind !== "goto") continue;
				const t = info.chains.get(`${x.family} ${x.table} ${r.verdict.chain}`);
				if (t && !seen.has(t.key)) {
					seen.set(t.key, t);
					stack.push(t);
				}
			}
		}
		return [...seen.values()];
	};
	const rulesOf = (c: ChainInfo): RuleInfo[] => closure(c).flatMap((x) => x.rules);
	const inert = (c: ChainInfo): boolean => info.inertChain(c.key);
	const effects = (c: ChainInfo): boolean => rulesOf(c).some((r) => r.effects);
	const readsCt = (c: ChainInfo): boolean => rulesOf(c).some((r) => /\bct |\bnotrack\b/.test(stripComment(r.text)));
	const translates = (c: ChainInfo): boolean => rulesOf(c).some((r) => /\b(dnat|snat|masquerade|redirect)\b/.test(stripComment(r.text)));
	const overlap = (a: ChainInfo, b: ChainInfo): boolean => (FAMS[a.family] ?? []).some((f) => (FAMS[b.family] ?? []).includes(f));

	const out: string[][] = [];
	for (const c of chains) {
		const base = c.base;
		if (!base || inert(c)) continue;
		const hook = base.hook;
		const stations: Station[] = [];
		const sameHook = chains.filter((o) => o !== c && o.base?.hook === hook && overlap(o, c));
		if (base.type === "nat") {
			for (const o of sameHook) if (o.base!.type === "nat" && !inert(o)) stations.push({ kind: "chain", prio: o.base!.prio, chain: o });
		} else {
			if ((hook === "prerouting" || hook === "output") && readsCt(c)) stations.push({ kind: "conntrack", prio: -200 });
			const natPrio = hook === "prerouting" || hook === "output" ? -100 : hook === "input" || hook === "postrouting" ? 100 : undefined;
			if (natPrio !== undefined && sameHook.some((o) => o.base!.type === "nat" && translates(o))) stations.push({ kind: "natcore", prio: natPrio });
			for (const o of sameHook) {
				if (o.base!.type === "nat") continue;
				if ((effects(c) && !inert(o)) || (effects(o) && !inert(c))) stations.push({ kind: "chain", prio: o.base!.prio, chain: o });
			}
		}
		// Only the nearest interacting station on each side: farther ones repeat the same question.
		const before = stations.filter((s) => s.prio < base.prio || (s.prio === base.prio && s.kind !== "chain")).sort((a, b) => b.prio - a.prio)[0];
		const after = stations.filter((s) => s.prio > base.prio).sort((a, b) => a.prio - b.prio)[0];
		for (const [s, to] of [
			[before, before ? before.prio - 1 : 0],
			[after, after ? after.prio + 1 : 0],
		] as const) {
			if (!s) continue;
			const copy = [...lines];
			copy[base.line] = lines[base.line]!.replace(/priority [^;]+;/, `priority ${to};`);
			out.push(copy);
		}
	}
	return out;
}

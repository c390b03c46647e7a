/**
 * The machinery the merging passes share (merge-set, merge-concat, merge-vmap): a rule seen as a
 * row of columns (one per condition), grouping of rules whose rows agree except on key columns,
 * and the rule that replaces a group.
 *
 * Grouping is one scan of a chain with hash maps from a signature (the columns that must agree,
 * the statements) to the open group; a rule may join a group anchored earlier only when it can
 * move up past every rule placed in between (`canSwap`: disjoint on an immutable field, no side
 * effects). Each group stops accepting rules after WINDOW such in-between rules, so at most WINDOW
 * groups are open and a chain costs O(rules × WINDOW), never O(rules²).
 *
 * `tcp dport P` is read as two columns: an implicit `meta l4proto tcp` and `th dport P` (the same
 * two bytes once the protocol is known), so rules for tcp and udp ports can share a
 * `meta l4proto . th dport` key; a group with one protocol keeps the `tcp dport` spelling.
 */
import * as nft from "../ir/nft.js";
import type { Change } from "./pass.js";
import { canSwap, fieldOf, isImmutableField, namesOverlap, normalise, ruleFacts, valueInterval } from "./disjoint.js";
import type { RuleFacts } from "./disjoint.js";
import { isTerminal } from "./facts.js";
import { WeakCache } from "./caches.js";

/** Rules that may sit between a group's first rule and a later member (see the header). */
export const WINDOW = 64;
/** Largest number of key tuples one rule may contribute (sets in several key columns multiply). */
const MAX_TUPLES = 256;

export type MergeMode = "set" | "concat" | "vmap";

interface KeyColumn {
	/** The selector as written (`tcp dport`); `meta l4proto` for an implicit protocol column. */
	readonly sel: nft.Selector;
	readonly elems: readonly nft.Value[];
	readonly comments: readonly (string | undefined)[] | undefined;
	/** Canonical text of the value, for signatures. */
	readonly valueKey: string;
	/** The field cannot change while the chain runs (see disjoint.ts). */
	readonly immutable: boolean;
	/** Bits, for prefixes. */
	readonly width: number;
	/** This is the implicit `meta l4proto` of the port column that follows it. */
	readonly implicit: boolean;
	/** For `tcp dport`-like columns: the port name and the index of their implicit protocol column. */
	readonly port?: { readonly name: "sport" | "dport"; readonly protoCol: number };
}

interface Column {
	/** Selector and operator of a key column; the whole condition otherwise. */
	readonly shape: string;
	/** The condition as written; undefined for an implicit protocol column. */
	readonly cond: nft.Cond | undefined;
	readonly key?: KeyColumn;
}

export interface RuleView {
	readonly rule: nft.Rule;
	readonly cols: readonly Column[];
	readonly stmtsKey: string;
	/** After the rule's statements, nothing else in the chain runs for a packet it matched. */
	readonly terminal: boolean;
}

/** A canonical text of an IR value (key order sorted, bigints marked): equal texts, equal meaning. */
export function canon(x: unknown): string {
	switch (typeof x) {
		case "bigint":
			return `${x}n`;
		case "string":
			return JSON.stringify(x);
		case "number":
		case "boolean":
			return String(x);
		case "object": {
			if (x === null) return "null";
			if (Array.isArray(x)) return `[${x.map(canon).join(",")}]`;
			const o = x as Record<string, unknown>;
			let out = "{";
			for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out += `${k}:${canon(o[k])},`;
			return `${out}}`;
		}
		default:
			return "?";
	}
}

const BITMASK_TYPES: ReadonlySet<nft.Datatype> = new Set(["ct_state", "ct_status", "tcp_flag"]);
const PORT_PROTOS: ReadonlySet<string> = new Set(["tcp", "udp", "udplite", "sctp", "dccp"]);
const L4_NUMBERS: Readonly<Record<string, bigint>> = { tcp: 6n, udp: 17n, udplite: 136n, sctp: 132n, dccp: 33n };
const WIDTHS: Partial<Record<nft.Datatype, number>> = { ipv4_addr: 32, ipv6_addr: 128, ether_addr: 48, inet_service: 16, inet_proto: 8, mark: 32 };

function keySelector(e: nft.Expr): nft.Selector | undefined {
	if (e.kind === "and" || e.kind === "concat") return undefined;
	if (e.kind !== "payload" && e.kind !== "meta" && e.kind !== "ct") return undefined;
	if (e.kind === "meta" && (e.key === "random" || e.key === "time" || e.key === "hour" || e.key === "day" || e.key === "secpath")) return undefined;
	if (e.kind === "ct" && (e.key === "expiration" || e.key === "helper")) return undefined;
	// Host-endian 64-bit counters and the label bitmask: no set elements of those.
	if (e.kind === "ct" && (e.key === "bytes" || e.key === "packets" || e.key === "avgpkt" || e.key === "label")) return undefined;
	if (BITMASK_TYPES.has(nft.datatypeOf(e))) return undefined;
	return e;
}

function elementsOf(v: nft.Value): { elems: readonly nft.Value[]; comments: readonly (string | undefined)[] | undefined } | undefined {
	const plain = (e: nft.Value): boolean => e.kind === "num" || e.kind === "range" || e.kind === "prefix" || e.kind === "string";
	if (v.kind === "set") return v.elems.length > 0 && v.elems.every(plain) ? { elems: v.elems, comments: v.comments } : undefined;
	return plain(v) ? { elems: [v], comments: undefined } : undefined;
}

function stateful(c: nft.Cond): boolean {
	if (c.kind === "limit" || c.kind === "quota" || c.kind === "dynset" || c.kind === "objref") return true;
	if (c.kind !== "rel") return false;
	const sels = c.left.kind === "concat" ? c.left.parts : c.left.kind === "and" ? [c.left.expr] : [c.left];
	return sels.some((x) => x.kind === "numgen");
}

// Rules are immutable and the three merging passes see mostly the same rule objects: compute each
// rule's view and facts once (kube-proxy: 90k rules after inlining).
const VIEWS = new WeakCache<nft.Rule, RuleView | null>();
const FACTS = new WeakCache<nft.Rule, RuleFacts>();

export function factsOf(r: nft.Rule): RuleFacts {
	let f = FACTS.get(r);
	if (f === undefined) {
		f = ruleFacts(r);
		FACTS.set(r, f);
	}
	return f;
}

function cachedView(r: nft.Rule): RuleView | undefined {
	let v = VIEWS.get(r);
	if (v === undefined) {
		v = viewOf(r) ?? null;
		VIEWS.set(r, v);
	}
	return v ?? undefined;
}

const CT_STATE: nft.Selector = { kind: "ct", key: "state" };
const CT_STATE_VALUES: readonly bigint[] = Object.values(nft.CT_STATE_BITS);

/**
 * `ct state established,related` as the set `{ established, related }`: a packet's ct state is
 * always exactly one of the state bits, so "some of these bits" is "one of these values" (the
 * reading nft -o uses too). Not for ct status or tcp flags, where several bits can be set.
 */
function ctStateElems(c: nft.Cond): nft.Value[] | undefined {
	if (c.kind !== "rel" || c.op !== "==" || c.left.kind !== "ct" || c.left.key !== "state" || c.left.dir !== undefined) return undefined;
	const bits = c.right.kind === "flags" ? c.right.bits : c.right.kind === "num" ? c.right.value : undefined;
	if (bits === undefined || bits === 0n) return undefined;
	const elems = CT_STATE_VALUES.filter((b) => (bits & b) !== 0n);
	const known = elems.reduce((a, b) => a | b, 0n);
	return known === bits ? elems.map((b) => nft.num(b)) : undefined;
}

function selectorKey(sel: nft.Selector): string {
	if (sel.kind === "payload") return sel.key;
	if (sel.kind === "meta") return `meta ${sel.key}`;
	return canon(sel);
}

function valueKeyOf(v: nft.Value): string {
	if (v.kind === "num") return `${v.value}`;
	if (v.kind === "string") return `${v.wildcard ? "*" : "="}${v.value}`;
	return canon(v);
}

function stmtsKeyOf(stmts: readonly nft.Stmt[]): string {
	const [only, ...rest] = stmts;
	if (only !== undefined && rest.length === 0 && only.kind === "verdict") {
		const v = only.verdict;
		return v.kind === "jump" || v.kind === "goto" ? `${v.kind} ${v.chain}` : v.kind;
	}
	return canon(stmts);
}

const PORTS = new Map<nft.PayloadKey, { readonly l4: bigint; readonly name: "sport" | "dport" } | null>();

/** `tcp dport` → l4proto 6, dport; undefined for other keys (and for `th`, which implies no protocol). */
function portOf(key: nft.PayloadKey): { readonly l4: bigint; readonly name: "sport" | "dport" } | undefined {
	let p = PORTS.get(key);
	if (p === undefined) {
		const [proto, name] = key.split(" ") as [string, string];
		p = PORT_PROTOS.has(proto) && (name === "sport" || name === "dport") ? { l4: L4_NUMBERS[proto]!, name } : null;
		PORTS.set(key, p);
	}
	return p ?? undefined;
}

/** The rule as columns; undefined when it must not be merged (stateful conditions: a merged `limit` would share one bucket). */
export function viewOf(r: nft.Rule): RuleView | undefined {
	if (r.conds.some(stateful)) return undefined;
	const cols: Column[] = [];
	for (const c of r.conds) {
		const state = ctStateElems(c);
		if (state !== undefined) {
			cols.push({ shape: "ct state ==", cond: c, key: { sel: CT_STATE, elems: state, comments: undefined, valueKey: canon(state), immutable: false, width: 8, implicit: false } });
			continue;
		}
		const sel = c.kind === "rel" && c.op === "==" ? keySelector(c.left) : undefined;
		const el = sel !== undefined && c.kind === "rel" ? elementsOf(c.right) : undefined;
		if (sel === undefined || el === undefined || c.kind !== "rel") {
			cols.push({ shape: `!${canon(c)}`, cond: c });
			continue;
		}
		const f = fieldOf(sel);
		const immutable = f !== undefined && isImmutableField(f.field);
		const width = WIDTHS[nft.datatypeOf(sel)] ?? 32;
		const valueKey = valueKeyOf(c.right);
		const port = sel.kind === "payload" ? portOf(sel.key) : undefined;
		if (port !== undefined) {
			const { l4, name } = port;
			const protoCol = cols.length;
			cols.push({
				shape: "l4proto(implicit)",
				cond: undefined,
				key: { sel: nft.meta("l4proto"), elems: [nft.num(l4)], comments: undefined, valueKey: `${l4}`, immutable: true, width: 8, implicit: true },
			});
			cols.push({ shape: `th ${name} ==`, cond: c, key: { sel, ...el, valueKey, immutable, width, implicit: false, port: { name, protoCol } } });
			continue;
		}
		cols.push({ shape: `${selectorKey(sel)} ==`, cond: c, key: { sel, ...el, valueKey, immutable, width, implicit: false } });
	}
	return { rule: r, cols, stmtsKey: stmtsKeyOf(r.stmts), terminal: isTerminal(r) };
}

/** A key column may vary in a group: its field is immutable, or nothing runs after the rule matched. */
function eligible(v: RuleView, i: number): boolean {
	const k = v.cols[i]?.key;
	if (k === undefined || !(k.immutable || v.terminal)) return false;
	// nft reads `ct … proto-dst 53` through the rule's single `ct … protocol` value; once the
	// protocol is a set or a key part, it cannot type the port any more ("invalid" datatype).
	if (k.sel.kind === "ct" && k.sel.key === "protocol") return !v.cols.some((c) => c.key?.sel.kind === "ct" && (c.key.sel.key === "proto-src" || c.key.sel.key === "proto-dst"));
	return true;
}

function onlyVerdict(v: RuleView): nft.Verdict | undefined {
	const [s, ...rest] = v.rule.stmts;
	return s !== undefined && s.kind === "verdict" && rest.length === 0 ? s.verdict : undefined;
}

/**
 * nft sizes each part of a concatenation from its type; `ct … proto-src/proto-dst` and
 * `ct … saddr` without a family have a size only the protocol decides, and nft refuses them there.
 */
function fixedSize(sel: nft.Selector): boolean {
	if (sel.kind !== "ct") return true;
	if (sel.key === "proto-src" || sel.key === "proto-dst") return false;
	return (sel.key !== "saddr" && sel.key !== "daddr") || sel.fam !== undefined;
}

/** Key columns of a rule, without the variable-sized ones when there are several. */
function concatKeys(v: RuleView): number[] {
	const keys = v.cols.map((_c, i) => i).filter((i) => eligible(v, i));
	if (keys.length < 2) return keys;
	return keys.filter((i) => fixedSize(v.cols[i]!.key!.sel));
}

/** Signatures a rule can be grouped under, each with the key columns it leaves free. */
function signatures(v: RuleView, mode: MergeMode): { sig: string; keys: readonly number[] }[] {
	const shapes = v.cols.map((c) => c.shape).join("\u0001");
	const fixed = (free: (i: number) => boolean): string =>
		v.cols.map((c, i) => (free(i) ? "K" : c.key !== undefined ? c.key.valueKey : "")).join("\u0001");
	switch (mode) {
		case "set": {
			const out: { sig: string; keys: number[] }[] = [];
			for (let i = 0; i < v.cols.length; i++) {
				if (!eligible(v, i)) continue;
				out.push({ sig: `set\u0002${i}\u0002${shapes}\u0002${fixed((j) => j === i)}\u0002${v.stmtsKey}`, keys: [i] });
			}
			return out;
		}
		case "concat": {
			const keys = concatKeys(v);
			if (keys.length < 2) return [];
			return [{ sig: `concat\u0002${shapes}\u0002${fixed((j) => keys.includes(j))}\u0002${v.stmtsKey}`, keys }];
		}
		case "vmap": {
			if (onlyVerdict(v) === undefined) return [];
			const keys = concatKeys(v);
			if (keys.length === 0) return [];
			return [{ sig: `vmap\u0002${shapes}\u0002${fixed((j) => keys.includes(j))}`, keys }];
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Key tuples and their overlap

type Tuple = readonly nft.Value[];

function exactKey(v: nft.Value): string | undefined {
	if (v.kind === "num") return `n${v.value}`;
	if (v.kind === "string" && !v.wildcard) return `s${v.value}`;
	return undefined;
}

function valuesOverlap(a: nft.Value, b: nft.Value, width: number): boolean {
	if (a.kind === "string" && b.kind === "string") return namesOverlap(a, b);
	const x = valueInterval(a, width);
	const y = valueInterval(b, width);
	if (x === undefined || y === undefined) return true;
	return x[0] <= y[1] && y[0] <= x[1];
}

function tuplesOf(v: RuleView, keys: readonly number[]): Tuple[] | undefined {
	let n = 1;
	for (const i of keys) n *= v.cols[i]!.key!.elems.length;
	// Only products are capped: one key column's set is taken whole.
	if (n > MAX_TUPLES && keys.length > 1) return undefined;
	if (n === 1) return [keys.map((i) => v.cols[i]!.key!.elems[0]!)];
	let out: nft.Value[][] = [[]];
	for (const i of keys) {
		const elems = v.cols[i]!.key!.elems;
		const next: nft.Value[][] = [];
		for (const t of out)
			for (const e of elems) {
				const u = t.slice();
				u.push(e);
				next.push(u);
			}
		out = next;
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Grouping

interface Group {
	readonly anchor: number;
	readonly at: number[];
	readonly members: RuleView[];
	/**
	 * Indices of rules processed after the anchor that are not members (scanned up to `scanned`):
	 * a new member must be able to move up past each. Rules that joined a group anchored earlier
	 * are in this list too, which only makes the check stricter.
	 */
	readonly barriers: number[];
	scanned: number;
	sigs: string[];
	keys: readonly number[];
	readonly exact: Set<string>;
	readonly fuzzy: Tuple[];
	/** The intervals of a group keyed by one integer column, sorted. */
	readonly ivs: (readonly [bigint, bigint])[];
	/** Overlapping key values may be unioned (set mode, same terminal statements, integer values). */
	unionOk: boolean;
}

function widthsOf(v: RuleView, keys: readonly number[]): number[] {
	return keys.map((i) => v.cols[i]!.key!.width);
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Index of the first interval whose start is above x. */
function upper(ivs: readonly (readonly [bigint, bigint])[], x: bigint): number {
	let lo = 0;
	let hi = ivs.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (ivs[mid]![0] <= x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** Whether [a, b] meets one of the sorted, disjoint intervals. */
function overlapsSorted(ivs: readonly (readonly [bigint, bigint])[], [a, b]: readonly [bigint, bigint]): boolean {
	const before = ivs[upper(ivs, b) - 1];
	return before !== undefined && before[1] >= a;
}

function insertSorted(ivs: (readonly [bigint, bigint])[], iv: readonly [bigint, bigint]): void {
	ivs.splice(upper(ivs, iv[0]), 0, iv);
}

/** Adds the member's key tuples unless one overlaps a tuple already in the group. */
function addTuples(g: Group, v: RuleView, keys: readonly number[], dryRun: boolean): boolean {
	if (g.unionOk) return true;
	// One integer key (ports, addresses, prefixes): a sorted list of disjoint intervals, O(log n) a check.
	if (keys.length === 1) {
		const k = v.cols[keys[0]!]!.key!;
		if (k.elems.every((e) => e.kind !== "string")) {
			const ivs = k.elems.map((e) => valueInterval(e, k.width)!);
			if (normalise(ivs).length !== ivs.length) return false;
			if (ivs.some((iv) => overlapsSorted(g.ivs, iv))) return false;
			if (!dryRun) for (const iv of ivs) insertSorted(g.ivs, iv);
			return true;
		}
	}
	// Fast path (kube-proxy): one exact tuple, no interval tuples in the group.
	if (g.fuzzy.length === 0) {
		let ek = "";
		for (const i of keys) {
			const k = v.cols[i]!.key!;
			const e = k.elems.length === 1 ? exactKey(k.elems[0]!) : undefined;
			if (e === undefined) {
				ek = "";
				break;
			}
			ek += `${e}\u0001`;
		}
		if (ek !== "") {
			if (g.exact.has(ek)) return false;
			if (!dryRun) g.exact.add(ek);
			return true;
		}
	}
	const tuples = tuplesOf(v, keys);
	if (tuples === undefined) return false;
	const widths = widthsOf(v, keys);
	const exactOf = (t: Tuple): string | undefined => {
		let out = "";
		for (const p of t) {
			const e = exactKey(p);
			if (e === undefined) return undefined;
			out += `${e}\u0001`;
		}
		return out;
	};
	const overlap = (a: Tuple, b: Tuple): boolean => a.every((p, i) => valuesOverlap(p, b[i]!, widths[i]!));
	const seen = new Set<string>();
	const mine: Tuple[] = [];
	for (const t of tuples) {
		const ek = exactOf(t);
		if (ek !== undefined) {
			if (g.exact.has(ek) || seen.has(ek)) return false;
			if (g.fuzzy.some((f) => overlap(t, f))) return false;
			seen.add(ek);
		} else {
			// A fuzzy tuple is compared with every tuple: bounded by refusing big groups.
			if (g.fuzzy.length + g.exact.size > 4 * MAX_TUPLES) return false;
			if (g.fuzzy.some((f) => overlap(t, f)) || mine.some((f) => overlap(t, f))) return false;
			for (const m of g.members) for (const u of tuplesOf(m, keys) ?? []) if (exactOf(u) !== undefined && overlap(t, u)) return false;
			mine.push(t);
		}
	}
	if (!dryRun) {
		for (const s of seen) g.exact.add(s);
		g.fuzzy.push(...mine);
	}
	return true;
}

interface Placed {
	/** Chain positions of the members (the first is the anchor, where a merged rule goes). */
	readonly at: readonly number[];
	readonly members: readonly RuleView[];
	readonly raw?: nft.Rule;
	readonly keys: readonly number[];
}

/**
 * A cheap key that rules must share to merge: as many conditions, and the same statements (set,
 * concat) or a lone verdict (vmap). Computed in two steps so that most rules (whose condition
 * count and statement kinds no other rule shares) never have their statements serialised.
 */
function kinds(r: nft.Rule): string {
	let k = `${r.conds.length}`;
	for (const x of r.stmts) k += `|${x.kind}`;
	return k;
}

/** `kinds(a) === kinds(b)` without building strings (most kube-proxy chains hold two rules). */
function sameKinds(a: nft.Rule, b: nft.Rule): boolean {
	if (a.conds.length !== b.conds.length || a.stmts.length !== b.stmts.length) return false;
	for (let i = 0; i < a.stmts.length; i++) if (a.stmts[i]!.kind !== b.stmts[i]!.kind) return false;
	return true;
}

function coarse(r: nft.Rule, mode: MergeMode): string | undefined {
	if (mode === "vmap") return r.stmts.length === 1 && r.stmts[0]!.kind === "verdict" ? `${r.conds.length}` : undefined;
	return `${r.conds.length}|${stmtsKeyOf(r.stmts)}`;
}

function sharedKeys(rules: readonly nft.Rule[], key: (r: nft.Rule) => string | undefined): Set<string> {
	const seen = new Set<string>();
	const shared = new Set<string>();
	for (const r of rules) {
		const k = key(r);
		if (k === undefined) continue;
		if (seen.has(k)) shared.add(k);
		else seen.add(k);
	}
	return shared;
}

/** Per chain object and mode (passes hand unchanged chains on as they are): the shared coarse keys. */
const SHARED_STMTS = new WeakCache<nft.Chain, ReadonlySet<string>>(); // set and concat: same key
const SHARED: Record<MergeMode, WeakCache<nft.Chain, ReadonlySet<string>>> = { set: SHARED_STMTS, concat: SHARED_STMTS, vmap: new WeakCache() };
const NO_KEYS: ReadonlySet<string> = new Set();

function sharedOf(c: nft.Chain, mode: MergeMode): ReadonlySet<string> {
	// Decided without the cache: cheaper than a WeakMap entry per chain (kube-proxy: 40k chains of two rules).
	if (c.rules.length < 2 || (c.rules.length === 2 && !sameKinds(c.rules[0]!, c.rules[1]!))) return NO_KEYS;
	let s = SHARED[mode].get(c);
	if (s === undefined) {
		const rules = c.rules.filter(mayKey);
		if (rules.length < 2) s = NO_KEYS;
		else if (mode === "vmap") s = sharedKeys(rules, (r) => coarse(r, mode));
		else {
			const byKinds = sharedKeys(rules, kinds);
			s = byKinds.size === 0 ? NO_KEYS : sharedKeys(rules.filter((r) => byKinds.has(kinds(r))), (r) => coarse(r, mode));
		}
		SHARED[mode].set(c, s);
	}
	return s;
}

/** Cheap test that some condition could be a key (kube-proxy's `meta random &` rules cannot). */
function mayKey(r: nft.Rule): boolean {
	return r.conds.some((c) => c.kind === "rel" && c.op === "==" && c.left.kind !== "and" && c.left.kind !== "concat");
}

/** Groups a chain's rules (one scan; see the header for the bounds). */
function group(rules: readonly nft.Rule[], shared: ReadonlySet<string>, mode: MergeMode): Placed[] {
	const placed: Placed[] = [];
	const groupOf: (Group | undefined)[] = new Array<Group | undefined>(rules.length);
	const bySig = new Map<string, Group>();
	/** Brings g's barrier list up to rule idx; false when more than WINDOW rules sit in between. */
	const barriersUpTo = (g: Group, idx: number): boolean => {
		for (let k = g.scanned + 1; k < idx; k++) {
			// A rule that joined a group anchored above g's stays above g's merged rule: no barrier.
			const h = groupOf[k];
			if (h !== g && (h === undefined || h.anchor > g.anchor)) g.barriers.push(k);
		}
		g.scanned = Math.max(g.scanned, idx - 1);
		return g.barriers.length <= WINDOW;
	};
	rules.forEach((r, idx) => {
		// A rule whose coarse key no other rule shares cannot merge: skip building its view.
		const ck = coarse(r, mode);
		const v = ck !== undefined && shared.has(ck) && mayKey(r) ? cachedView(r) : undefined;
		const sigs = v !== undefined ? signatures(v, mode) : [];
		let joined: Group | undefined;
		// Prefer a group that already merged rules (its key is settled) over starting a new pairing.
		const candidates = sigs.length > 1 ? [...sigs].sort((a, b) => (bySig.get(b.sig)?.members.length ?? 0) - (bySig.get(a.sig)?.members.length ?? 0)) : sigs;
		for (const { sig, keys } of candidates) {
			const g = bySig.get(sig);
			if (g === undefined || v === undefined) continue;
			if (!barriersUpTo(g, idx)) {
				for (const s of g.sigs) if (bySig.get(s) === g) bySig.delete(s);
				continue;
			}
			if (g.members.length > 1 && !sameNumbers(g.keys, keys)) continue;
			if (g.barriers.length > 0 && !g.barriers.every((k) => canSwap(factsOf(r), factsOf(rules[k]!)))) continue;
			if (g.members.length === 1) {
				// Second member: the group now has its keys; seed the tuples with the first member.
				const first = g.members[0]!;
				g.unionOk = mode === "set" && v.terminal && keys.every((i) => v.cols[i]!.key!.elems.every((e) => e.kind !== "string"));
				const reset = (): void => {
					g.exact.clear();
					g.fuzzy.length = 0;
					g.ivs.length = 0;
				};
				reset();
				if (!addTuples(g, first, keys, false) || !addTuples(g, v, keys, true)) {
					reset();
					continue;
				}
				for (const s of g.sigs) if (s !== sig && bySig.get(s) === g) bySig.delete(s);
				g.sigs = [sig];
				g.keys = keys;
				addTuples(g, v, keys, false);
			} else if (!addTuples(g, v, keys, false)) continue;
			g.members.push(v);
			g.at.push(idx);
			joined = g;
			break;
		}
		if (joined !== undefined) {
			groupOf[idx] = joined;
			return;
		}
		if (v === undefined || sigs.length === 0) {
			placed.push({ at: [idx], members: [], keys: [], raw: r });
			return;
		}
		const g: Group = { anchor: idx, at: [idx], members: [v], barriers: [], scanned: idx, sigs: sigs.map((x) => x.sig), keys: [], exact: new Set(), fuzzy: [], ivs: [], unionOk: false };
		groupOf[idx] = g;
		for (const s of g.sigs) bySig.set(s, g);
		placed.push(g);
	});
	return placed;
}

// ---------------------------------------------------------------------------------------------
// Building the merged rule

function sameComment(members: readonly RuleView[]): boolean {
	const c = members[0]?.rule.comment;
	return members.every((m) => m.rule.comment === c);
}

/** Integer set elements whose intervals overlap, unioned (same statements, terminal: identical meaning). */
function unionElems(elems: readonly nft.Value[], comments: readonly (string | undefined)[], width: number): { elems: nft.Value[]; comments: (string | undefined)[] } {
	const ivs = elems.map((e) => valueInterval(e, width)!);
	const merged = normalise(ivs);
	if (merged.length === ivs.length) return { elems: [...elems], comments: [...comments] };
	const out: nft.Value[] = [];
	const outC: (string | undefined)[] = [];
	for (const [lo, hi] of merged) {
		// Keep an input element as written when it survived unchanged.
		const k = ivs.findIndex((iv) => iv[0] === lo && iv[1] === hi);
		out.push(k >= 0 ? elems[k]! : nft.range(lo, hi));
		outC.push(k >= 0 ? comments[k] : comments[ivs.findIndex((iv) => iv[0] >= lo && iv[1] <= hi)]);
	}
	return { elems: out, comments: outC };
}

/** Every input line the members came from, in input order (a member may itself be a merge). */
function sortedOrigins(members: readonly RuleView[]): nft.Rule["origins"] {
	return members.flatMap((m) => m.rule.origins).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col));
}

function buildRule(members: readonly RuleView[], keysIn: readonly number[], mode: MergeMode): nft.Rule | undefined {
	const first = members[0]!;
	// Only columns that actually differ become the key; the others stay plain conditions.
	const keys = keysIn.filter((i) => members.some((m) => m.cols[i]!.key!.valueKey !== first.cols[i]!.key!.valueKey));
	// Identical rules (only where overlapping values may be unioned: same terminal statements): the
	// later ones can never decide a packet; one rule, citing all.
	if (keys.length === 0) return { ...first.rule, origins: sortedOrigins(members) };
	const keySet = new Set(keys);
	const thSpelling = (i: number): boolean => {
		const p = first.cols[i]!.key?.port;
		return p !== undefined && keySet.has(p.protoCol);
	};
	const selOf = (i: number): nft.Selector => {
		const k = first.cols[i]!.key!;
		if (k.port !== undefined && thSpelling(i)) return nft.payload(`th ${k.port.name}`);
		return k.sel;
	};
	const keyExpr: nft.Expr = keys.length === 1 ? selOf(keys[0]!) : { kind: "concat", parts: keys.map(selOf) };
	const commentsSame = sameComment(members);
	// Key elements, with the comment of the rule each came from when comments differ.
	const tuples: { key: nft.Value; comment: string | undefined; verdict: nft.Verdict | undefined }[] = [];
	for (const m of members) {
		const ts = tuplesOf(m, keys);
		// Joining checked the member's tuples (a subset of its key columns has no more of them).
		if (ts === undefined) throw new Error("internal error: merged rule with too many key tuples");
		const single = keys.length === 1 ? m.cols[keys[0]!]!.key! : undefined;
		ts.forEach((t, n) => {
			const key: nft.Value = t.length === 1 ? t[0]! : { kind: "concat", parts: t };
			const own = single?.comments?.[n];
			tuples.push({ key, comment: own ?? (commentsSame ? undefined : m.rule.comment), verdict: onlyVerdict(m) });
		});
	}
	const conds: nft.Cond[] = [];
	let keyAt = -1;
	first.cols.forEach((c, i) => {
		if (keySet.has(i)) {
			if (keyAt < 0) keyAt = conds.length;
			return;
		}
		if (c.key?.implicit === true) return;
		if (c.key !== undefined && thSpelling(i) && c.cond?.kind === "rel") {
			conds.push(nft.rel(selOf(i), "==", c.cond.right));
			return;
		}
		if (c.cond !== undefined) conds.push(c.cond);
	});
	const origins = sortedOrigins(members);
	const comment = commentsSame ? first.rule.comment : undefined;
	const verdicts = new Set(tuples.map((t) => (t.verdict === undefined ? "" : t.verdict.kind === "jump" || t.verdict.kind === "goto" ? `${t.verdict.kind} ${t.verdict.chain}` : t.verdict.kind)));
	const base = { origins, ...(comment !== undefined ? { comment } : {}) };
	// Every group of two or more rules is built (a rule that moved above a group's anchor counts on
	// it): a vmap group whose rules share one verdict becomes a set with that verdict.
	if (mode === "vmap" && verdicts.size > 1) {
		const elems: nft.MapElem[] = tuples.map((t) => ({ key: t.key, value: t.verdict!, ...(t.comment !== undefined ? { comment: t.comment } : {}) }));
		return { ...base, conds, stmts: [{ kind: "vmap", key: keyExpr, map: { kind: "inline", elems } }] };
	}
	let elems = tuples.map((t) => t.key);
	let comments = tuples.map((t) => t.comment);
	if (mode === "set" && keys.length === 1 && elems.every((e) => e.kind !== "string") && first.terminal) {
		({ elems, comments } = unionElems(elems, comments, first.cols[keys[0]!]!.key!.width));
	}
	const right: nft.Value =
		elems.length === 1 && comments[0] === undefined
			? elems[0]!
			: { kind: "set", elems, ...(comments.some((c) => c !== undefined) ? { comments } : {}) };
	conds.splice(keyAt, 0, nft.rel(keyExpr, "==", right));
	return { ...base, conds, stmts: first.rule.stmts };
}

// ---------------------------------------------------------------------------------------------
// Running over a ruleset

export interface MergeSpec {
	readonly pass: string;
	readonly mode: MergeMode;
	readonly reason: string;
}

/** Merges every chain of the ruleset in the given mode; chains with no merge keep their identity. */
export function mergeRuleset(rs: nft.Ruleset, spec: MergeSpec): { ruleset: nft.Ruleset; changes: Change[] } {
	const changes: Change[] = [];
	const tables = rs.tables.map((t) => {
		if (!t.chains.some((c) => sharedOf(c, spec.mode).size > 0)) return t;
		let tableChanged = false;
		const chains = t.chains.map((c) => {
			const shared = sharedOf(c, spec.mode);
			if (shared.size === 0) return c;
			const placed = group(c.rules, shared, spec.mode);
			if (placed.length === c.rules.length) return c;
			// Each rule back in its slot, unless its group merged: then the merged rule takes the anchor's.
			const slots: (nft.Rule | undefined)[] = new Array<nft.Rule | undefined>(c.rules.length);
			let mergedAny = false;
			for (const p of placed) {
				if (p.raw !== undefined) {
					slots[p.at[0]!] = p.raw;
					continue;
				}
				const merged = p.members.length > 1 ? buildRule(p.members, p.keys, spec.mode) : undefined;
				if (merged === undefined) {
					p.members.forEach((m, k) => (slots[p.at[k]!] = m.rule));
					continue;
				}
				mergedAny = true;
				slots[p.at[0]!] = merged;
				changes.push({
					pass: spec.pass,
					kind: "merge",
					family: t.family,
					table: t.name,
					chain: c.name,
					before: p.members.map((m) => m.rule),
					after: [merged],
					reason: spec.reason,
				});
			}
			if (!mergedAny) return c;
			const rules = slots.filter((r): r is nft.Rule => r !== undefined);
			tableChanged = true;
			return { ...c, rules };
		});
		return tableChanged ? { ...t, chains } : t;
	});
	return { ruleset: { tables }, changes };
}

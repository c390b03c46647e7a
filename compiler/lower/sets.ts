/**
 * Named sets a table's rules create while lowering (recent lists, connlimit counters, hashlimit
 * buckets, ipsets), and the whole-ruleset facts they depend on: which tables use a recent list or
 * ipset, which --seconds its checks use, whether hashlimit rules sharing a name agree.
 */
import { reassemblesFragments } from "../ir/defrag.js";
import type { IpsetCatalogue } from "../ir/ipset.js";
import type { NfacctCatalogue } from "../ir/nfacct.js";
import type * as ipt from "../ir/ipt.js";
import type * as nft from "../ir/nft.js";

/** The sets of one nft table: unique names, declared once per logical key. */
export class TableSets {
	private readonly list: nft.NamedSet[] = [];
	private readonly names = new Set<string>();
	private readonly byKey = new Map<string, string>();

	/** The set for `key`, made (with a fresh name from `stem`) on first use. */
	once(key: string, stem: string, make: (name: string) => nft.NamedSet): string {
		const known = this.byKey.get(key);
		if (known !== undefined) return known;
		const name = this.fresh(stem);
		this.byKey.set(key, name);
		this.list.push(make(name));
		return name;
	}

	/** A name no set of this table has yet, spelled so that nft reads it as an identifier. */
	fresh(stem: string): string {
		const base = setIdent(stem);
		let name = base;
		for (let i = 2; this.names.has(name); i++) name = `${base}_${i}`;
		this.names.add(name);
		return name;
	}

	sets(): readonly nft.NamedSet[] {
		return this.list;
	}

	private readonly objs: nft.NamedObject[] = [];
	private readonly objNames = new Set<string>();
	private readonly objByKey = new Map<string, string>();

	/** The named object (counter, quota) for `key`, declared on first use as `make(name)`. */
	object(key: string, name: string, make: (name: string) => nft.NamedObject): string {
		const known = this.objByKey.get(key);
		if (known !== undefined) return known;
		let n = name;
		for (let i = 2; this.objNames.has(n); i++) n = `${name}_${i}`;
		this.objNames.add(n);
		this.objByKey.set(key, n);
		this.objs.push(make(n));
		return n;
	}

	objects(): readonly nft.NamedObject[] {
		return this.objs;
	}
}

/** nft identifiers: a letter, then letters, digits, `_`; anything else becomes `_`. */
export function setIdent(s: string): string {
	const t = s.replace(/[^A-Za-z0-9_]/g, "_");
	return /^[A-Za-z]/.test(t) ? t : `s_${t}`;
}

/** The elements a dynamic set may hold before adding fails (nft's own default for dynamic sets). */
export const DYNAMIC_SET_SIZE = 65535;

// ---------------------------------------------------------------------------------------------
// Whole-ruleset facts

/** Where each recent list is used (lists are per network namespace, keyed by name). */
export interface RecentList {
	readonly tables: Set<string>;
	readonly families: Set<ipt.Family>;
	readonly masks: Set<string>;
	/** The timeout classes the translated checks need: seconds, or "forever" (no --seconds, --remove). */
	readonly classes: Set<number | "forever">;
}

/** hashlimit tables are per (family, name); the first rule's configuration applies to all. */
export interface HashlimitGroup {
	readonly tables: Set<string>;
	readonly configs: Set<string>;
}

export interface IpsetUse {
	readonly tables: Set<string>;
	readonly written: boolean;
	readonly dims: Set<number>;
}

export interface StatePlan {
	readonly recent: ReadonlyMap<string, RecentList>;
	readonly hashlimit: ReadonlyMap<string, HashlimitGroup>;
	readonly ipsetUse: ReadonlyMap<string, IpsetUse>;
	readonly ipsets: IpsetCatalogue | undefined;
	/** The tables (`family name`) whose rules name each nfacct object. */
	readonly nfacctUse: ReadonlyMap<string, ReadonlySet<string>>;
	readonly nfacct: NfacctCatalogue | undefined;
	/** --counters: named counters start at the listed nfacct counts. */
	readonly keepCounters: boolean;
	/** Warnings already given per nfacct object (`kind\0name`): one per object, not per rule. */
	readonly nfacctWarned: Set<string>;
	/** The kernel reassembles fragments before the hooks (ir/defrag.ts); absent: unknown (assume not). */
	readonly defrag?: boolean;
}

export const recentKey = (name: string): string => name;
export const hashlimitKey = (family: ipt.Family, name: string): string => `${family}/${name}`;
export const ipsetKey = (name: string): string => name;

/** The configuration that must agree between hashlimit rules of one name (everything but the name). */
export function hashlimitConfig(m: ipt.HashlimitMatch): string {
	const { name: _name, ...rest } = m;
	return JSON.stringify(rest);
}

/** The check class a recent match reads, or undefined when it does not read a translatable class. */
export function recentClass(m: ipt.RecentMatch): number | "forever" | undefined {
	if (m.hitcount !== undefined || m.rttl) return undefined;
	switch (m.op) {
		case "rcheck":
		case "update":
			return m.seconds ?? "forever";
		case "remove":
			return "forever";
		case "set":
			return undefined;
	}
}

export function planState(ruleset: ipt.Ruleset, ipsets: IpsetCatalogue | undefined, nfacct?: NfacctCatalogue, keepCounters = false): StatePlan {
	const nfacctUse = new Map<string, Set<string>>();
	const recent = new Map<string, RecentList>();
	const hashlimit = new Map<string, HashlimitGroup>();
	const ipsetUse = new Map<string, { tables: Set<string>; written: boolean; dims: Set<number> }>();
	const useIpset = (where: string, name: string, dims: number, written: boolean): void => {
		const u = ipsetUse.get(ipsetKey(name)) ?? { tables: new Set<string>(), written: false, dims: new Set<number>() };
		u.tables.add(where);
		u.dims.add(dims);
		if (written) u.written = true;
		ipsetUse.set(ipsetKey(name), u);
	};
	for (const t of ruleset.tables) {
		const where = `${t.family} ${t.name}`;
		for (const c of t.chains)
			for (const r of c.rules) {
				for (const m of r.matches) {
					if (m.kind === "recent") {
						const l = recent.get(recentKey(m.name)) ?? { tables: new Set(), families: new Set(), masks: new Set(), classes: new Set() };
						l.tables.add(where);
						l.families.add(t.family);
						l.masks.add((m.mask ?? -1n).toString());
						const cls = recentClass(m);
						if (cls !== undefined) l.classes.add(cls);
						recent.set(recentKey(m.name), l);
					} else if (m.kind === "hashlimit") {
						const k = hashlimitKey(t.family, m.name);
						const g = hashlimit.get(k) ?? { tables: new Set(), configs: new Set() };
						g.tables.add(where);
						g.configs.add(hashlimitConfig(m));
						hashlimit.set(k, g);
					} else if (m.kind === "set") {
						useIpset(where, m.name, m.dirs.length, false);
					} else if (m.kind === "nfacct") {
						const u = nfacctUse.get(m.name) ?? new Set<string>();
						u.add(where);
						nfacctUse.set(m.name, u);
					}
				}
				const tg = r.target;
				if (tg?.kind === "ipset") {
					if (tg.add !== undefined) useIpset(where, tg.add.name, tg.add.dirs.length, true);
					if (tg.del !== undefined) useIpset(where, tg.del.name, tg.del.dirs.length, true);
				}
			}
	}
	return { recent, hashlimit, ipsetUse, ipsets, nfacctUse, nfacct, keepCounters, nfacctWarned: new Set(), defrag: reassemblesFragments(ruleset) };
}

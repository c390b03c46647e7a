/**
 * Per-object caches the passes share (keys, views, "already pruned" marks). They are keyed by
 * immutable IR nodes, so dropping them loses only time; optimise() drops them when the pipeline
 * ends: the final ruleset's nodes would otherwise keep every cached value (kube-proxy: a view and
 * a facts record per rule) alive for as long as the caller keeps the ruleset.
 */
const ALL: { reset(): void }[] = [];

export class WeakCache<K extends object, V> {
	private map = new WeakMap<K, V>();
	constructor() {
		ALL.push(this);
	}
	get(k: K): V | undefined {
		return this.map.get(k);
	}
	set(k: K, v: V): void {
		this.map.set(k, v);
	}
	reset(): void {
		this.map = new WeakMap();
	}
}

export class WeakMarks<K extends object> {
	private set = new WeakSet<K>();
	constructor() {
		ALL.push(this);
	}
	has(k: K): boolean {
		return this.set.has(k);
	}
	add(k: K): void {
		this.set.add(k);
	}
	reset(): void {
		this.set = new WeakSet();
	}
}

/** Forget every cached value (the caches stay usable). */
export function dropPassCaches(): void {
	for (const c of ALL) c.reset();
}

/**
 * Set and map lookups: one level per concatenated key part, each level a hash (all elements exact
 * on that part) or a sorted list of elementary intervals searched by bisection. No linear scans.
 * Overlapping elements resolve to the first one written (nft refuses overlaps in maps).
 */
import type * as A from "../../../grammar/nft/ast.js";
import type { EvalContext } from "../model.js";
import type { Packet } from "../packet.js";
import { toVal, type Getter, type Val } from "./getters.js";

interface Elem<D> {
	readonly parts: readonly { readonly lo: bigint; readonly hi: bigint }[];
	readonly data: D;
	readonly order: number;
}

type Node<D> =
	| { readonly kind: "leaf"; readonly data: D }
	| { readonly kind: "hash"; readonly map: Map<Val, Node<D>> }
	| { readonly kind: "interval"; readonly starts: Val[]; readonly nodes: (Node<D> | undefined)[] };

export interface Lookup<D> {
	get(p: Packet, c: EvalContext): D | undefined;
}

export function keyParts(k: A.ElemKey): readonly { readonly lo: bigint; readonly hi: bigint }[] {
	return k.kind === "concat" ? k.parts : [k];
}

export function buildLookup<D>(getters: readonly Getter[], widths: readonly number[], elems: readonly { parts: Elem<D>["parts"]; data: D }[]): Lookup<D> {
	const all: Elem<D>[] = elems.map((e, order) => ({ parts: e.parts, data: e.data, order }));
	const root = build(all, 0, widths);
	const dims = getters.length;
	return {
		get(p, c) {
			let node = root;
			for (let d = 0; d < dims; d++) {
				if (node === undefined) return undefined;
				if (node.kind === "leaf") return node.data;
				const v = getters[d]!(p, c);
				if (v === undefined) return undefined;
				if (node.kind === "hash") node = node.map.get(v);
				else {
					const starts = node.starts;
					let lo = 0;
					let hi = starts.length - 1;
					if (hi < 0 || v < starts[0]!) return undefined;
					while (lo < hi) {
						const mid = (lo + hi + 1) >> 1;
						if (starts[mid]! <= v) lo = mid;
						else hi = mid - 1;
					}
					node = node.nodes[lo];
				}
			}
			return node !== undefined && node.kind === "leaf" ? node.data : undefined;
		},
	};
}

function build<D>(elems: readonly Elem<D>[], dim: number, widths: readonly number[]): Node<D> | undefined {
	if (elems.length === 0) return undefined;
	if (dim === widths.length) {
		let first = elems[0]!;
		for (const e of elems) if (e.order < first.order) first = e;
		return { kind: "leaf", data: first.data };
	}
	const width = widths[dim]!;
	if (elems.every((e) => e.parts[dim]!.lo === e.parts[dim]!.hi)) {
		const groups = new Map<Val, Elem<D>[]>();
		for (const e of elems) {
			const k = toVal(e.parts[dim]!.lo, width);
			let g = groups.get(k);
			if (g === undefined) groups.set(k, (g = []));
			g.push(e);
		}
		const map = new Map<Val, Node<D>>();
		for (const [k, g] of groups) {
			const n = build(g, dim + 1, widths);
			if (n !== undefined) map.set(k, n);
		}
		return { kind: "hash", map };
	}
	// Elementary intervals: a sweep over the sorted interval ends keeps the covering elements.
	const max = (1n << BigInt(width)) - 1n;
	const bounds = new Set<bigint>();
	for (const e of elems) {
		const p = e.parts[dim]!;
		bounds.add(p.lo);
		if (p.hi < max) bounds.add(p.hi + 1n);
	}
	const sorted = [...bounds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	const byLo = [...elems].sort((a, b) => (a.parts[dim]!.lo < b.parts[dim]!.lo ? -1 : a.parts[dim]!.lo > b.parts[dim]!.lo ? 1 : 0));
	const starts: Val[] = [];
	const nodes: (Node<D> | undefined)[] = [];
	let active: Elem<D>[] = [];
	let next = 0;
	for (const b of sorted) {
		active = active.filter((e) => e.parts[dim]!.hi >= b);
		while (next < byLo.length && byLo[next]!.parts[dim]!.lo <= b) {
			const e = byLo[next++]!;
			if (e.parts[dim]!.hi >= b) active.push(e);
		}
		starts.push(toVal(b, width));
		nodes.push(build(active, dim + 1, widths));
	}
	return { kind: "interval", starts, nodes };
}

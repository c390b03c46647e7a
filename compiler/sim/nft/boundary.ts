/**
 * Every constant the nft rules compare against, with the interval edges on both sides (lo-1, lo,
 * hi, hi+1), for the packet-corpus generator: packets built from these values reach every branch.
 */
import type * as A from "../../../grammar/nft/ast.js";
import { typesOf } from "../../../grammar/nft/parser.js";
import type { Fam } from "../../ir/ipt.js";
import { emptyBoundary, wildcardMember, type BoundaryValues } from "../boundary.js";
import { addU32Values } from "../u32-values.js";
import { emptyExt, u32Edges, type ExtValues } from "../ext-values.js";
import { counterEdges, emptyCtExt, type CtExtValues } from "../ct-ext.js";

/** The shared shape (compiler/sim/boundary.ts), so the corpus generator merges both sides. */
export type NftBoundaries = BoundaryValues;

interface Acc {
	v4: Set<bigint>;
	v6: Set<bigint>;
	ports: Set<number>;
	ifaces: Set<string>;
	marks: Set<number>;
	protos: Set<number>;
	icmpTypes: Set<number>;
	tcpFlags: Set<number>;
	fams: Set<Fam>;
	/** Packet lengths and TTLs around raw reads. */
	lengths: Set<number>;
	ttls: Set<number>;
	/** Optional packet details (extension headers, CPI, MSS), created on first use. */
	ext?: ExtValues;
}

/**
 * Values of the packet's optional details a match compares with: IPv6 options header lengths,
 * MH type / Payload Proto, IPComp CPI, TCP MSS; their protocols join the corpus.
 */
function addExt(acc: Acc, left: A.NftExpr, right: A.NftValue): void {
	const vals = (max: number): number[] => {
		const out: number[] = [];
		const one = (k: A.ScalarValue): void => {
			out.push(...u32Edges(Number(k.lo), Number(k.hi)).filter((n) => n <= max));
		};
		if (right.kind === "value") one(right);
		else if (right.kind === "set") for (const e of right.elems) if (e.key.kind === "value") one(e.key);
		return out;
	};
	const x = (): ExtValues => (acc.ext ??= emptyExt());
	addCtExt(acc, left, right);
	addRaw(acc, left, right);
	if (left.kind === "exthdr" && (left.hdr === "hbh" || left.hdr === "dst")) {
		x().optsHdrs = true;
		if (left.field === "hdrlength") (left.hdr === "hbh" ? x().hbhLens : x().dstLens).push(...vals(255));
	} else if (left.kind === "exthdr" && left.hdr === "mh") {
		acc.protos.add(135);
		x().mhTypes.push(...(left.field === "type" ? vals(255) : []));
	} else if (left.kind === "payload" && left.proto === "comp") {
		acc.protos.add(108);
		x().cpis.push(...(left.field === "cpi" ? vals(0xffff) : []));
	} else if (left.kind === "tcpopt" && left.option === 2) {
		acc.protos.add(6);
		x().msss.push(...(left.field === "size" ? vals(0xffff) : []));
	}
}

/**
 * A 32-bit raw read (`@nh,OFF,32 [& MASK] == …`, what -m u32 becomes): the words around its
 * intervals, lengths around the read's end, and the header fields under it (sim/u32-values.ts).
 */
function addRaw(acc: Acc, left: A.NftExpr, right: A.NftValue): void {
	const masked = left.kind === "binop" && left.op === "&" && left.right.kind === "const";
	const raw = left.kind === "raw" ? left : masked && left.left.kind === "raw" ? left.left : undefined;
	if (raw === undefined || raw.base === "ll" || raw.len !== 32 || raw.offset % 8 !== 0) return;
	const mask = masked && left.kind === "binop" && left.right.kind === "const" ? left.right.value & 0xffffffffn : 0xffffffffn;
	const scalars: A.ScalarValue[] = right.kind === "value" ? [right] : right.kind === "set" ? right.elems.flatMap((e) => (e.key.kind === "value" ? [e.key] : [])) : [];
	const ranges = scalars.filter((v) => v.hi <= 0xffffffffn).map((v) => ({ lo: Number(v.lo), hi: Number(v.hi) }));
	const b: BoundaryValues = { ...emptyBoundary(), ...(acc.ext !== undefined ? { ext: acc.ext } : {}) };
	addU32Values(b, raw.base === "ih" ? "pl" : raw.base, raw.offset / 8, { mask, shift: 0 }, ranges);
	acc.ext = b.ext;
	for (const v of b.lengths ?? []) acc.lengths.add(v);
	for (const v of b.ttls ?? []) acc.ttls.add(v);
	for (const v of b.protos) acc.protos.add(v);
	for (const v of b.ports) acc.ports.add(v);
}

/** Conntrack counters, labels and jhash (sim/ct-ext.ts). */
function ctOf(acc: Acc): CtExtValues {
	const x = (acc.ext ??= emptyExt());
	return (x.ct ??= emptyCtExt());
}

function addCtExt(acc: Acc, left: A.NftExpr, right: A.NftValue): void {
	const ct = (): CtExtValues => ctOf(acc);
	const scalars: A.ScalarValue[] = right.kind === "value" ? [right] : right.kind === "set" ? right.elems.flatMap((e) => (e.key.kind === "value" ? [e.key] : [])) : [];
	if (left.kind === "ct" && (left.key === "packets" || left.key === "bytes" || left.key === "avgpkt")) {
		const c = ct();
		const list = left.key === "packets" ? c.acctPackets : left.key === "bytes" ? c.acctBytes : c.acctAvg;
		for (const v of scalars) list.push(...counterEdges(v.lo, v.hi));
		return;
	}
	const label = left.kind === "ct" && left.key === "label" ? 0n : left.kind === "binop" && left.left.kind === "ct" && left.left.key === "label" && left.right.kind === "const" ? left.right.value : undefined;
	if (label !== undefined) {
		let bits = label | (right.kind === "flags" ? right.bits : 0n);
		for (const v of scalars) bits |= v.lo;
		for (let i = 0; i < 128; i++) if ((bits >> BigInt(i)) & 1n) ct().labelBits.push(i);
		return;
	}
	if (left.kind === "numgen" && left.mode === "jhash" && left.key !== undefined) ct().cluster = true;
}

function decodeName(v: bigint): string {
	let s = "";
	for (let i = 15; i >= 0; i--) {
		const b = Number((v >> BigInt(i * 8)) & 0xffn);
		if (b === 0) break;
		s += String.fromCharCode(b);
	}
	return s;
}

function edges(lo: bigint, hi: bigint, max: bigint): bigint[] {
	const out = [lo, hi];
	if (lo > 0n) out.push(lo - 1n);
	if (hi < max) out.push(hi + 1n);
	return out;
}

function add(acc: Acc, dtype: A.Datatype, lo: bigint, hi: bigint, form: A.ScalarValue["form"]): void {
	switch (dtype) {
		case "ipv4_addr":
			for (const v of edges(lo, hi, 0xffffffffn)) acc.v4.add(v);
			return;
		case "ipv6_addr":
			for (const v of edges(lo, hi, (1n << 128n) - 1n)) acc.v6.add(v);
			return;
		case "inet_service":
			for (const v of edges(lo, hi, 65535n)) acc.ports.add(Number(v));
			return;
		case "mark":
			for (const v of edges(lo, hi, 0xffffffffn)) acc.marks.add(Number(v));
			return;
		case "inet_proto":
			for (const v of edges(lo, hi, 255n)) acc.protos.add(Number(v));
			return;
		case "icmp_type":
		case "icmpv6_type":
			for (const v of edges(lo, hi, 255n)) acc.icmpTypes.add(Number(v));
			return;
		case "tcp_flag":
			acc.tcpFlags.add(Number(lo));
			for (let b = 0; b < 8; b++) acc.tcpFlags.add(Number(lo) ^ (1 << b));
			return;
		case "ifname":
		case "iface_index": {
			const name = decodeName(lo);
			if (name !== "") acc.ifaces.add(name);
			if (form === "wildcard") {
				// A name that matches the wildcard and one that just misses it.
				acc.ifaces.add(wildcardMember(name));
				if (name.length > 0) acc.ifaces.add(`${name.slice(0, -1)}${String.fromCharCode(name.charCodeAt(name.length - 1) + 1)}`);
			}
			return;
		}
		default:
			return;
	}
}

function addKey(acc: Acc, types: readonly A.Datatype[], k: A.ElemKey): void {
	const parts = k.kind === "concat" ? k.parts : [k];
	parts.forEach((p, i) => add(acc, types[i] ?? "integer", p.lo, p.hi, p.form));
}

function exprTypes(e: A.NftExpr): A.Datatype[] {
	return typesOf(e).map((t) => t.dtype);
}

/** Mark conventions of compiler/sim/boundary.ts: value, bits outside the mask set, lowest mask bit flipped. */
function addMark(acc: Acc, value: number, mask: number): void {
	acc.marks.add(value >>> 0);
	acc.marks.add((value | ~mask) >>> 0);
	const low = mask & -mask;
	if (low !== 0) acc.marks.add((value ^ low) >>> 0);
}

export function nftBoundaryValues(ast: A.NftRuleset): NftBoundaries {
	const acc: Acc = {
		v4: new Set(),
		v6: new Set(),
		ports: new Set(),
		ifaces: new Set(),
		marks: new Set(),
		protos: new Set(),
		icmpTypes: new Set(),
		tcpFlags: new Set(),
		fams: new Set(),
		lengths: new Set(),
		ttls: new Set(),
	};
	for (const t of ast.tables) {
		if (t.family === "ip" || t.family === "inet") acc.fams.add(4);
		if (t.family === "ip6" || t.family === "inet") acc.fams.add(6);
		for (const s of t.sets) {
			for (const e of s.elems) {
				addKey(acc, s.keyTypes, e.key);
				if (e.data !== undefined && e.data.kind !== "verdict" && s.dataTypes !== undefined) addKey(acc, s.dataTypes, e.data);
			}
		}
		for (const c of t.chains) {
			for (const r of c.rules) {
				for (const st of r.stmts) {
					switch (st.kind) {
						case "match": {
							const types = exprTypes(st.left);
							const right = st.right;
							addExt(acc, st.left, right);
							if (right.kind === "value" || right.kind === "concat") addKey(acc, types, right);
							else if (right.kind === "set") for (const e of right.elems) addKey(acc, types, e.key);
							else if (right.kind === "flags" && types[0] === "tcp_flag") add(acc, "tcp_flag", right.bits, right.bits, "single");
							// Masked marks (`mark and 0xff == 0x10`): the value with the mask conventions.
							if (st.left.kind === "binop" && st.left.op === "&" && st.left.right.kind === "const" && types[0] === "mark" && right.kind === "value") {
								addMark(acc, Number(right.lo), Number(st.left.right.value));
							} else if (types[0] === "mark" && right.kind === "value") addMark(acc, Number(right.lo), 0xffffffff);
							break;
						}
						case "vmap":
							if (st.map.kind === "set") for (const e of st.map.elems) addKey(acc, exprTypes(st.key), e.key);
							break;
						case "nat":
							if (st.map !== undefined && st.map.map.kind === "set") for (const e of st.map.map.elems) addKey(acc, exprTypes(st.map.key), e.key);
							if (st.port !== undefined) for (const v of [st.port.lo, st.port.hi]) acc.ports.add(v);
							break;
						case "set":
							if (st.value.kind === "const" && st.value.dtype === "mark") acc.marks.add(Number(st.value.value));
							if (st.target.kind === "ct" && st.target.key === "label" && st.value.kind === "const") addCtExt(acc, st.target, { kind: "value", lo: st.value.value, hi: st.value.value, form: "single", span: st.span });
							// A packet type rewrite (xt_cluster's): packets of every type, multicast ones to unicast addresses too.
							if (st.target.kind === "meta" && st.target.key === "pkttype") ctOf(acc).cluster = true;
							break;
						default:
							break;
					}
				}
			}
		}
	}
	const sortB = (s: Set<bigint>): bigint[] => [...s].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	const sortN = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
	return {
		fams: acc.fams,
		addrs4: sortB(acc.v4),
		addrs6: sortB(acc.v6),
		ports: sortN(acc.ports),
		ifaces: [...acc.ifaces].sort(),
		marks: sortN(acc.marks),
		protos: sortN(acc.protos),
		icmpTypes: sortN(acc.icmpTypes),
		tcpFlags: sortN(acc.tcpFlags),
		...(acc.lengths.size > 0 ? { lengths: sortN(acc.lengths) } : {}),
		...(acc.ttls.size > 0 ? { ttls: sortN(acc.ttls) } : {}),
		...(acc.ext !== undefined ? { ext: acc.ext } : {}),
	};
}

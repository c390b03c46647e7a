/**
 * libnftables JSON (`nft -j -f`), schema version 1, for everything lowering produces (and the
 * set/map/vmap shapes passes produce). Shapes were taken from `nft -j list ruleset` of rulesets
 * loaded in a throw-away network namespace and are checked with `nft -j -c -f`.
 */
import { diagnostic, type Diagnostic } from "../ir/diagnostics.js";
import * as nft from "../ir/nft.js";
import { assertNever } from "../ir/span.js";
import { TCPOPT_RESET_NAMES, ifname, ipv4, ipv6, isBitmask, scalar } from "./format.js";

type Json = string | number | bigint | boolean | null | readonly Json[] | { readonly [k: string]: Json };

/** A JSON number: plain when it fits a double exactly, else kept as bigint for stringify(). */
function jn(v: bigint): number | bigint {
	return v <= 9007199254740991n && v >= -9007199254740991n ? Number(v) : v;
}

const FLAG_BITS: Partial<Record<nft.Datatype, readonly (readonly [string, bigint])[]>> = {
	ct_state: Object.entries(nft.CT_STATE_BITS),
	ct_status: Object.entries(nft.CT_STATUS_BITS),
	tcp_flag: Object.entries(nft.TCP_FLAGS),
};

/** ct label masks as bit numbers (one bit: a number, several: a list). */
function labelJson(v: bigint): Json {
	const bits: Json[] = [];
	for (let i = 0n; i < 128n; i++) if ((v >> i) & 1n) bits.push(jn(i));
	return bits.length === 1 ? (bits[0] ?? 0) : bits;
}

function pkttypeJson(v: bigint): Json {
	return scalarJson("pkt_type", v);
}

function flagList(t: nft.Datatype, bits: bigint): Json {
	if (t === "ct_label") return labelJson(bits);
	const names = FLAG_BITS[t];
	if (names === undefined) return jn(bits);
	const out: string[] = [];
	let rest = bits;
	for (const [name, bit] of names) {
		if ((bits & bit) !== 0n) {
			out.push(name);
			rest &= ~bit;
		}
	}
	if (rest !== 0n || out.length === 0) return jn(bits);
	return out.length === 1 ? (out[0] ?? jn(bits)) : out;
}

/** Scalars: addresses and symbolic names as strings (as `nft -j list` prints them), the rest numbers. */
function scalarJson(t: nft.Datatype, v: bigint): Json {
	switch (t) {
		case "ipv4_addr":
			return ipv4(v);
		case "ipv6_addr":
			return ipv6(v);
		case "ether_addr":
		case "inet_proto":
		case "nf_proto":
		case "ct_dir":
		case "icmp_type":
		case "icmpv6_type":
		case "fib_addrtype":
		case "pkt_type":
		case "time_ms": {
			const s = scalar(t, v);
			return /^[0-9]+$/.test(s) ? jn(v) : s;
		}
		case "ct_state":
		case "ct_status":
		case "tcp_flag":
			return flagList(t, v);
		case "ct_label":
			return labelJson(v);
		default:
			return jn(v);
	}
}

function valueJson(types: readonly nft.Datatype[], v: nft.Value): Json {
	const t = types[0] ?? "integer";
	switch (v.kind) {
		case "num":
			return isBitmask(t) && v.value === 0n ? 0 : scalarJson(t, v.value);
		case "range":
			return { range: [scalarJson(t, v.lo), scalarJson(t, v.hi)] };
		case "prefix":
			return { prefix: { addr: scalarJson(t, v.value), len: v.len } };
		case "string":
			// Same wildcard/escape convention as the text form, without the quotes.
			return ifname(v.value, v.wildcard).slice(1, -1);
		case "flags":
			return flagList(t, v.bits);
		case "concat":
			return { concat: v.parts.map((p, i) => valueJson([types[i] ?? "integer"], p)) };
		case "set":
			return { set: v.elems.map((e, i) => elemJson(valueJson(types, e), v.comments?.[i])) };
		case "setref":
			return `@${v.name}`;
		default:
			return assertNever(v, "value");
	}
}

function selectorJson(s: nft.Selector): Json {
	switch (s.kind) {
		case "payload": {
			const [protocol, field] = s.key.split(" ");
			return { payload: { protocol: protocol ?? "", field: field ?? "" } };
		}
		case "meta":
			return { meta: { key: s.key } };
		case "ct": {
			const key = s.fam !== undefined && (s.key === "saddr" || s.key === "daddr") ? `${s.fam} ${s.key}` : s.key;
			return { ct: s.dir !== undefined ? { key, dir: s.dir } : { key } };
		}
		case "fib":
			return { fib: { result: s.result, flags: [...s.flags] } };
		case "numgen":
			return { numgen: { mode: s.mode, mod: jn(s.mod), offset: jn(s.offset ?? 0n) } };
		case "tcpopt": {
			const name = Object.entries(nft.TCP_OPTION_KINDS).find(([, k]) => k === s.option)?.[0];
			if (name === undefined) return { "tcp option": { base: s.option, offset: 0, len: 8 } };
			return { "tcp option": s.field !== undefined ? { name, field: s.field } : { name } };
		}
		case "exthdr":
			return { exthdr: s.field !== undefined ? { name: s.hdr, field: s.field } : { name: s.hdr } };
		case "socket":
			return { socket: { key: s.key } };
		case "ipsec":
			return { ipsec: { key: s.key, dir: s.dir, spnum: 0 } };
		case "sctpchunk":
			return { "sctp chunk": { name: s.chunk } };
		case "rtipsec":
			return { rt: { key: "ipsec" } };
		case "raw":
			return { payload: { base: s.base, offset: s.offset, len: s.len } };
		case "jhash":
			return { jhash: { mod: jn(s.mod), seed: jn(s.seed), offset: jn(s.offset ?? 0n), expr: selectorJson(s.key) } };
		default:
			return assertNever(s, "selector");
	}
}

function typesOf(e: nft.Expr): nft.Datatype[] {
	return e.kind === "concat" ? e.parts.map((p) => nft.datatypeOf(p)) : [nft.datatypeOf(e)];
}

function exprJson(e: nft.Expr): Json {
	switch (e.kind) {
		case "and": {
			const t = nft.datatypeOf(e.expr);
			const mask = t === "ipv4_addr" || t === "ipv6_addr" || t === "ct_label" ? scalarJson(t, e.mask) : isBitmask(t) ? flagList(t, e.mask) : jn(e.mask);
			return { "&": [selectorJson(e.expr), mask] };
		}
		case "concat":
			return { concat: e.parts.map(selectorJson) };
		default:
			return selectorJson(e);
	}
}

function dynsetStatefulJson(s: nft.DynsetStateful): Json {
	switch (s.kind) {
		case "ct-count":
			return { "ct count": { val: jn(s.count), ...(s.over ? { inv: true } : {}) } };
		case "limit":
			return { limit: { rate: jn(s.rate), burst: jn(s.burst), per: s.unit, ...(s.over ? { inv: true } : {}) } };
		default:
			return assertNever(s, "dynset stateful");
	}
}

function condJson(c: nft.Cond): Json {
	switch (c.kind) {
		case "rel": {
			// A flags value means "any of these bits": nft's `in` operator.
			const op = c.right.kind === "flags" ? "in" : c.op;
			return { match: { op, left: exprJson(c.left), right: valueJson(typesOf(c.left), c.right) } };
		}
		case "exists":
			return { match: { op: "==", left: selectorJson(c.left), right: c.present } };
		case "limit":
			return { limit: { rate: jn(c.rate), burst: jn(c.burst), per: c.unit, ...(c.over ? { inv: true } : {}) } };
		case "dynset": {
			const key: Json = c.key.length === 1 ? exprJson(c.key[0]!) : { concat: c.key.map(exprJson) };
			// JSON timeouts are in seconds; sub-second element timeouts are not emitted by lowering.
			const elem: Json = c.timeoutMs !== undefined ? { elem: { val: key, timeout: jn(c.timeoutMs / 1000n) } } : key;
			const stmt: Json[] = c.stateful === undefined ? [] : [dynsetStatefulJson(c.stateful)];
			return { set: { op: c.op, elem, set: `@${c.set}`, ...(stmt.length > 0 ? { stmt } : {}) } };
		}
		case "quota":
			return { quota: { val: jn(c.bytes), val_unit: "bytes", ...(c.over ? { inv: true } : {}) } };
		case "objref":
			return { [c.type]: c.name };
		case "side-set":
			return { mangle: { key: c.key === "ct label" ? { ct: { key: "label" } } : { meta: { key: "pkttype" } }, value: c.key === "ct label" ? labelJson(c.value) : pkttypeJson(c.value) } };
		default:
			return assertNever(c, "condition");
	}
}

function verdictJson(v: nft.Verdict): Json {
	switch (v.kind) {
		case "accept":
		case "drop":
		case "return":
		case "continue":
			return { [v.kind]: null };
		case "jump":
		case "goto":
			return { [v.kind]: { target: v.chain } };
		default:
			return assertNever(v, "verdict");
	}
}

function mapJson(keyTypes: readonly nft.Datatype[], dataType: nft.Datatype | undefined, m: nft.MapRef): Json {
	if (m.kind === "named") return `@${m.name}`;
	return { set: m.elems.map((e) => [elemJson(valueJson(keyTypes, e.key), e.comment), dataJson(dataType, e.value)]) };
}

/** A set or map key with its comment: `{"elem": {"val": …, "comment": …}}` (as `nft -j list` prints it). */
function elemJson(val: Json, comment: string | undefined): Json {
	return comment === undefined ? val : { elem: { val, comment } };
}

function dataJson(dataType: nft.Datatype | undefined, v: nft.Value | nft.Verdict): Json {
	return nft.isVerdict(v) ? verdictJson(v) : valueJson([dataType ?? "integer"], v);
}

function logJson(s: Extract<nft.Stmt, { kind: "log" }>): Json {
	const o: Record<string, Json> = {};
	if (s.prefix !== undefined) o["prefix"] = s.prefix;
	if (s.group !== undefined) {
		o["group"] = s.group;
		if (s.snaplen !== undefined) o["snaplen"] = s.snaplen;
		if (s.queueThreshold !== undefined) o["queue-threshold"] = s.queueThreshold;
	} else {
		if (s.level !== undefined) o["level"] = s.level;
		const f = s.flags;
		if (f !== undefined) {
			if (f.tcpSequence && f.tcpOptions && f.ipOptions && f.skuid && f.ether) o["flags"] = "all";
			else {
				const flags: string[] = [];
				if (f.tcpSequence) flags.push("tcp sequence");
				if (f.tcpOptions) flags.push("tcp options");
				if (f.ipOptions) flags.push("ip options");
				if (f.skuid) flags.push("skuid");
				if (f.ether) flags.push("ether");
				if (flags.length > 0) o["flags"] = flags;
			}
		}
	}
	return { log: Object.keys(o).length > 0 ? o : null };
}

function natJson(s: Extract<nft.Stmt, { kind: "nat" }>, family: nft.Family): Json {
	const o: Record<string, Json> = {};
	if (family === "inet" && s.fam !== undefined) o["family"] = s.fam;
	const to = s.to;
	const addrType: nft.Datatype = (s.fam ?? (family === "ip6" ? "ip6" : "ip")) === "ip6" ? "ipv6_addr" : "ipv4_addr";
	if (to?.kind === "map") {
		o["addr"] = { map: { key: exprJson(to.key), data: mapJson(typesOf(to.key), addrType, to.map) } };
	} else if (to !== undefined) {
		if (to.addrLo !== undefined) {
			o["addr"] =
				to.addrHi !== undefined ? { range: [scalarJson(addrType, to.addrLo), scalarJson(addrType, to.addrHi)] } : scalarJson(addrType, to.addrLo);
		}
		if (to.portLo !== undefined) o["port"] = to.portHi !== undefined ? { range: [jn(to.portLo), jn(to.portHi)] } : jn(to.portLo);
	}
	if (s.flags.length > 0) o["flags"] = [...s.flags];
	return { [s.type]: Object.keys(o).length > 0 ? o : null };
}

function markSourceJson(v: nft.MarkSource): Json {
	if (v.kind === "const") return jn(v.value);
	let e: Json = v.src === "meta mark" ? { meta: { key: "mark" } } : v.src === "ct mark" ? { ct: { key: "mark" } } : { socket: { key: "mark" } };
	if (v.and !== undefined) e = { "&": [e, jn(v.and)] };
	if (v.xor !== undefined) e = { "^": [e, jn(v.xor)] };
	if (v.or !== undefined) e = { "|": [e, jn(v.or)] };
	if (v.shift !== undefined) e = { [v.shift.op]: [e, v.shift.bits] };
	return e;
}

/** CONNSECMARK's guarded copy as three JSON statements (see format.ts). */
function secmarkCopyJson(to: "ct" | "meta"): Json[] {
	const meta: Json = { meta: { key: "secmark" } };
	const ct: Json = { ct: { key: "secmark" } };
	const masked = (e: Json): Json => ({ "&": [e, 0xffffffff] });
	const [src, dst] = to === "ct" ? [meta, ct] : [ct, meta];
	return [
		{ match: { op: "!=", left: masked(src), right: 0 } },
		{ match: { op: "==", left: masked(dst), right: 0 } },
		{ mangle: { key: dst, value: src } },
	];
}

function stmtJson(s: nft.Stmt, family: nft.Family): Json {
	switch (s.kind) {
		case "verdict":
			return verdictJson(s.verdict);
		case "counter":
			return { counter: s.packets !== undefined ? { packets: jn(s.packets), bytes: jn(s.bytes ?? 0n) } : null };
		case "log":
			return logJson(s);
		case "reject": {
			const w = s.with;
			if (w.kind === "tcp-reset") return { reject: { type: "tcp reset" } };
			const names: Record<typeof w.kind, Record<number, string>> = {
				icmp: { 0: "net-unreachable", 1: "host-unreachable", 2: "prot-unreachable", 3: "port-unreachable", 9: "net-prohibited", 10: "host-prohibited", 13: "admin-prohibited" },
				icmpv6: { 0: "no-route", 1: "admin-prohibited", 3: "addr-unreachable", 4: "port-unreachable", 5: "policy-fail", 6: "reject-route" },
				icmpx: { 0: "no-route", 1: "port-unreachable", 2: "host-unreachable", 3: "admin-prohibited" },
			};
			return { reject: { type: w.kind, expr: names[w.kind][w.code] ?? w.code } };
		}
		case "nat":
			return natJson(s, family);
		case "netmap": {
			// As `nft -j list ruleset` prints it: the prefix, flag netmap, type_flags prefix.
			const addrType: nft.Datatype = s.fam === "ip6" ? "ipv6_addr" : "ipv4_addr";
			return {
				[s.type]: {
					...(family === "inet" ? { family: s.fam } : {}),
					addr: { prefix: { addr: scalarJson(addrType, s.addr), len: s.len } },
					flags: "netmap",
					type_flags: "prefix",
				},
			};
		}
		case "tcpopt-reset": {
			// A kind without an nft name is written as `nft -j list` prints it: base, offset 0, len 0.
			const name = TCPOPT_RESET_NAMES.get(s.option);
			return { reset: { "tcp option": name !== undefined ? { name } : { base: s.option, offset: 0, len: 0 } } };
		}
		case "secmark-copy":
			// Printed by the rule as three statements (secmarkCopyJson); here only the copy.
			return { mangle: s.to === "ct" ? { key: { ct: { key: "secmark" } }, value: { meta: { key: "secmark" } } } : { key: { meta: { key: "secmark" } }, value: { ct: { key: "secmark" } } } };
		case "mark-set":
			return {
				mangle: { key: s.target === "meta mark" ? { meta: { key: "mark" } } : { ct: { key: "mark" } }, value: markSourceJson(s.value) },
			};
		case "notrack":
			return { notrack: null };
		case "tcpmss":
			return {
				mangle: {
					key: { "tcp option": { name: "maxseg", field: "size" } },
					value: s.size === "rt-mtu" ? { rt: { key: "mtu" } } : jn(s.size),
				},
			};
		case "queue": {
			const flags = [s.bypass ? "bypass" : "", s.fanout ? "fanout" : ""].filter((f) => f !== "");
			return {
				queue: {
					num: s.numLo === s.numHi ? s.numLo : { range: [s.numLo, s.numHi] },
					...(flags.length > 0 ? { flags } : {}),
				},
			};
		}
		case "vmap":
			return { vmap: { key: exprJson(s.key), data: mapJson(typesOf(s.key), undefined, s.map) } };
		case "payload-set": {
			const [protocol, field] = s.key.split(" ");
			return { mangle: { key: { payload: { protocol: protocol ?? "", field: field ?? "" } }, value: scalarJson(nft.PAYLOAD_FIELDS[s.key], s.value) } };
		}
		case "ct-helper-set":
			return { "ct helper": s.name };
		case "ct-zone-set":
			return { mangle: { key: { ct: s.dir !== undefined ? { key: "zone", dir: s.dir } : { key: "zone" } }, value: jn(s.zone) } };
		case "tproxy": {
			const o: Record<string, Json> = {};
			if (family === "inet") o["family"] = s.fam;
			if (s.addr !== undefined) o["addr"] = s.fam === "ip" ? ipv4(s.addr) : ipv6(s.addr);
			if (s.port !== undefined) o["port"] = jn(s.port);
			return { tproxy: o };
		}
		case "priority-set":
			return { mangle: { key: { meta: { key: "priority" } }, value: `${s.major.toString(16)}:${s.minor.toString(16)}` } };
		case "dup":
			return { dup: { addr: scalarJson(s.fam === "ip" ? "ipv4_addr" : "ipv6_addr", s.addr), ...(s.device !== undefined ? { dev: s.device } : {}) } };
		case "nftrace":
			return { mangle: { key: { meta: { key: "nftrace" } }, value: 1 } };
		case "synproxy": {
			const flags = [s.timestamp ? "timestamp" : "", s.sackPerm ? "sack-perm" : ""].filter((f) => f !== "");
			return {
				synproxy: {
					...(s.mss !== undefined ? { mss: s.mss } : {}),
					...(s.wscale !== undefined ? { wscale: s.wscale } : {}),
					...(flags.length > 0 ? { flags } : {}),
				},
			};
		}
		default:
			return assertNever(s, "statement");
	}
}

function setJson(family: nft.Family, table: string, s: nft.NamedSet): Json {
	const type: Json = s.keyType.length === 1 ? (s.keyType[0] ?? "integer") : [...s.keyType];
	const o: Record<string, Json> = { family, table, name: s.name, type };
	if (s.dataType !== undefined) o["map"] = s.dataType;
	// nft 1.0.6 JSON has no "dynamic" flag (its parser refuses it; `nft -j list` leaves it out).
	const flags = [s.interval ? "interval" : "", s.timeoutMs !== undefined ? "timeout" : ""].filter((f) => f !== "");
	if (flags.length > 0) o["flags"] = flags;
	if (s.timeoutMs !== undefined && s.timeoutMs > 0n) o["timeout"] = jn(s.timeoutMs / 1000n);
	if (s.size !== undefined) o["size"] = s.size;
	if (s.counter === true) o["stmt"] = [{ counter: null }];
	if (s.elems.length > 0) {
		o["elem"] = (s.elems as readonly (nft.MapElem | nft.Value)[]).map((e, i) =>
			"key" in e
				? [elemJson(valueJson(s.keyType, e.key), e.comment), dataJson(s.dataType === "verdict" ? undefined : s.dataType, e.value)]
				: elemJson(valueJson(s.keyType, e), s.elemComments?.[i]),
		);
	}
	return { [s.dataType !== undefined ? "map" : "set"]: o };
}

/**
 * JSON.stringify with exact bigints (as JSON numbers, never through a float). Values are built
 * with jn(), so a bigint survives only beyond 2^53 (huge counters); the slower replacer path
 * runs only then.
 */
function stringify(v: Json): string {
	try {
		return JSON.stringify(v);
	} catch (e) {
		if (!(e instanceof TypeError)) throw e;
	}
	const marker = "\u0000big:";
	const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `${marker}${x.toString()}` : x));
	return text.replace(/"\\u0000big:(-?\d+)"/g, "$1");
}

/**
 * Rules whose JSON nft 1.0.6 cannot read back although `nft -j list` prints it: `meta mark set
 * socket mark` (its JSON parser allows no socket expression in a statement). The text form loads.
 */
export function jsonGaps(ruleset: nft.Ruleset): Diagnostic[] {
	const out: Diagnostic[] = [];
	for (const t of ruleset.tables)
		for (const c of t.chains)
			for (const r of c.rules)
				if (r.stmts.some((s) => s.kind === "mark-set" && s.value.kind === "bitwise" && s.value.src === "socket mark"))
					out.push(diagnostic("inexpressible", "nft 1.0.6 cannot read `meta mark set socket mark` (socket --restore-skmark) from JSON", r.origins[0], "use the text output format, which nft loads"));
	return out;
}

export function emitJson(ruleset: nft.Ruleset): string {
	const out: string[] = [];
	writeJson(ruleset, (s) => out.push(s));
	return out.join("");
}

/** Items stringified per piece: JSON.stringify of the whole list is the same text, pieces joined. */
const PIECE_ITEMS = 2048;

/**
 * The ruleset as libnftables JSON, handed to `write` in pieces (in order; their concatenation is
 * the text): the items of a 100k-rule ruleset never exist all at once.
 */
export function writeJson(ruleset: nft.Ruleset, write: (chunk: string) => void): void {
	let items: Json[] = [{ metainfo: { json_schema_version: 1 } }];
	let first = true;
	const flush = (): void => {
		if (items.length === 0) return;
		write((first ? '{"nftables":[' : ",") + items.map(stringify).join(","));
		first = false;
		items = [];
	};
	const push = (item: Json): void => {
		items.push(item);
		if (items.length >= PIECE_ITEMS) flush();
	};
	for (const t of ruleset.tables) {
		push({ table: { family: t.family, name: t.name } });
		for (const o of t.objects ?? []) push(objectJson(t.family, t.name, o));
		for (const s of t.sets) push(setJson(t.family, t.name, s));
		for (const c of t.chains) {
			const chain: Record<string, Json> = { family: t.family, table: t.name, name: c.name };
			if (c.base !== undefined) {
				chain["type"] = c.base.type;
				chain["hook"] = c.base.hook;
				chain["prio"] = c.base.priority;
				if (c.base.policy !== undefined) chain["policy"] = c.base.policy;
			}
			push({ chain });
		}
		// Rules after all chains, so jumps to chains declared later resolve.
		for (const c of t.chains) {
			for (const r of c.rules) {
				const expr: Json[] = [...r.conds.map(condJson), ...r.stmts.flatMap((s) => (s.kind === "secmark-copy" ? secmarkCopyJson(s.to) : [stmtJson(s, t.family)]))];
				push({
					rule: { family: t.family, table: t.name, chain: c.name, expr, ...(r.comment !== undefined ? { comment: r.comment } : {}) },
				});
			}
		}
	}
	flush();
	write("]}\n");
}

/** Named objects as `nft -j list ruleset` prints them (quota: `bytes`, `used`, `inv`). */
function objectJson(family: nft.Family, table: string, o: nft.NamedObject): Json {
	switch (o.kind) {
		case "counter":
			return { counter: { family, table, name: o.name, ...(o.packets !== undefined || o.bytes !== undefined ? { packets: jn(o.packets ?? 0n), bytes: jn(o.bytes ?? 0n) } : {}) } };
		case "quota":
			return { quota: { family, table, name: o.name, bytes: jn(o.bytes), used: jn(o.used), ...(o.over ? { inv: true } : {}) } };
		case "ct-helper":
			return { "ct helper": { family, table, name: o.name, type: o.helper, protocol: o.proto, l3proto: o.l3proto } };
		default:
			return assertNever(o, "named object");
	}
}

/**
 * `ipset save` output -> set declarations (compiler/ir/ipset.ts). The format is line based:
 * `create NAME TYPE [options…]` and `add NAME ELEMENT [options…]`; words are separated by spaces
 * and `comment "…"` is quoted. Unknown set types and options that change lookups are reported.
 */
import { diagnostic, type Diagnostic } from "../../compiler/ir/diagnostics.js";
import type { IpsetCatalogue, IpsetDecl, IpsetDim, IpsetElem, IpsetPart } from "../../compiler/ir/ipset.js";
import { span, type Span } from "../../compiler/ir/span.js";
import { isBad, parseAddr, parseDec, parseMac, parseProtocol, parseUint, servicePort } from "../iptables/values.js";

export interface IpsetParseResult {
	readonly sets: readonly IpsetDecl[];
	readonly diagnostics: readonly Diagnostic[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const DIMS: ReadonlySet<string> = new Set(["ip", "net", "port", "mac", "iface", "mark"]);
/** Options of `create` that only size or tune the kernel's table. */
const SIZING = new Set(["hashsize", "maxelem", "bucketsize", "initval", "range", "size", "probes", "resize", "forceadd", "markmask"]);

function words(line: string): string[] {
	const out: string[] = [];
	const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
	for (let m = re.exec(line); m !== null; m = re.exec(line)) out.push(m[1] ?? m[2] ?? "");
	return out;
}

export function parseIpsetSave(text: string, file: string): IpsetParseResult {
	const diags: Diagnostic[] = [];
	const sets = new Map<string, Mutable<IpsetDecl> & { elems: IpsetElem[] }>();
	const lines = text.split("\n");
	lines.forEach((raw, i) => {
		const line = raw.trim();
		if (line === "" || line.startsWith("#")) return;
		const at = span(file, i + 1, 1, raw.length);
		const w = words(line);
		const err = (code: Parameters<typeof diagnostic>[0], msg: string, hint?: string): void => {
			diags.push(diagnostic(code, msg, at, hint));
		};
		const [cmd, name] = w;
		if ((cmd === "create" || cmd === "-N") && name !== undefined) {
			const type = w[2];
			if (type === undefined) return err("syntax_error", "create needs a set type");
			const decl = createSet(name, type, w.slice(3), at, err);
			if (decl !== undefined) sets.set(name, decl);
			return;
		}
		if ((cmd === "add" || cmd === "-A") && name !== undefined) {
			const set = sets.get(name);
			if (set === undefined) return err("syntax_error", `add to set ${name}, which was not created before`);
			const elemText = w[2];
			if (elemText === undefined) return err("syntax_error", "add needs an element");
			const e = parseElem(set, elemText, w.slice(3), at, err);
			if (e !== undefined) set.elems.push(e);
			return;
		}
		err("syntax_error", `unexpected line in ipset save output: ${JSON.stringify(line.slice(0, 40))}`, "expected `create NAME TYPE …` or `add NAME ELEMENT …`");
	});
	return { sets: [...sets.values()], diagnostics: diags };
}

export function ipsetCatalogue(sets: readonly IpsetDecl[]): IpsetCatalogue {
	return { sets: new Map(sets.map((s) => [s.name, s])) };
}

type Err = (code: Parameters<typeof diagnostic>[0], msg: string, hint?: string) => void;

function createSet(name: string, type: string, opts: string[], at: Span, err: Err): (Mutable<IpsetDecl> & { elems: IpsetElem[] }) | undefined {
	const m = /^(hash|bitmap):([a-z,]+)$/.exec(type);
	const dims = (m?.[2] ?? "").split(",");
	if (m === null || !dims.every((d) => DIMS.has(d)) || (m[1] === "bitmap" && m[2] !== "ip")) {
		err("unsupported_extension", `ipset type ${type} is not translated`, "supported: hash:ip, hash:net, hash:ip,port, hash:net,port, hash:mac, hash:net,iface, hash:ip,mark, bitmap:ip and their combinations");
		return undefined;
	}
	const decl: Mutable<IpsetDecl> & { elems: IpsetElem[] } = { name, type, dims: dims as IpsetDim[], fam: 4, counters: false, elems: [], span: at };
	for (let i = 0; i < opts.length; i++) {
		const o = opts[i]!;
		const v = opts[i + 1];
		switch (o) {
			case "family":
				if (v !== "inet" && v !== "inet6") return void err("invalid_value", `family must be inet or inet6, not ${v ?? "nothing"}`);
				decl.fam = v === "inet" ? 4 : 6;
				i++;
				break;
			case "timeout": {
				const n = v === undefined ? undefined : parseDec(v, 2147483);
				if (n === undefined) return void err("invalid_value", `invalid timeout ${v ?? ""}`);
				decl.timeout = n;
				i++;
				break;
			}
			case "netmask": {
				const n = v === undefined ? undefined : parseDec(v, 128);
				if (n === undefined) return void err("invalid_value", `invalid netmask ${v ?? ""}`);
				decl.netmask = n;
				i++;
				break;
			}
			case "counters":
				decl.counters = true;
				break;
			case "comment":
			case "skbinfo":
				break;
			default:
				if (SIZING.has(o)) {
					if (o !== "forceadd") i++;
					if (o === "maxelem" && v !== undefined) decl.maxelem = parseDec(v, 0xffffffff) ?? 65536;
					break;
				}
				return void err("unsupported_option", `ipset option ${o} is not translated`);
		}
	}
	return decl;
}

function parseElem(set: IpsetDecl, text: string, opts: string[], at: Span, err: Err): IpsetElem | undefined {
	const fields = text.split(",");
	if (fields.length !== set.dims.length) return void err("syntax_error", `element ${text} has ${fields.length} parts; ${set.type} has ${set.dims.length}`);
	const parts: IpsetPart[] = [];
	for (const [i, dim] of set.dims.entries()) {
		const p = parsePart(dim, fields[i]!, set, err);
		if (p === undefined) return undefined;
		parts.push(p);
	}
	let timeout: number | undefined;
	let nomatch = false;
	for (let i = 0; i < opts.length; i++) {
		const o = opts[i]!;
		if (o === "nomatch") nomatch = true;
		else if (o === "timeout") {
			timeout = parseDec(opts[i + 1] ?? "", 2147483);
			i++;
		} else if (o === "packets" || o === "bytes" || o === "comment" || o === "skbmark" || o === "skbprio" || o === "skbqueue") i++;
		else return void err("unsupported_option", `element option ${o} is not translated`);
	}
	return { parts, ...(timeout !== undefined ? { timeout } : {}), nomatch, span: at };
}

function parsePart(dim: IpsetDim, t: string, set: IpsetDecl, err: Err): IpsetPart | undefined {
	switch (dim) {
		case "ip":
		case "net": {
			const bits = set.fam === 4 ? 32 : 128;
			const [a, l] = t.split("/");
			const addr = parseAddr(a ?? "", set.fam);
			if (isBad(addr)) return void err(addr.code, `${addr.message} in set ${set.name}`);
			const len = l === undefined ? bits : parseDec(l, bits);
			if (len === undefined) return void err("invalid_address", `invalid prefix ${t} in set ${set.name}`);
			const ones = (1n << BigInt(bits)) - 1n;
			const mask = len === 0 ? 0n : (ones << BigInt(bits - len)) & ones;
			return { kind: "addr", addr: addr & mask, prefixLen: len };
		}
		case "port": {
			// icmp "ports" are type/code (ipset stores type << 8 | code).
			const icmp = /^(icmp|icmpv6):([0-9]+)\/([0-9]+)$/.exec(t);
			if (icmp !== null) {
				const v = Number(icmp[2]) * 256 + Number(icmp[3]);
				return { kind: "port", proto: icmp[1] === "icmp" ? 1 : 58, lo: v, hi: v };
			}
			const m = /^(?:([a-z0-9-]+):)?([0-9a-z-]+?)(?:-([0-9]+))?$/.exec(t);
			const proto = m?.[1] === undefined ? 6 : parseProtocol(m[1]);
			const lo = m === null ? undefined : parseUint(m[2]!, 65535) ?? servicePort(m[2]!);
			const hi = m?.[3] === undefined ? lo : parseUint(m[3], 65535);
			if (m === null || isBad(proto) || lo === undefined || hi === undefined || hi < lo) return void err("invalid_port", `invalid port ${t} in set ${set.name}`);
			return { kind: "port", proto, lo, hi };
		}
		case "mac": {
			const mac = parseMac(t);
			if (isBad(mac)) return void err(mac.code, mac.message);
			return { kind: "mac", mac };
		}
		case "iface":
			if (t.startsWith("physdev:") || t.length > 15 || !/^[A-Za-z0-9._@-]+$/.test(t)) return void err("invalid_interface", `interface ${t} cannot be translated`);
			return { kind: "iface", name: t };
		case "mark": {
			const n = parseUint(t, 0xffffffff);
			if (n === undefined) return void err("invalid_value", `invalid mark ${t}`);
			return { kind: "mark", mark: n };
		}
	}
}

/**
 * Address arithmetic shared by the simulator (host model, corpus, printers). Addresses are
 * bigint as in the IR (IPv4 in the low 32 bits); parsing and printing go through ipaddr.js.
 */
import ipaddr from "ipaddr.js";
import type { Fam } from "../ir/ipt.js";

export const FAM_BITS: Readonly<Record<Fam, number>> = { 4: 32, 6: 128 };

export function allOnes(fam: Fam): bigint {
	return (1n << BigInt(FAM_BITS[fam])) - 1n;
}

/** Mask with `len` leading one bits. */
export function prefixMask(fam: Fam, len: number): bigint {
	const bits = FAM_BITS[fam];
	if (len <= 0) return 0n;
	if (len >= bits) return allOnes(fam);
	return allOnes(fam) ^ ((1n << BigInt(bits - len)) - 1n);
}

export function inPrefix(fam: Fam, addr: bigint, net: bigint, len: number): boolean {
	const m = prefixMask(fam, len);
	return (addr & m) === (net & m);
}

export function parseAddr(s: string): { fam: Fam; addr: bigint } | undefined {
	if (ipaddr.IPv4.isValidFourPartDecimal(s)) {
		return { fam: 4, addr: bytesToBig(ipaddr.IPv4.parse(s).toByteArray()) };
	}
	if (ipaddr.IPv6.isValid(s)) {
		return { fam: 6, addr: bytesToBig(ipaddr.IPv6.parse(s).toByteArray()) };
	}
	return undefined;
}

/** `a.b.c.d/len` or `x::y/len` (a bare address means a host prefix). */
export function parseCidr(s: string): { fam: Fam; addr: bigint; len: number } | undefined {
	const slash = s.indexOf("/");
	const a = parseAddr(slash < 0 ? s : s.slice(0, slash));
	if (!a) return undefined;
	const bits = FAM_BITS[a.fam];
	if (slash < 0) return { ...a, len: bits };
	const lenText = s.slice(slash + 1);
	if (!/^\d{1,3}$/.test(lenText)) return undefined;
	const len = Number(lenText);
	if (len > bits) return undefined;
	return { ...a, len };
}

export function formatAddr(fam: Fam, addr: bigint): string {
	const bytes: number[] = [];
	const n = fam === 4 ? 4 : 16;
	for (let i = n - 1; i >= 0; i--) bytes.push(Number((addr >> BigInt(i * 8)) & 0xffn));
	if (fam === 4) return bytes.join(".");
	return ipaddr.IPv6.parse(ipaddr.fromByteArray(bytes).toString()).toRFC5952String();
}

export function formatMac(mac: bigint): string {
	const parts: string[] = [];
	for (let i = 5; i >= 0; i--) parts.push(Number((mac >> BigInt(i * 8)) & 0xffn).toString(16).padStart(2, "0"));
	return parts.join(":");
}

export function parseMac(s: string): bigint | undefined {
	if (!/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/.test(s)) return undefined;
	return BigInt("0x" + s.split(":").join(""));
}

function bytesToBig(bytes: readonly number[]): bigint {
	let v = 0n;
	for (const b of bytes) v = (v << 8n) | BigInt(b);
	return v;
}

export const V4_LOOPBACK = 0x7f000001n;
export const V6_LOOPBACK = 1n;

export function isMulticast(fam: Fam, addr: bigint): boolean {
	return fam === 4 ? addr >> 28n === 0xen : addr >> 120n === 0xffn;
}

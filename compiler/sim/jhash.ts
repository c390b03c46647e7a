/**
 * The kernel's jhash (include/linux/jhash.h: Bob Jenkins' lookup3, JHASH_INITVAL 0xdeadbeef) and
 * reciprocal_scale, as xt_cluster and nft's `jhash` use them. Written from the algorithm; all
 * arithmetic is u32 (>>> 0 / Math.imul-free adds and xors).
 */

const INITVAL = 0xdeadbeef;

const rol = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** __jhash_mix */
function mix(s: [number, number, number]): void {
	let [a, b, c] = s;
	a = (a - c) >>> 0; a = (a ^ rol(c, 4)) >>> 0; c = (c + b) >>> 0;
	b = (b - a) >>> 0; b = (b ^ rol(a, 6)) >>> 0; a = (a + c) >>> 0;
	c = (c - b) >>> 0; c = (c ^ rol(b, 8)) >>> 0; b = (b + a) >>> 0;
	a = (a - c) >>> 0; a = (a ^ rol(c, 16)) >>> 0; c = (c + b) >>> 0;
	b = (b - a) >>> 0; b = (b ^ rol(a, 19)) >>> 0; a = (a + c) >>> 0;
	c = (c - b) >>> 0; c = (c ^ rol(b, 4)) >>> 0; b = (b + a) >>> 0;
	s[0] = a;
	s[1] = b;
	s[2] = c;
}

/** __jhash_final; returns c. */
function final(a: number, b: number, c: number): number {
	c = (c ^ b) >>> 0; c = (c - rol(b, 14)) >>> 0;
	a = (a ^ c) >>> 0; a = (a - rol(c, 11)) >>> 0;
	b = (b ^ a) >>> 0; b = (b - rol(a, 25)) >>> 0;
	c = (c ^ b) >>> 0; c = (c - rol(b, 16)) >>> 0;
	a = (a ^ c) >>> 0; a = (a - rol(c, 4)) >>> 0;
	b = (b ^ a) >>> 0; b = (b - rol(a, 14)) >>> 0;
	c = (c ^ b) >>> 0; c = (c - rol(b, 24)) >>> 0;
	return c;
}

/** Little-endian u32 at i (the kernel reads key words in CPU order; x86 is little-endian). */
const le32 = (k: Uint8Array, i: number): number => ((k[i] ?? 0) | ((k[i + 1] ?? 0) << 8) | ((k[i + 2] ?? 0) << 16) | ((k[i + 3] ?? 0) << 24)) >>> 0;

/** jhash(key, length, initval) over bytes. */
export function jhash(key: Uint8Array, initval: number): number {
	let length = key.length;
	const init = (INITVAL + length + initval) >>> 0;
	const s: [number, number, number] = [init, init, init];
	let i = 0;
	while (length > 12) {
		s[0] = (s[0] + le32(key, i)) >>> 0;
		s[1] = (s[1] + le32(key, i + 4)) >>> 0;
		s[2] = (s[2] + le32(key, i + 8)) >>> 0;
		mix(s);
		length -= 12;
		i += 12;
	}
	if (length === 0) return s[2];
	// The tail: bytes past the end count as 0, exactly the kernel's fall-through switch.
	const tail = new Uint8Array(12);
	tail.set(key.subarray(i, i + length));
	return final((s[0] + le32(tail, 0)) >>> 0, (s[1] + le32(tail, 4)) >>> 0, (s[2] + le32(tail, 8)) >>> 0);
}

/** jhash2(k, length, initval) over u32 words. */
export function jhash2(k: readonly number[], initval: number): number {
	let length = k.length;
	const init = (INITVAL + (length << 2) + initval) >>> 0;
	const s: [number, number, number] = [init, init, init];
	let i = 0;
	while (length > 3) {
		s[0] = (s[0] + k[i]!) >>> 0;
		s[1] = (s[1] + k[i + 1]!) >>> 0;
		s[2] = (s[2] + k[i + 2]!) >>> 0;
		mix(s);
		length -= 3;
		i += 3;
	}
	if (length === 0) return s[2];
	return final((s[0] + (k[i] ?? 0)) >>> 0, (s[1] + (length > 1 ? k[i + 1]! : 0)) >>> 0, (s[2] + (length > 2 ? k[i + 2]! : 0)) >>> 0);
}

/** jhash_1word(a, initval) = __jhash_nwords(a, 0, 0, initval + JHASH_INITVAL + 4). */
export function jhash1word(a: number, initval: number): number {
	const iv = (initval + INITVAL + 4) >>> 0;
	return final((a + iv) >>> 0, iv, iv);
}

/** reciprocal_scale(val, n) = (val * n) >> 32: maps a u32 hash onto 0..n-1. */
export function reciprocalScale(val: number, n: number): number {
	return Number((BigInt(val >>> 0) * BigInt(n >>> 0)) >> 32n);
}

/** An address as the kernel holds it (network order bytes): 4 bytes for IPv4, 16 for IPv6. */
export function addrBytes(fam: 4 | 6, addr: bigint): Uint8Array {
	const n = fam === 4 ? 4 : 16;
	const out = new Uint8Array(n);
	for (let i = 0; i < n; i++) out[i] = Number((addr >> BigInt(8 * (n - 1 - i))) & 0xffn);
	return out;
}

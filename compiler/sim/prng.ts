/** A small seeded PRNG (mulberry32): the corpus must be the same for the same seed. */
export class Prng {
	private s: number;
	constructor(seed: number) {
		this.s = seed >>> 0;
	}
	/** Uniform in [0, 2^32). */
	u32(): number {
		this.s = (this.s + 0x6d2b79f5) >>> 0;
		let t = this.s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return (t ^ (t >>> 14)) >>> 0;
	}
	/** Uniform in [0, 1). */
	next(): number {
		return this.u32() / 0x100000000;
	}
	int(lo: number, hi: number): number {
		return lo + Math.floor(this.next() * (hi - lo + 1));
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
	pick<T>(xs: readonly T[]): T {
		if (xs.length === 0) throw new Error("internal error: pick from an empty list");
		return xs[Math.floor(this.next() * xs.length)]!;
	}
	bigBits(bits: number): bigint {
		let v = 0n;
		for (let b = 0; b < bits; b += 32) v = (v << 32n) | BigInt(this.u32());
		return v & ((1n << BigInt(bits)) - 1n);
	}
}

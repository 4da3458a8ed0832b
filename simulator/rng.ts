/**
 * Deterministic randomness. The generator draws from one sequential PRNG so a seed
 * always produces the same account; text is derived from per-record seeds with a
 * stateless hash so it never has to be stored (records stay compact).
 */

/** mulberry32: tiny, fast, good enough for test data. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** uint32 */
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** [0, 1) */
  next(): number {
    return this.u32() / 4294967296;
  }
  /** integer in [lo, hi] */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)] as T;
  }
}

/** Stateless 32-bit mix of (seed, salt): the same inputs always give the same output. */
export function hash32(seed: number, salt: number): number {
  let h = (seed ^ Math.imul(salt + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

export function pickH<T>(arr: readonly T[], seed: number, salt: number): T {
  return arr[hash32(seed, salt) % arr.length] as T;
}

/** 40 hex chars derived from a number, standing in for Basecamp's signed-id digests. */
export function hexDigest(n: number): string {
  let out = '';
  for (let i = 0; i < 5; i++)
    out += hash32(n, i + 101)
      .toString(16)
      .padStart(8, '0');
  return out;
}

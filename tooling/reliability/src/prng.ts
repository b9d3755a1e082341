/**
 * A seeded PRNG (mulberry32): the same seed gives the same hostile messages, so a failure reproduces. The seed of
 * a run comes from `RELIABILITY_SEED` when set (to replay one), else a fixed default; every ledger records it.
 */
export class Prng {
  #state: number;
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.#state = this.seed;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }

  /** `length` random bytes. */
  bytes(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) out[i] = this.int(0, 255);
    return out;
  }
}

/** The seed of this run: `RELIABILITY_SEED` (decimal) if set, else `fallback`. */
export function runSeed(fallback: number): number {
  const env = process.env.RELIABILITY_SEED;
  if (env === undefined || env === "") return fallback;
  const seed = Number.parseInt(env, 10);
  if (!Number.isInteger(seed)) throw new Error(`RELIABILITY_SEED must be an integer, got '${env}'`);
  return seed;
}

/**
 * Integer keys over [0, keys): uniform (skew 0) or Zipf with exponent `skew` (key 0 the most frequent), by inverse
 * CDF over the cumulative weights, from a seeded generator (mulberry32). The Node side's produce runs draw their keys
 * from it; the suite's input is loaded by the Java producer (benchmarks/kafka-streams …/KeyGenerator.java, the same
 * distribution, another generator).
 */
export class KeySampler {
  readonly #cumulative: Float64Array | undefined;
  #state: number;

  constructor(readonly keys: number, skew: number, seed: number) {
    if (!(Number.isInteger(keys) && keys >= 1)) throw new Error(`keys must be an integer >= 1, got ${keys}.`);
    this.#state = seed >>> 0;
    if (skew > 0) {
      const c = new Float64Array(keys);
      let sum = 0;
      for (let rank = 1; rank <= keys; rank++) c[rank - 1] = sum += 1 / rank ** skew;
      for (let i = 0; i < keys; i++) c[i] = c[i]! / sum;
      this.#cumulative = c;
    }
  }

  /** A uniform double in [0, 1). */
  #random(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  next(): number {
    const u = this.#random();
    const c = this.#cumulative;
    if (c === undefined) return Math.floor(u * this.keys);
    let lo = 0;
    let hi = this.keys - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * The iteration order of a java.util.HashSet / HashMap of strings, which Kafka Streams' describe() depends on
 * (it walks a HashMap of node names and prints HashSets of store names and topics). Java buckets a key by
 * `(h ^ (h >>> 16)) & (capacity - 1)` where h is String#hashCode; keys in one bucket iterate in insertion order
 * (a resize keeps their relative order). Sets of more than 8 colliding keys (tree bins) do not occur here.
 */

/** Java's String#hashCode: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, in 32-bit int arithmetic. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Capacity of a `new HashMap<>()` / `new HashSet<>()` after `n` puts: 16, doubled whenever size exceeds 3/4 of it. */
export function grownCapacity(n: number): number {
  let cap = 16;
  while (n > cap * 0.75) cap *= 2;
  return cap;
}

/** Capacity of `new HashSet<>(collection)` (Java 17): tableSizeFor(max((int) (n / .75f) + 1, 16)). */
export function copiedCapacity(n: number): number {
  const wanted = Math.max(Math.trunc(n / 0.75) + 1, 16);
  let cap = 1;
  while (cap < wanted) cap *= 2;
  return cap;
}

/** The order a Java hash set with `capacity` buckets iterates `keys`, given in insertion order. */
export function javaHashOrder(keys: readonly string[], capacity: number): string[] {
  const bucket = (k: string) => {
    const h = javaStringHash(k);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return keys
    .map((k, i) => ({ k, i, b: bucket(k) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((e) => e.k);
}

/** Keys and values inside the store stack are bytes; only the outer (metered) layer is typed. */
export type Bytes = Uint8Array;

/** A key-value pair from a scan. */
export interface KeyValue<K, V> {
  readonly key: K;
  readonly value: V;
}

/** Compares two byte arrays lexicographically as unsigned bytes (RocksDB's default order). */
export function compareBytes(a: Bytes, b: Bytes): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

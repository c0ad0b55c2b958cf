/**
 * The order in which a Java `new HashMap<String, V>()` iterates keys put into it in `keys`' order — the order Kafka
 * Streams' ProcessorMetadata#serialize writes its entries in, so that ours writes the same bytes (readers, Java's or
 * ours, take any order). Java's HashMap iterates bucket by bucket (bucket: the key's spread String#hashCode masked
 * by the table size), each bucket in insertion order; its table starts at 16 buckets and doubles when the map holds
 * more than 3/4 of that, or when a bucket already holds 8 keys while the table is under 64 buckets (a resize keeps
 * each bucket's order). Not reproduced: a bucket of more than 8 keys in a table of 64 or more, which Java turns into a
 * tree ordered otherwise — over 48 keys with 9 sharing a bucket, far past the few emit-final aggregations of a task.
 * Keys are never removed from the map (ProcessorMetadata has no remove), so insertion order is the whole history.
 */
export function javaHashMapOrder(keys: Iterable<string>): string[] {
  let table: string[][] = buckets(16);
  let size = 0;
  for (const key of keys) {
    const bucket = table[spread(javaStringHash(key)) & (table.length - 1)]!;
    if (bucket.includes(key)) continue; // put on a present key keeps its place
    const before = bucket.length;
    bucket.push(key);
    // HashMap#putVal: a bucket of 8 before this key is treeified (treeifyBin), which under 64 buckets resizes instead.
    if (before >= 8 && table.length < 64) table = resize(table);
    if (++size > table.length * 0.75) table = resize(table);
  }
  return table.flat();
}

/** Java's String#hashCode: s[0]·31^(n−1) + … + s[n−1] over UTF-16 code units, in 32-bit arithmetic. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** HashMap#hash: the high 16 bits folded into the low ones. */
function spread(h: number): number {
  return h ^ (h >>> 16);
}

function buckets(n: number): string[][] {
  return Array.from({ length: n }, () => []);
}

/** HashMap#resize: twice the buckets, each old bucket split in order between its index and index + old size. */
function resize(table: string[][]): string[][] {
  const next = buckets(table.length * 2);
  for (const bucket of table) for (const key of bucket) next[spread(javaStringHash(key)) & (next.length - 1)]!.push(key);
  return next;
}

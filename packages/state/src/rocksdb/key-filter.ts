import type { Bytes } from '../api/bytes.ts';

/**
 * A Bloom filter of the keys a RocksDB store may hold, kept in JS so that a get of a key the store never had
 * (every first record of a new key: the common case with many distinct keys) costs no native call. RocksDB has
 * its own filters, but reaching them costs a crossing into the binding per get; this answers "absent" for ~99 %
 * of such keys (10 bits per key, 7 probes) without one. "Maybe present" falls through to RocksDB as before.
 *
 * Keys are only added (a delete leaves its key in: a later get just asks RocksDB). When more keys were added
 * than it was sized for, `full` turns true and the owner rebuilds a larger one from its keys (rebuildFrom).
 */
export class KeyFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  private added = 0;

  constructor(readonly capacity: number) {
    // A power of two number of bits, at least 10 per key.
    let n = 1 << 16;
    while (n < capacity * 10) n *= 2;
    this.bits = new Uint32Array(n >>> 5);
    this.mask = n - 1;
  }

  /** More keys were added than the filter was sized for: its false-positive rate climbs. */
  get full(): boolean {
    return this.added > this.capacity;
  }

  /** Adds a key. Only a key that set a new bit counts towards capacity (re-adding a present key does not). */
  add(key: Bytes): void {
    let h1 = hash1(key);
    const h2 = hash2(key) | 1;
    const bits = this.bits;
    let changed = false;
    for (let i = 0; i < 7; i++) {
      const b = h1 & this.mask;
      const w = b >>> 5;
      const m = 1 << (b & 31);
      if ((bits[w]! & m) === 0) {
        bits[w] = bits[w]! | m;
        changed = true;
      }
      h1 = (h1 + h2) | 0;
    }
    if (changed) this.added++;
  }

  /** False: the key was never added. True: it may have been. */
  mightContain(key: Bytes): boolean {
    let h1 = hash1(key);
    const h2 = hash2(key) | 1;
    const bits = this.bits;
    for (let i = 0; i < 7; i++) {
      const b = h1 & this.mask;
      if ((bits[b >>> 5]! & (1 << (b & 31))) === 0) return false;
      h1 = (h1 + h2) | 0;
    }
    return true;
  }

  /**
   * A filter holding `keys`, sized for four times `count` (so a growing store rebuilds it rarely) and at least
   * 2^20 keys (1.25 MiB): rebuilding scans the store's keys, which costs far more than the bits.
   */
  static rebuildFrom(keys: Iterable<Bytes>, count: number): KeyFilter {
    const f = new KeyFilter(Math.max(1 << 20, count * 4));
    for (const k of keys) f.add(k);
    return f;
  }
}

/** FNV-1a, 32 bits. */
function hash1(key: Bytes): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key[i]!, 0x01000193);
  return h >>> 0;
}

/** A second, independent 32-bit hash (multiply-xorshift over the bytes). */
function hash2(key: Bytes): number {
  let h = 0x9e3779b9 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    h = Math.imul(h ^ key[i]!, 0x85ebca6b);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

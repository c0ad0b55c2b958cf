import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { KeyValueBytesStore } from '../api/key-value-store.ts';
import { keyString, lowerBound, prefixUpperExclusive, upperBound, KeyStringMemo } from '../util/key-string.ts';
import { StoreClosedError } from '../errors/store-closed-error.ts';

interface Entry {
  readonly key: Bytes;
  value: Bytes;
}

/** Below this many pending index changes, they are spliced into the sorted index one by one; above, merged. */
const SPLICE_LIMIT = 32;

/**
 * In-memory key-value bytes store (Kafka Streams' InMemoryKeyValueStore).
 *
 * Point operations go to a Map keyed by the binary-string form of the key (see util/key-string.ts).
 * Scans use a sorted array of those strings, built on the first scan and maintained lazily afterwards:
 * new keys are queued in `pending`, deleted ones in `removed`, and both are folded into the index at the
 * next scan (spliced when few, merged when many). Stores that are never scanned pay nothing for it.
 *
 * Scans snapshot the matching keys when called and read values lazily (like Kafka: a key deleted during
 * iteration is skipped, a key added is not seen). Keys and values are stored as given, not copied.
 */
export class InMemoryKeyValueStore implements KeyValueBytesStore {
  readonly persistent = false;
  private readonly map = new Map<string, Entry>();
  private index: string[] | null = null;
  private pending: string[] = [];
  private removed = new Set<string>();
  private open = true;
  private readonly keyMemo = new KeyStringMemo();

  constructor(readonly name: string) {}

  private ks(key: Bytes): string {
    return this.keyMemo.of(key);
  }

  get(key: Bytes): Bytes | undefined {
    if (!this.open) throw new StoreClosedError(this.name);
    return this.map.get(this.ks(key))?.value;
  }

  getMany(keys: readonly Bytes[]): (Bytes | undefined)[] {
    if (!this.open) throw new StoreClosedError(this.name);
    const out = new Array<Bytes | undefined>(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = this.map.get(keyString(keys[i]!))?.value;
    return out;
  }

  put(key: Bytes, value: Bytes | null): void {
    if (!this.open) throw new StoreClosedError(this.name);
    const ks = this.ks(key);
    if (value === null) {
      this.remove(ks);
      return;
    }
    const e = this.map.get(ks);
    if (e !== undefined) e.value = value;
    else this.insert(ks, key, value);
  }

  putIfAbsent(key: Bytes, value: Bytes): Bytes | undefined {
    if (!this.open) throw new StoreClosedError(this.name);
    const ks = this.ks(key);
    const e = this.map.get(ks);
    if (e !== undefined) return e.value;
    if (value !== null) this.insert(ks, key, value);
    return undefined;
  }

  putAll(entries: readonly KeyValue<Bytes, Bytes | null>[]): void {
    for (let i = 0; i < entries.length; i++) this.put(entries[i]!.key, entries[i]!.value);
  }

  delete(key: Bytes): Bytes | undefined {
    if (!this.open) throw new StoreClosedError(this.name);
    return this.remove(this.ks(key));
  }

  range(from: Bytes | undefined, to: Bytes | undefined, reverse = false): Iterable<KeyValue<Bytes, Bytes>> {
    const fs = from === undefined ? undefined : keyString(from);
    const ts = to === undefined ? undefined : keyString(to);
    if (fs !== undefined && ts !== undefined && fs > ts) return [];
    const idx = this.sortedIndex();
    const lo = fs === undefined ? 0 : lowerBound(idx, fs);
    const hi = ts === undefined ? idx.length : upperBound(idx, ts, lo);
    return this.scan(idx.slice(lo, hi), reverse);
  }

  prefixScan(prefix: Bytes): Iterable<KeyValue<Bytes, Bytes>> {
    const ps = keyString(prefix);
    const idx = this.sortedIndex();
    const lo = lowerBound(idx, ps);
    const upper = prefixUpperExclusive(ps);
    const hi = upper === undefined ? idx.length : lowerBound(idx, upper, lo);
    return this.scan(idx.slice(lo, hi), false);
  }

  all(reverse = false): Iterable<KeyValue<Bytes, Bytes>> {
    return this.scan(this.sortedIndex().slice(), reverse);
  }

  approximateNumEntries(): number {
    return this.map.size;
  }

  flush(): void {
    // in memory: nothing to write down
  }

  close(): void {
    this.map.clear();
    this.index = null;
    this.pending = [];
    this.removed.clear();
    this.keyMemo.clear();
    this.open = false;
  }

  /** Re-opens a closed store (empty: an in-memory store loses its contents on close, as in Kafka Streams). */
  reopen(): void {
    this.open = true;
  }

  isOpen(): boolean {
    return this.open;
  }

  private insert(ks: string, key: Bytes, value: Bytes): void {
    this.map.set(ks, { key, value });
    if (this.index !== null) {
      // a key deleted since the index was last folded is still in it: revive instead of adding twice
      if (this.removed.size === 0 || !this.removed.delete(ks)) this.pending.push(ks);
    }
  }

  private remove(ks: string): Bytes | undefined {
    const e = this.map.get(ks);
    if (e === undefined) return undefined;
    this.map.delete(ks);
    if (this.index !== null) this.removed.add(ks);
    return e.value;
  }

  private sortedIndex(): string[] {
    if (!this.open) throw new StoreClosedError(this.name);
    let idx = this.index;
    if (idx === null) {
      idx = Array.from(this.map.keys()).sort();
      this.index = idx;
      this.pending = [];
      this.removed.clear();
      return idx;
    }
    const removed = this.removed;
    const pending = this.pending;
    if (removed.size === 0 && pending.length === 0) return idx;
    if (removed.size + pending.length <= SPLICE_LIMIT) {
      for (const ks of removed) {
        const i = lowerBound(idx, ks);
        if (idx[i] === ks) idx.splice(i, 1);
      }
      for (let j = 0; j < pending.length; j++) {
        const ks = pending[j]!;
        if (!this.map.has(ks)) continue; // added then deleted since: not in the index, keep it out
        idx.splice(lowerBound(idx, ks), 0, ks);
      }
    } else {
      const map = this.map;
      const base = removed.size === 0 ? idx : idx.filter((k) => map.has(k));
      const add = pending.filter((k) => map.has(k)).sort();
      idx = mergeSorted(base, add);
      this.index = idx;
    }
    removed.clear();
    this.pending = [];
    return idx;
  }

  private *scan(keys: string[], reverse: boolean): Generator<KeyValue<Bytes, Bytes>> {
    const map = this.map;
    if (reverse) {
      for (let i = keys.length - 1; i >= 0; i--) {
        const e = map.get(keys[i]!);
        if (e !== undefined) yield { key: e.key, value: e.value };
      }
    } else {
      for (let i = 0; i < keys.length; i++) {
        const e = map.get(keys[i]!);
        if (e !== undefined) yield { key: e.key, value: e.value };
      }
    }
  }
}

function mergeSorted(a: string[], b: string[]): string[] {
  if (b.length === 0) return a;
  const out = new Array<string>(a.length + b.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

import type { Bytes } from '../api/bytes.ts';
import type { Windowed, WindowedBytes } from '../api/window-store.ts';
import type { NamedCache } from '../cache/record-cache.ts';
import { lowerBoundPair } from '../util/sorted-numbers.ts';

// Shared by the window and session caching layers: the flush listener types, the cache-key encoding of a
// window, and the per-key index of what a layer has put into its named cache.

/**
 * Called for each dirty window/session a caching layer writes down (on flush or eviction), after writing it:
 * (window, new value, old value below, timestamp of the write, context of the write) — context is what the
 * layer's `context` supplier returned when the entry was last written (the runtime: the record's headers).
 */
export type WindowedBytesFlushListener = (key: WindowedBytes, newValue: Bytes | null, oldValue: Bytes | null, timestamp: number, context: unknown) => void;

/** Typed form of WindowedBytesFlushListener, as the metered window/session layers expose it. */
export type WindowedFlushListener<K, V> = (key: Windowed<K>, newValue: V | null, oldValue: V | null, timestamp: number, context: unknown) => void;

/** A window/session store layer that may sit above a caching layer (the metered layers look for it). */
export interface WindowedFlushListenerHost {
  /**
   * sendOldValues false: the old value is read below only when needed to decide whether to forward a delete,
   * and the listener gets null as old value otherwise (Kafka's setFlushListener(listener, sendOldValues)).
   */
  setFlushListener(listener: WindowedBytesFlushListener | null, sendOldValues?: boolean): boolean;
}

export function setWindowedFlushListenerDown(inner: object, listener: WindowedBytesFlushListener | null, sendOldValues: boolean): boolean {
  const host = inner as Partial<WindowedFlushListenerHost>;
  return typeof host.setFlushListener === 'function' ? host.setFlushListener(listener, sendOldValues) : false;
}

const TWO32 = 4294967296;
const HI_BIAS = 2097152; // 2^21: the high 32-bit half of a safe integer is in [-2^21, 2^21)

/**
 * A time (a safe integer) as 4 UTF-16 code units, order-preserving. Appended to a key's binary string it makes
 * a window's cache key: the suffix has a fixed width, so different (key, time) pairs never collide.
 */
function encodeTime(t: number): string {
  const hi = Math.floor(t / TWO32);
  const lo = t - hi * TWO32;
  const h = hi + HI_BIAS;
  return String.fromCharCode(h >>> 16, h & 0xffff, lo >>> 16, lo & 0xffff);
}

/** Inverse of encodeTime, reading the 4 code units of `s` at `at`. */
export function decodeTime(s: string, at: number): number {
  const h = s.charCodeAt(at) * 65536 + s.charCodeAt(at + 1) - HI_BIAS;
  return h * TWO32 + s.charCodeAt(at + 2) * 65536 + s.charCodeAt(at + 3);
}

/** The windows of one key a caching layer has put into its cache: (a, b) pairs sorted ascending. */
export interface IndexedKey {
  /** Binary string of the key (util/key-string.ts). */
  readonly ks: string;
  readonly key: Bytes;
  readonly a: number[];
  readonly b: number[];
}

/**
 * Per-key index of a caching layer's cache entries, so that a key's windows in a time range are found without
 * scanning the whole cache. Window layers index (start, 0), session layers (end, start). Entries leave the
 * cache on their own (LRU eviction, flushed deletes), so the index may hold stale pairs: readers check each
 * candidate in the cache (`peek`) and prune the missing ones; when the index grows to twice the cache it is
 * rebuilt from the cache. The cache key of a pair is the key's string plus encodeTime(a) (plus encodeTime(b)
 * for pairs).
 *
 * Every entry of the layer's named cache is indexed: entries enter it only through the layer's put, which indexes
 * what the cache did not hold before (a put that updates a cached window skips the index: the per-record path of
 * a windowed aggregation), pruning drops only pairs the cache no longer holds, and a layer that finds its named
 * cache not empty when it opens indexes what is there (rebuild).
 */
export class CacheIndex {
  readonly keys = new Map<string, IndexedKey>();
  private count = 0;
  private readonly suffix: number;

  constructor(private readonly pairs: boolean) {
    this.suffix = pairs ? 8 : 4;
  }

  /** Number of indexed (key, a, b) entries, stale ones included. */
  get size(): number {
    return this.count;
  }

  cacheKey(ks: string, a: number, b: number): string {
    return this.pairs ? ks + encodeTime(a) + encodeTime(b) : ks + encodeTime(a);
  }

  /** Indexes (key, a, b) unless already indexed. Returns true when added. */
  add(ks: string, key: Bytes, a: number, b: number): boolean {
    let e = this.keys.get(ks);
    if (e === undefined) {
      this.keys.set(ks, { ks, key, a: [a], b: [b] });
      this.count++;
      return true;
    }
    const as = e.a, bs = e.b;
    const n = as.length;
    const la = as[n - 1]!;
    const lb = bs[n - 1]!;
    if (la === a && lb === b) return false; // the usual case: the key's latest window, updated again
    if (la < a || (la === a && lb < b)) {
      as.push(a);
      bs.push(b);
      this.count++;
      return true;
    }
    const i = lowerBoundPair(as, bs, a, b);
    if (i < n && as[i] === a && bs[i] === b) return false;
    as.splice(i, 0, a);
    bs.splice(i, 0, b);
    this.count++;
    return true;
  }

  /**
   * Calls `fn(a, b, entry)` for the indexed pairs of `e` from (a0, b0) on, ascending, while a <= aMax, with the
   * key's cache entry (undefined entries are pruned from the index and not passed on).
   */
  scan(named: NamedCache, e: IndexedKey, a0: number, b0: number, aMax: number, fn: (a: number, b: number, value: Bytes | null) => void): void {
    const as = e.a, bs = e.b;
    let stale: number[] | undefined;
    for (let i = lowerBoundPair(as, bs, a0, b0); i < as.length && as[i]! <= aMax; i++) {
      const hit = named.peek(this.cacheKey(e.ks, as[i]!, bs[i]!));
      if (hit === undefined) (stale ??= []).push(i);
      else fn(as[i]!, bs[i]!, hit.value);
    }
    if (stale !== undefined) {
      for (let j = stale.length - 1; j >= 0; j--) {
        as.splice(stale[j]!, 1);
        bs.splice(stale[j]!, 1);
      }
      this.count -= stale.length;
      if (as.length === 0) this.keys.delete(e.ks);
    }
  }

  /** Rebuilds the index from the cache's entries when it has grown past twice the cache's size. */
  maybeCompact(named: NamedCache): void {
    if (this.count > 2 * named.size + 64) this.rebuild(named);
  }

  /** Indexes exactly the cache's entries. */
  rebuild(named: NamedCache): void {
    this.keys.clear();
    this.count = 0;
    const suffix = this.suffix;
    // In the cache's own order, not sorted: add() keeps each key's pairs sorted, and readers sort what they merge.
    // (A sorted copy of the whole cache per rebuild was 10-17 % of the CPU of W4 and W6H, whose new windows
    // rebuild the index every time the cache has turned over.)
    named.forEachKey((ks, key) => {
      const at = ks.length - suffix;
      this.add(ks.slice(0, at), key, decodeTime(ks, at), this.pairs ? decodeTime(ks, at + 4) : 0);
    });
  }

  clear(): void {
    this.keys.clear();
    this.count = 0;
  }
}

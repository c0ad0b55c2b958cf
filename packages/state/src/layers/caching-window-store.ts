import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { WindowBytesStore, WindowedBytes } from '../api/window-store.ts';
import type { DirtyEntry, RecordCache } from '../cache/record-cache.ts';
import { windowEnd } from '../memory/in-memory-window-store.ts';
import { keyString } from '../util/key-string.ts';
import { parseWindowChangelogKey } from './changelog-keys.ts';
import { decodeTime, type IndexedKey } from './windowed-cache-support.ts';
import { CachingWindowedStore, type CachingWindowedStoreOptions } from './caching-windowed-store.ts';
import { StoreClosedError } from '../errors/store-closed-error.ts';
import { StreamsError } from '@ts-streams/dsl/errors';

export interface CachingWindowStoreOptions extends CachingWindowedStoreOptions {
  /**
   * Kafka Streams' TimeOrderedCachingWindowStore (emitStrategy('on-window-close') aggregations): reads return what
   * the cache holds whatever its age, and the store below applies its own retention by its own stream time (which
   * lags behind while writes sit in the cache). Default false: see Retention above.
   */
  readonly timeOrdered?: boolean;
}

interface Row {
  readonly start: number;
  readonly ks: string;
  readonly key: Bytes;
  readonly value: Bytes | null;
}

/**
 * Write-back caching layer for window stores (Kafka Streams' CachingWindowStore) over a shared RecordCache.
 *
 * put() caches (key, start) as a dirty entry; fetch() reads the cache, then below (a miss is not cached, as in
 * Kafka). Range reads merge the cache's entries with the layer below in the order the store promises — fetchRange
 * by start; fetchKeyRange / fetchAll / all by start, then key bytes — the cache winning on equal (start, key) and
 * a cached delete hiding the window. Dirty entries are written down on flush() or when evicted, in last-write
 * order: for each, the old value is read below (when there is a listener and it is needed), the new one written,
 * then the listener gets (window, new, old, timestamp of the write, context of the write) unless both are null —
 * so downstream sees only the latest value per window per flush. While an entry is written down,
 * currentTimestamp() returns its write's timestamp (a change-logging layer below stamps the changelog with it).
 *
 * Retention: the layer tracks observed stream time itself (the largest start put, cached or not) and never
 * returns a window with start <= observedStreamTime - retentionPeriod, from the cache or from below (Kafka's
 * cache would: its reads then differ from an uncached store's). Writes are cached all the same, expired or
 * not, and forwarded on flush as without a cache, where the caller forwards what it puts; written down, an
 * expired window is dropped by the store (and logged by a change-logging layer, as without a cache).
 *
 * With options.timeOrdered, reads are Kafka's instead: cached windows whatever their age, merged with what the
 * store below still holds (conformance cases window-*-emit-on-window-close-*, cached).
 *
 * Stores that retain duplicates (stream-stream joins) cannot be cached (Kafka disables caching for them).
 * With a cache of max bytes 0 the layer writes through and calls the listener on each write.
 */
export class CachingWindowStore extends CachingWindowedStore<WindowBytesStore> implements WindowBytesStore {
  // memo of the last cache key: a read-modify-write (fetch then put of one window) builds it once
  private lastCkKey: Bytes | undefined = undefined;
  private lastCkStart = 0;
  private lastCk = '';
  private readonly timeOrdered: boolean;

  constructor(inner: WindowBytesStore, cache: RecordCache, options: CachingWindowStoreOptions = {}) {
    if (inner.retainDuplicates) {
      throw new StreamsError(
        `Window store ${inner.name} retains duplicates (a stream-stream join's store) and cannot be cached: each put adds a record, which a cache would merge. ` +
          'Build it without caching (buildWindowStore leaves the caching option out for such a store, as Kafka Streams does).',
      );
    }
    super(inner, cache, false, options);
    this.timeOrdered = options.timeOrdered ?? false;
  }

  /** The first window start a read may return: all of them when time-ordered (the store below filters its own). */
  private readFrom(timeFrom: number): number {
    return this.timeOrdered ? timeFrom : Math.max(timeFrom, this.expiredUpTo() + 1);
  }

  private cacheKey(key: Bytes, windowStart: number): string {
    if (key === this.lastCkKey && windowStart === this.lastCkStart) return this.lastCk;
    const ck = this.index.cacheKey(this.ks(key), windowStart, 0);
    this.lastCkKey = key;
    this.lastCkStart = windowStart;
    this.lastCk = ck;
    return ck;
  }

  get windowSize(): number {
    return this.inner.windowSize;
  }

  get retainDuplicates(): boolean {
    return false;
  }

  protected cacheKeyOfChangelogKey(changelogKey: Bytes): string {
    const k = parseWindowChangelogKey(changelogKey);
    return this.index.cacheKey(keyString(k.key), k.windowStart, 0);
  }

  protected windowOf(e: DirtyEntry): WindowedBytes {
    const start = decodeTime(e.ks, e.ks.length - 4);
    return { key: e.key, start, end: windowEnd(start, this.inner.windowSize) };
  }

  protected fetchBelow(w: WindowedBytes): Bytes | null {
    return this.inner.fetch(w.key, w.start) ?? null;
  }

  protected writeBelow(w: WindowedBytes, value: Bytes | null): void {
    this.inner.put(w.key, value, w.start);
  }

  put(key: Bytes, value: Bytes | null, windowStart: number): void {
    if (!this.open) throw new StoreClosedError(this.name);
    if (windowStart > this.maxTime) this.maxTime = windowStart;
    if (this.cache.maxBytes === 0) {
      this.writeThrough({ key, start: windowStart, end: windowEnd(windowStart, this.inner.windowSize) }, value);
      return;
    }
    // A window the cache held is indexed already (see CacheIndex): only a new entry is looked up in the index.
    if (this.named.put(this.cacheKey(key, windowStart), key, value, true, this.timestamp(), this.context()) && this.index.add(this.ks(key), key, windowStart, 0)) {
      this.index.maybeCompact(this.named);
    }
  }

  fetch(key: Bytes, windowStart: number): Bytes | undefined {
    if (!this.open) throw new StoreClosedError(this.name);
    if (!this.timeOrdered && windowStart <= this.expiredUpTo()) return undefined;
    if (this.named.size === 0) return this.inner.fetch(key, windowStart);
    const hit = this.named.get(this.cacheKey(key, windowStart));
    if (hit !== undefined) return hit.value ?? undefined;
    return this.inner.fetch(key, windowStart);
  }

  fetchRange(key: Bytes, timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<number, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const minTime = this.readFrom(timeFrom);
    if (timeTo < minTime) return [];
    const e = this.named.size === 0 ? undefined : this.index.keys.get(this.ks(key));
    if (e === undefined) return this.inner.fetchRange(key, minTime, timeTo, backward);
    const cached: Row[] = [];
    this.index.scan(this.named, e, minTime, 0, timeTo, (start, _b, value) => cached.push({ start, ks: e.ks, key: e.key, value }));
    if (cached.length === 0) return this.inner.fetchRange(key, minTime, timeTo, backward);
    const out: KeyValue<number, Bytes>[] = [];
    let c = 0;
    for (const kv of this.inner.fetchRange(key, minTime, timeTo, false)) {
      while (c < cached.length && cached[c]!.start < kv.key) pushTime(out, cached[c++]!);
      if (c < cached.length && cached[c]!.start === kv.key) pushTime(out, cached[c++]!);
      else out.push(kv);
    }
    while (c < cached.length) pushTime(out, cached[c++]!);
    if (backward) out.reverse();
    return out;
  }

  fetchKeyRange(keyFrom: Bytes | undefined, keyTo: Bytes | undefined, timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<WindowedBytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const fs = keyFrom === undefined ? undefined : keyString(keyFrom);
    const ts = keyTo === undefined ? undefined : keyString(keyTo);
    if (fs !== undefined && ts !== undefined && fs > ts) return [];
    const minTime = this.readFrom(timeFrom);
    if (timeTo < minTime) return [];
    const cached = this.cachedRows(fs, ts, minTime, timeTo);
    if (cached.length === 0) return this.inner.fetchKeyRange(keyFrom, keyTo, minTime, timeTo, backward);
    return this.merge(cached, this.inner.fetchKeyRange(keyFrom, keyTo, minTime, timeTo, false), -Infinity, backward);
  }

  fetchAll(timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<WindowedBytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const minTime = this.readFrom(timeFrom);
    if (timeTo < minTime) return [];
    const cached = this.cachedRows(undefined, undefined, minTime, timeTo);
    if (cached.length === 0) return this.inner.fetchAll(minTime, timeTo, backward);
    return this.merge(cached, this.inner.fetchAll(minTime, timeTo, false), -Infinity, backward);
  }

  all(): Iterable<KeyValue<WindowedBytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const minTime = this.timeOrdered ? -Infinity : this.expiredUpTo() + 1;
    const cached = this.cachedRows(undefined, undefined, minTime, Infinity);
    // the layer below may lag behind this layer's stream time: drop what this layer considers expired
    return this.merge(cached, this.inner.all(), minTime, false);
  }

  private cachedRows(fs: string | undefined, ts: string | undefined, minTime: number, maxTime: number): Row[] {
    const rows: Row[] = [];
    if (this.named.size === 0) return rows;
    const keys: IndexedKey[] = [];
    for (const e of this.index.keys.values()) if ((fs === undefined || e.ks >= fs) && (ts === undefined || e.ks <= ts)) keys.push(e);
    for (const e of keys) this.index.scan(this.named, e, minTime, 0, maxTime, (start, _b, value) => rows.push({ start, ks: e.ks, key: e.key, value }));
    rows.sort(compareRows);
    return rows;
  }

  /** Merges cached rows (sorted by start, key) into the rows below (same order); below rows starting before minTime are dropped. */
  private merge(cached: Row[], below: Iterable<KeyValue<WindowedBytes, Bytes>>, minTime: number, backward: boolean): KeyValue<WindowedBytes, Bytes>[] {
    const out: KeyValue<WindowedBytes, Bytes>[] = [];
    const size = this.inner.windowSize;
    let c = 0;
    let lastKey: Bytes | undefined;
    let lastKs = '';
    for (const kv of below) {
      const w = kv.key;
      if (w.start < minTime) continue;
      if (w.key !== lastKey) {
        lastKey = w.key;
        lastKs = keyString(w.key);
      }
      while (c < cached.length && before(cached[c]!, w.start, lastKs)) pushRow(out, cached[c++]!, size);
      const r = cached[c];
      if (r !== undefined && r.start === w.start && r.ks === lastKs) {
        pushRow(out, r, size);
        c++;
      } else {
        out.push(kv);
      }
    }
    while (c < cached.length) pushRow(out, cached[c++]!, size);
    if (backward) out.reverse();
    return out;
  }
}

function compareRows(a: Row, b: Row): number {
  if (a.start !== b.start) return a.start - b.start;
  return a.ks < b.ks ? -1 : a.ks > b.ks ? 1 : 0;
}

function before(r: Row, start: number, ks: string): boolean {
  return r.start < start || (r.start === start && r.ks < ks);
}

function pushTime(out: KeyValue<number, Bytes>[], r: Row): void {
  if (r.value !== null) out.push({ key: r.start, value: r.value });
}

function pushRow(out: KeyValue<WindowedBytes, Bytes>[], r: Row, size: number): void {
  if (r.value !== null) out.push({ key: { key: r.key, start: r.start, end: windowEnd(r.start, size) }, value: r.value });
}

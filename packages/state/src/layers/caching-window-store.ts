import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { ChangelogRecord, RestorableStore } from '../api/state-store.ts';
import type { WindowBytesStore, WindowedBytes } from '../api/window-store.ts';
import type { DirtyEntry, NamedCache, RecordCache } from '../cache/record-cache.ts';
import { windowEnd } from '../memory/in-memory-window-store.ts';
import { keyString, StoreClosedError, KeyStringMemo } from '../util/key-string.ts';
import { parseWindowChangelogKey } from './changelog-keys.ts';
import { restoreDown } from './layer-support.ts';
import { CacheIndex, decodeTime, type IndexedKey, type WindowedBytesFlushListener, type WindowedFlushListenerHost } from './windowed-cache-support.ts';

export interface CachingWindowStoreOptions {
  /** Name of this store's part of the shared cache; must be unique in the cache (e.g. `${taskId}-${store}`). Default: the store name. */
  readonly cacheName?: string;
  /** Timestamp of the current write (the runtime: the current record's); kept with each dirty entry. */
  readonly timestamp?: () => number;
  /** Context of the current write (the runtime: the current record's headers); kept with each dirty entry, handed to the listener. */
  readonly context?: () => unknown;
  readonly listener?: WindowedBytesFlushListener | null;
  /** Default true: the listener gets the value below as old value (else only a delete reads it, to skip no-op deletes). */
  readonly sendOldValues?: boolean;
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
 * Stores that retain duplicates (stream-stream joins) cannot be cached (Kafka disables caching for them).
 * With a cache of max bytes 0 the layer writes through and calls the listener on each write.
 */
export class CachingWindowStore implements WindowBytesStore, RestorableStore, WindowedFlushListenerHost {
  readonly name: string;
  readonly cacheName: string;
  private readonly named: NamedCache;
  private readonly index = new CacheIndex(false);
  private readonly timestamp: () => number;
  private readonly context: () => unknown;
  private listener: WindowedBytesFlushListener | null;
  private sendOldValues: boolean;
  private maxStart = -1;
  private writingDown = false;
  private writingTimestamp = -1;
  private open = true;
  private readonly keyMemo = new KeyStringMemo();
  // memo of the last cache key: a read-modify-write (fetch then put of one window) builds it once
  private lastCkKey: Bytes | undefined = undefined;
  private lastCkStart = 0;
  private lastCk = '';

  constructor(
    readonly inner: WindowBytesStore,
    readonly cache: RecordCache,
    options: CachingWindowStoreOptions = {},
  ) {
    if (inner.retainDuplicates) throw new Error(`Window store ${inner.name} retains duplicates and cannot be cached`);
    this.name = inner.name;
    this.cacheName = options.cacheName ?? inner.name;
    this.timestamp = options.timestamp ?? (() => -1);
    this.context = options.context ?? (() => undefined);
    this.listener = options.listener ?? null;
    this.sendOldValues = options.sendOldValues ?? true;
    this.named = cache.namedCache(this.cacheName, (entries) => this.writeDown(entries));
  }

  private ks(key: Bytes): string {
    return this.keyMemo.of(key);
  }

  private cacheKey(key: Bytes, windowStart: number): string {
    if (key === this.lastCkKey && windowStart === this.lastCkStart) return this.lastCk;
    const ck = this.index.cacheKey(this.ks(key), windowStart, 0);
    this.lastCkKey = key;
    this.lastCkStart = windowStart;
    this.lastCk = ck;
    return ck;
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  get retentionPeriod(): number {
    return this.inner.retentionPeriod;
  }

  get windowSize(): number {
    return this.inner.windowSize;
  }

  get retainDuplicates(): boolean {
    return false;
  }

  setFlushListener(listener: WindowedBytesFlushListener | null, sendOldValues = true): boolean {
    this.listener = listener;
    this.sendOldValues = sendOldValues;
    return true;
  }

  /** The timestamp a write happening now belongs to: the flushed entry's while writing down, else timestamp(). */
  currentTimestamp(): number {
    return this.writingDown ? this.writingTimestamp : this.timestamp();
  }

  /** Largest window start put (cached or written down) or restored; -1 before any. */
  observedStreamTime(): number {
    const below = this.inner.observedStreamTime();
    return below > this.maxStart ? below : this.maxStart;
  }

  /** Windows starting at or before this are expired. */
  private expiredUpTo(): number {
    return this.observedStreamTime() - this.inner.retentionPeriod;
  }

  put(key: Bytes, value: Bytes | null, windowStart: number): void {
    if (!this.open) throw new StoreClosedError(this.name);
    if (windowStart > this.maxStart) this.maxStart = windowStart;
    if (this.cache.maxBytes === 0) {
      this.writeThrough(key, value, windowStart);
      return;
    }
    this.named.put(this.cacheKey(key, windowStart), key, value, true, this.timestamp(), this.context());
    if (this.index.add(this.ks(key), key, windowStart, 0)) this.index.maybeCompact(this.named);
  }

  fetch(key: Bytes, windowStart: number): Bytes | undefined {
    if (!this.open) throw new StoreClosedError(this.name);
    if (windowStart <= this.expiredUpTo()) return undefined;
    if (this.named.size === 0) return this.inner.fetch(key, windowStart);
    const hit = this.named.get(this.cacheKey(key, windowStart));
    if (hit !== undefined) return hit.value ?? undefined;
    return this.inner.fetch(key, windowStart);
  }

  fetchRange(key: Bytes, timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<number, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const minTime = Math.max(timeFrom, this.expiredUpTo() + 1);
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
    const minTime = Math.max(timeFrom, this.expiredUpTo() + 1);
    if (timeTo < minTime) return [];
    const cached = this.cachedRows(fs, ts, minTime, timeTo);
    if (cached.length === 0) return this.inner.fetchKeyRange(keyFrom, keyTo, minTime, timeTo, backward);
    return this.merge(cached, this.inner.fetchKeyRange(keyFrom, keyTo, minTime, timeTo, false), -Infinity, backward);
  }

  fetchAll(timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<WindowedBytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const minTime = Math.max(timeFrom, this.expiredUpTo() + 1);
    if (timeTo < minTime) return [];
    const cached = this.cachedRows(undefined, undefined, minTime, timeTo);
    if (cached.length === 0) return this.inner.fetchAll(minTime, timeTo, backward);
    return this.merge(cached, this.inner.fetchAll(minTime, timeTo, false), -Infinity, backward);
  }

  all(): Iterable<KeyValue<WindowedBytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const minTime = this.expiredUpTo() + 1;
    const cached = this.cachedRows(undefined, undefined, minTime, Infinity);
    // the layer below may lag behind this layer's stream time: drop what this layer considers expired
    return this.merge(cached, this.inner.all(), minTime, false);
  }

  flush(): void {
    this.named.flush();
    this.inner.flush();
  }

  close(): void {
    if (!this.open) return;
    try {
      this.flush();
    } finally {
      this.cache.remove(this.cacheName);
      this.index.clear();
      this.open = false;
      this.inner.close();
    }
  }

  isOpen(): boolean {
    return this.open && this.inner.isOpen();
  }

  /** Restores below (through the change-logging layer) and drops any cached entries of the restored windows. */
  restoreBatch(records: readonly ChangelogRecord[]): void {
    restoreDown(this.name, this.inner, records);
    if (this.named.size === 0) return;
    for (let i = 0; i < records.length; i++) {
      const k = parseWindowChangelogKey(records[i]!.key);
      this.named.delete(this.index.cacheKey(keyString(k.key), k.windowStart, 0));
    }
  }

  /** The cached windows of keys in [fs, ts] with minTime <= start <= maxTime, sorted by start then key. */
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

  /**
   * The value below (null if none), by the store's own stream time: entries are written down in write order, so
   * the store below goes through the states an uncached store would have had (it may lag behind this layer).
   */
  private fetchBelow(key: Bytes, windowStart: number): Bytes | null {
    return this.inner.fetch(key, windowStart) ?? null;
  }

  private writeThrough(key: Bytes, value: Bytes | null, windowStart: number): void {
    const listener = this.listener;
    if (listener === null) {
      this.inner.put(key, value, windowStart);
      return;
    }
    const old = value === null || this.sendOldValues ? this.fetchBelow(key, windowStart) : null;
    this.inner.put(key, value, windowStart);
    if (value !== null || old !== null) {
      listener({ key, start: windowStart, end: windowEnd(windowStart, this.inner.windowSize) }, value, this.sendOldValues ? old : null, this.timestamp(), this.context());
    }
  }

  private writeDown(entries: readonly DirtyEntry[]): void {
    const inner = this.inner;
    const listener = this.listener;
    const sendOld = this.sendOldValues;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const start = decodeTime(e.ks, e.ks.length - 4);
      const old = listener !== null && (e.value === null || sendOld) ? this.fetchBelow(e.key, start) : null;
      this.writingDown = true;
      this.writingTimestamp = e.timestamp;
      try {
        inner.put(e.key, e.value, start);
      } finally {
        this.writingDown = false;
      }
      if (listener !== null && (e.value !== null || old !== null)) {
        listener({ key: e.key, start, end: windowEnd(start, inner.windowSize) }, e.value, sendOld ? old : null, e.timestamp, e.context);
      }
    }
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

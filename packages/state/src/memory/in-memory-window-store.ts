import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { WindowBytesStore, WindowedBytes } from '../api/window-store.ts';
import { keyString, StoreClosedError, KeyStringMemo } from '../util/key-string.ts';

/** Kafka Streams' default segment interval for window stores (Stores.persistentWindowStore): max(retention / 2, 60 s). */
export function defaultSegmentInterval(retentionPeriod: number): number {
  return Math.max(Math.floor(retentionPeriod / 2), 60_000);
}

export interface InMemoryWindowStoreOptions {
  readonly name: string;
  /** Windows with start <= observedStreamTime - retentionPeriod are expired. */
  readonly retentionPeriod: number;
  readonly windowSize: number;
  readonly retainDuplicates?: boolean;
  /** Time span of one segment, the unit in which expired data is dropped. Default defaultSegmentInterval(retention). */
  readonly segmentInterval?: number;
}

/** The windows of one key in one segment, sorted by start (duplicates: equal starts in insertion order). */
interface KeyWindows {
  readonly key: Bytes;
  readonly starts: number[];
  readonly values: Bytes[];
}

interface Segment {
  readonly id: number;
  readonly keys: Map<string, KeyWindows>;
}

/**
 * In-memory window bytes store.
 *
 * Layout: time segments (segmentId = floor(windowStart / segmentInterval), like Kafka's segmented RocksDB
 * stores) each holding a Map from key to that key's windows sorted by start. A key fetch is one Map lookup
 * per segment in the time range plus a binary search — cheap for stream-stream joins, where Kafka's
 * InMemoryWindowStore (one map per distinct window start) would walk every timestamp in the join window.
 *
 * Retention (as InMemoryWindowStore): observedStreamTime is the largest window start put; a put with
 * start <= observedStreamTime - retentionPeriod is dropped (counted in droppedRecords); reads never return
 * windows with start <= observedStreamTime - retentionPeriod. Whole segments are dropped once every start they
 * can hold is expired, so no per-record expiry work is ever done.
 *
 * retainDuplicates: every non-null put adds an entry (kept in insertion order among equal (key, start));
 * a null put is ignored; fetch(key, start) returns undefined (as in Kafka, the stored key carries a seqnum).
 *
 * Orders: fetchRange by start (then insertion); fetchKeyRange / fetchAll / all by start, then key bytes,
 * then insertion (as InMemoryWindowStore). Results are materialised when the method is called.
 */
export class InMemoryWindowStore implements WindowBytesStore {
  readonly persistent = false;
  readonly name: string;
  readonly retentionPeriod: number;
  readonly windowSize: number;
  readonly retainDuplicates: boolean;
  readonly segmentInterval: number;
  /** Puts dropped because their window had already expired. */
  droppedRecords = 0;
  private readonly segments = new Map<number, Segment>();
  /** Ids of `segments`, ascending. */
  private ids: number[] = [];
  private streamTime = -1;
  private open = true;
  private readonly keyMemo = new KeyStringMemo();
  // The windows a fetch last found (segment id, key string): the put that usually follows it (an aggregation's
  // read-modify-write) skips both lookups. Cleared whenever a key or a segment is removed.
  private memoSeg = -1;
  private memoKs = '';
  private memoKw: KeyWindows | undefined = undefined;

  constructor(options: InMemoryWindowStoreOptions) {
    this.name = options.name;
    this.retentionPeriod = options.retentionPeriod;
    this.windowSize = options.windowSize;
    this.retainDuplicates = options.retainDuplicates ?? false;
    this.segmentInterval = options.segmentInterval ?? defaultSegmentInterval(options.retentionPeriod);
    if (!(this.segmentInterval >= 1)) throw new Error(`segmentInterval must be >= 1 (store ${this.name})`);
  }

  private ks(key: Bytes): string {
    return this.keyMemo.of(key);
  }

  private forgetMemo(): void {
    this.memoSeg = -1;
    this.memoKs = '';
    this.memoKw = undefined;
  }

  observedStreamTime(): number {
    return this.streamTime;
  }

  put(key: Bytes, value: Bytes | null, windowStart: number): void {
    if (!this.open) throw new StoreClosedError(this.name);
    if (windowStart > this.streamTime) {
      this.streamTime = windowStart;
      this.dropExpiredSegments();
    }
    if (windowStart <= this.streamTime - this.retentionPeriod) {
      this.droppedRecords++;
      return;
    }
    const segId = Math.floor(windowStart / this.segmentInterval);
    const ks = this.ks(key);
    if (value === null) {
      if (this.retainDuplicates) return;
      const kw = this.segments.get(segId)?.keys.get(ks);
      if (kw === undefined) return;
      const i = indexOf(kw.starts, windowStart);
      if (i < 0) return;
      kw.starts.splice(i, 1);
      kw.values.splice(i, 1);
      if (kw.starts.length === 0) {
        this.segments.get(segId)!.keys.delete(ks);
        this.forgetMemo();
      }
      return;
    }
    let kw = segId === this.memoSeg && ks === this.memoKs ? this.memoKw : undefined;
    if (kw === undefined) {
      let seg = this.segments.get(segId);
      if (seg === undefined) seg = this.createSegment(segId);
      kw = seg.keys.get(ks);
      if (kw === undefined) {
        seg.keys.set(ks, { key, starts: [windowStart], values: [value] });
        return;
      }
    }
    const starts = kw.starts;
    const n = starts.length;
    if (starts[n - 1]! < windowStart || (this.retainDuplicates && starts[n - 1] === windowStart)) {
      starts.push(windowStart);
      kw.values.push(value);
      return;
    }
    if (this.retainDuplicates) {
      const i = upperBoundNum(starts, windowStart);
      starts.splice(i, 0, windowStart);
      kw.values.splice(i, 0, value);
      return;
    }
    const i = lowerBoundNum(starts, windowStart);
    if (starts[i] === windowStart) {
      kw.values[i] = value;
    } else {
      starts.splice(i, 0, windowStart);
      kw.values.splice(i, 0, value);
    }
  }

  fetch(key: Bytes, windowStart: number): Bytes | undefined {
    if (!this.open) throw new StoreClosedError(this.name);
    if (this.retainDuplicates || windowStart <= this.streamTime - this.retentionPeriod) return undefined;
    const segId = Math.floor(windowStart / this.segmentInterval);
    const ks = this.ks(key);
    const kw = this.segments.get(segId)?.keys.get(ks);
    if (kw === undefined) return undefined;
    this.memoSeg = segId;
    this.memoKs = ks;
    this.memoKw = kw;
    const i = indexOf(kw.starts, windowStart);
    return i < 0 ? undefined : kw.values[i];
  }

  fetchRange(key: Bytes, timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<number, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const out: KeyValue<number, Bytes>[] = [];
    const minTime = Math.max(timeFrom, this.streamTime - this.retentionPeriod + 1);
    if (timeTo < minTime) return out;
    const ks = this.ks(key);
    const ids = this.ids;
    const lastSeg = Math.floor(timeTo / this.segmentInterval);
    for (let s = lowerBoundNum(ids, Math.floor(minTime / this.segmentInterval)); s < ids.length && ids[s]! <= lastSeg; s++) {
      const kw = this.segments.get(ids[s]!)!.keys.get(ks);
      if (kw === undefined) continue;
      const starts = kw.starts;
      for (let i = lowerBoundNum(starts, minTime); i < starts.length && starts[i]! <= timeTo; i++) {
        out.push({ key: starts[i]!, value: kw.values[i]! });
      }
    }
    if (backward) out.reverse();
    return out;
  }

  fetchKeyRange(keyFrom: Bytes | undefined, keyTo: Bytes | undefined, timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<WindowedBytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const fs = keyFrom === undefined ? undefined : keyString(keyFrom);
    const ts = keyTo === undefined ? undefined : keyString(keyTo);
    if (fs !== undefined && ts !== undefined && fs > ts) return [];
    return this.collect(fs, ts, timeFrom, timeTo, backward);
  }

  fetchAll(timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<WindowedBytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    return this.collect(undefined, undefined, timeFrom, timeTo, backward);
  }

  all(): Iterable<KeyValue<WindowedBytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    return this.collect(undefined, undefined, -Infinity, Infinity, false);
  }

  flush(): void {
    // in memory: nothing to write down
  }

  close(): void {
    this.segments.clear();
    this.forgetMemo();
    this.ids = [];
    this.streamTime = -1;
    this.keyMemo.clear();
    this.open = false;
  }

  /** Re-opens a closed store (empty, as an in-memory store loses its contents on close). */
  reopen(): void {
    this.open = true;
  }

  isOpen(): boolean {
    return this.open;
  }

  private createSegment(id: number): Segment {
    const seg: Segment = { id, keys: new Map() };
    this.segments.set(id, seg);
    const ids = this.ids;
    if (ids.length === 0 || ids[ids.length - 1]! < id) ids.push(id);
    else ids.splice(lowerBoundNum(ids, id), 0, id);
    return seg;
  }

  /** Drops the segments whose every possible start is <= streamTime - retention. */
  private dropExpiredSegments(): void {
    const ids = this.ids;
    // segment id holds starts [id * interval, (id + 1) * interval - 1]; expired if the last one is < minLive
    const minLive = this.streamTime - this.retentionPeriod + 1;
    let n = 0;
    while (n < ids.length && (ids[n]! + 1) * this.segmentInterval - 1 < minLive) {
      this.segments.delete(ids[n]!);
      this.forgetMemo();
      n++;
    }
    if (n > 0) ids.splice(0, n);
  }

  private collect(fs: string | undefined, ts: string | undefined, timeFrom: number, timeTo: number, backward: boolean): KeyValue<WindowedBytes, Bytes>[] {
    const minTime = Math.max(timeFrom, this.streamTime - this.retentionPeriod + 1);
    if (timeTo < minTime) return [];
    const rows: Row[] = [];
    const ids = this.ids;
    const firstSeg = Math.floor(minTime / this.segmentInterval);
    const lastSeg = timeTo === Infinity ? Infinity : Math.floor(timeTo / this.segmentInterval);
    for (let s = firstSeg === -Infinity ? 0 : lowerBoundNum(ids, firstSeg); s < ids.length && ids[s]! <= lastSeg; s++) {
      for (const [ks, kw] of this.segments.get(ids[s]!)!.keys) {
        if ((fs !== undefined && ks < fs) || (ts !== undefined && ks > ts)) continue;
        const starts = kw.starts;
        for (let i = lowerBoundNum(starts, minTime); i < starts.length && starts[i]! <= timeTo; i++) {
          rows.push({ ks, start: starts[i]!, kw, i });
        }
      }
    }
    rows.sort(compareRows); // stable: equal (start, key) keep insertion order
    const out = new Array<KeyValue<WindowedBytes, Bytes>>(rows.length);
    const size = this.windowSize;
    for (let j = 0; j < rows.length; j++) {
      const r = rows[backward ? rows.length - 1 - j : j]!;
      out[j] = { key: { key: r.kw.key, start: r.start, end: windowEnd(r.start, size) }, value: r.kw.values[r.i]! };
    }
    return out;
  }
}

interface Row {
  ks: string;
  start: number;
  kw: KeyWindows;
  i: number;
}

function compareRows(a: Row, b: Row): number {
  if (a.start !== b.start) return a.start - b.start;
  return a.ks < b.ks ? -1 : a.ks > b.ks ? 1 : 0;
}

/** start + size, capped at Number.MAX_SAFE_INTEGER (Kafka caps at Long.MAX_VALUE). */
export function windowEnd(start: number, size: number): number {
  const end = start + size;
  return end > Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : end;
}

function lowerBoundNum(arr: readonly number[], x: number): number {
  let lo = 0, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBoundNum(arr: readonly number[], x: number): number {
  let lo = 0, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of x in sorted arr, or -1. Checks the last element first (the common case: the newest window). */
function indexOf(arr: readonly number[], x: number): number {
  const n = arr.length;
  if (n === 0) return -1;
  if (arr[n - 1] === x) return n - 1;
  const i = lowerBoundNum(arr, x);
  return arr[i] === x ? i : -1;
}

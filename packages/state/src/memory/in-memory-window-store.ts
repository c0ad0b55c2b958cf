import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { WindowBytesStore, WindowedBytes } from '../api/window-store.ts';
import { keyString, KeyStringMemo } from '../util/key-string.ts';
import { lowerBoundNumber, upperBoundNumber } from '../util/sorted-numbers.ts';
import { InMemorySegmentedStore } from './in-memory-segmented-store.ts';

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
export class InMemoryWindowStore extends InMemorySegmentedStore<KeyWindows> implements WindowBytesStore {
  readonly windowSize: number;
  readonly retainDuplicates: boolean;
  private readonly keyMemo = new KeyStringMemo();
  // The windows a fetch last found (segment id, key string): the put that usually follows it (an aggregation's
  // read-modify-write) skips both lookups. Cleared whenever a key or a segment is removed.
  private memoSeg = -1;
  private memoKs = '';
  private memoKw: KeyWindows | undefined = undefined;

  constructor(options: InMemoryWindowStoreOptions) {
    super(options.name, options.retentionPeriod, options.segmentInterval);
    this.windowSize = options.windowSize;
    this.retainDuplicates = options.retainDuplicates ?? false;
  }

  private ks(key: Bytes): string {
    return this.keyMemo.of(key);
  }

  private forgetMemo(): void {
    this.memoSeg = -1;
    this.memoKs = '';
    this.memoKw = undefined;
  }

  put(key: Bytes, value: Bytes | null, windowStart: number): void {
    this.checkOpen();
    if (!this.admit(windowStart)) return;
    const segId = this.segmentOf(windowStart);
    const ks = this.ks(key);
    if (value === null) {
      if (this.retainDuplicates) return;
      const kw = this.keysBySegment.get(segId)?.get(ks);
      if (kw === undefined) return;
      const i = indexOf(kw.starts, windowStart);
      if (i < 0) return;
      kw.starts.splice(i, 1);
      kw.values.splice(i, 1);
      if (kw.starts.length === 0) {
        this.keysBySegment.get(segId)!.delete(ks);
        this.forgetMemo();
      }
      return;
    }
    let kw = segId === this.memoSeg && ks === this.memoKs ? this.memoKw : undefined;
    if (kw === undefined) {
      const seg = this.segmentFor(segId);
      kw = seg.get(ks);
      if (kw === undefined) {
        seg.set(ks, { key, starts: [windowStart], values: [value] });
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
      const i = upperBoundNumber(starts, windowStart);
      starts.splice(i, 0, windowStart);
      kw.values.splice(i, 0, value);
      return;
    }
    const i = lowerBoundNumber(starts, windowStart);
    if (starts[i] === windowStart) {
      kw.values[i] = value;
    } else {
      starts.splice(i, 0, windowStart);
      kw.values.splice(i, 0, value);
    }
  }

  fetch(key: Bytes, windowStart: number): Bytes | undefined {
    this.checkOpen();
    if (this.retainDuplicates || this.isExpired(windowStart)) return undefined;
    const segId = this.segmentOf(windowStart);
    const ks = this.ks(key);
    const kw = this.keysBySegment.get(segId)?.get(ks);
    if (kw === undefined) return undefined;
    this.memoSeg = segId;
    this.memoKs = ks;
    this.memoKw = kw;
    const i = indexOf(kw.starts, windowStart);
    return i < 0 ? undefined : kw.values[i];
  }

  fetchRange(key: Bytes, timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<number, Bytes>> {
    this.checkOpen();
    const out: KeyValue<number, Bytes>[] = [];
    const minTime = Math.max(timeFrom, this.minLiveTime());
    if (timeTo < minTime) return out;
    const ks = this.ks(key);
    const ids = this.segmentIds;
    const lastSeg = this.segmentOf(timeTo);
    for (let s = this.segmentIndex(this.segmentOf(minTime)); s < ids.length && ids[s]! <= lastSeg; s++) {
      const kw = this.keysBySegment.get(ids[s]!)!.get(ks);
      if (kw === undefined) continue;
      const starts = kw.starts;
      for (let i = lowerBoundNumber(starts, minTime); i < starts.length && starts[i]! <= timeTo; i++) {
        out.push({ key: starts[i]!, value: kw.values[i]! });
      }
    }
    if (backward) out.reverse();
    return out;
  }

  fetchKeyRange(keyFrom: Bytes | undefined, keyTo: Bytes | undefined, timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<WindowedBytes, Bytes>> {
    this.checkOpen();
    const fs = keyFrom === undefined ? undefined : keyString(keyFrom);
    const ts = keyTo === undefined ? undefined : keyString(keyTo);
    if (fs !== undefined && ts !== undefined && fs > ts) return [];
    return this.collect(fs, ts, timeFrom, timeTo, backward);
  }

  fetchAll(timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<WindowedBytes, Bytes>> {
    this.checkOpen();
    return this.collect(undefined, undefined, timeFrom, timeTo, backward);
  }

  all(): Iterable<KeyValue<WindowedBytes, Bytes>> {
    this.checkOpen();
    return this.collect(undefined, undefined, -Infinity, Infinity, false);
  }

  override close(): void {
    super.close();
    this.forgetMemo();
    this.keyMemo.clear();
  }

  protected override dropSegments(count: number): void {
    super.dropSegments(count);
    this.forgetMemo();
  }

  private collect(fs: string | undefined, ts: string | undefined, timeFrom: number, timeTo: number, backward: boolean): KeyValue<WindowedBytes, Bytes>[] {
    const minTime = Math.max(timeFrom, this.minLiveTime());
    if (timeTo < minTime) return [];
    const rows: Row[] = [];
    const ids = this.segmentIds;
    const lastSeg = timeTo === Infinity ? Infinity : this.segmentOf(timeTo);
    for (let s = this.segmentIndex(this.segmentOf(minTime)); s < ids.length && ids[s]! <= lastSeg; s++) {
      for (const [ks, kw] of this.keysBySegment.get(ids[s]!)!) {
        if ((fs !== undefined && ks < fs) || (ts !== undefined && ks > ts)) continue;
        const starts = kw.starts;
        for (let i = lowerBoundNumber(starts, minTime); i < starts.length && starts[i]! <= timeTo; i++) {
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

/** Index of x in sorted arr, or -1. Checks the last element first (the common case: the newest window). */
function indexOf(arr: readonly number[], x: number): number {
  const n = arr.length;
  if (n === 0) return -1;
  if (arr[n - 1] === x) return n - 1;
  const i = lowerBoundNumber(arr, x);
  return arr[i] === x ? i : -1;
}

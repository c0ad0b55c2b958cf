import type { Bytes, KeyValue } from '../api/bytes.ts';
import { compareBytes } from '../api/bytes.ts';
import type { ChangelogRecord, RestorableStore } from '../api/state-store.ts';
import type { WindowBytesStore, WindowedBytes } from '../api/window-store.ts';
import { parseWindowChangelogKey } from '../layers/changelog-keys.ts';
import { windowEnd } from '../memory/in-memory-window-store.ts';
import { defaultSegmentInterval } from '../segmented-store.ts';
import { keyTimeBound, prefixEnd, segmentKeyRange, windowKeyOf, windowStartOf, windowStoreKey } from './segmented-keys.ts';
import { LatestTimeFilter } from './latest-time-filter.ts';
import { bufferKey, openSegmented, SegmentedRocksDbStore, type SegmentedRocksDbStoreOptions, type SegmentedState } from './segmented-rocksdb-store.ts';

export interface RocksDbWindowStoreOptions extends SegmentedRocksDbStoreOptions {
  /** Windows with start <= observedStreamTime - retentionPeriod are expired (window size + grace, typically). */
  readonly retentionPeriod: number;
  readonly windowSize: number;
  /** Every put adds an entry (stream-stream joins). Default false. */
  readonly retainDuplicates?: boolean;
}

/** A write waiting in the buffer, listed under its record key (see RocksDbWindowStore.pending). */
interface PendingRow {
  readonly start: number;
  readonly storeKey: Buffer;
  /** The buffer's key of the write: its value (or its delete) is the buffer's entry. */
  readonly ks: string;
}

/** The buffered writes of one record key. */
interface PendingKey {
  readonly key: Bytes;
  readonly rows: PendingRow[];
}

interface Row {
  readonly start: number;
  readonly storeKey: Bytes;
  readonly value: Bytes;
}

/**
 * RocksDB window bytes store (Kafka Streams' RocksDBWindowStore over a segmented bytes store), with the
 * semantics of InMemoryWindowStore: retention boundary, orders, retainDuplicates, droppedRecords.
 *
 * One RocksDB database; stored key [8-byte segment id][escaped key][8-byte window start][4-byte seqnum]
 * (segmented-keys.ts), segment id = floor(start / segmentInterval). So:
 * - fetch(key, start) is one point read (write buffer, then RocksDB get);
 * - fetchRange(key, from, to) is one exact range scan per segment in [from, to], results already ordered by
 *   (start, seqnum);
 * - fetchKeyRange / fetchAll / all scan the key range of each segment in the time range and sort that
 *   segment's rows by (start, key bytes, seqnum): segments partition time, so segment by segment is the
 *   global order, and at most one segment's rows are sorted at once;
 * - expired segments are dropped whole, one DeleteRange (see SegmentedRocksDbStore).
 *
 * seqnum is 0 unless retainDuplicates; then each put takes the next one (unsigned 32-bit, persisted with the
 * stream time), which keeps duplicates of one (key, start) in insertion order, across reopens too.
 * Results are materialised when the method is called.
 */
export class RocksDbWindowStore extends SegmentedRocksDbStore implements WindowBytesStore, RestorableStore {
  readonly windowSize: number;
  readonly retainDuplicates: boolean;
  // one-entry memo: fetch(key, start) then put(key, ..., start) with the same key object build the key once
  private memoKey: Bytes | undefined = undefined;
  private memoStart = 0;
  private memoStoreKey: Buffer | undefined = undefined;
  private memoKs = '';
  /** Reads of windows later than any put of their key are answered without RocksDB (see LatestTimeFilter). */
  private readonly latest: LatestTimeFilter;
  /**
   * retainDuplicates (a stream-stream join's store, read by fetchRange once per record of the other side, uncached):
   * the buffer's writes by record key (latin1 of its bytes), in put order, emptied when the buffer is written down,
   * so that fetchRange merges them into the rows on disk instead of writing the buffer down first (a native batch
   * write per read). Other stores (mostly behind a cache, read by point) write down before a range read.
   */
  private pending: Map<string, PendingKey> | undefined;
  /**
   * With `pending`: LatestTimeFilter of the writes that reached RocksDB. A read of times all after them finds its rows
   * in the buffer alone, with no seek: a join reads the other side's recent ±window, which the buffer (up to
   * maxBufferBytes of the latest writes) mostly holds.
   */
  private readonly onDisk: LatestTimeFilter;

  private constructor(options: RocksDbWindowStoreOptions, segmentInterval: number, state: SegmentedState) {
    super(options, segmentInterval, state, 'window');
    this.windowSize = options.windowSize;
    this.retainDuplicates = options.retainDuplicates ?? false;
    // Rows already on disk were put in an earlier life of the store: none starts after its observed stream time.
    const floor = state.segmentIds.length > 0 ? state.streamTime : -Infinity;
    this.latest = new LatestTimeFilter(floor);
    this.onDisk = new LatestTimeFilter(floor);
    this.pending = this.retainDuplicates ? new Map() : undefined;
  }

  /** Opens (or creates) the store in `options.dir`. Errors as RocksDatabase.open, or if the directory holds another kind of store. */
  static async open(options: RocksDbWindowStoreOptions): Promise<RocksDbWindowStore> {
    const segmentInterval = options.segmentInterval ?? defaultSegmentInterval(options.retentionPeriod);
    const state = await openSegmented(options, 'window', segmentInterval);
    return new RocksDbWindowStore(options, segmentInterval, state);
  }

  put(key: Bytes, value: Bytes | null, windowStart: number): void {
    this.checkOpen();
    if (!this.admit(windowStart)) return;
    const seg = this.segmentOf(windowStart);
    if (value !== null) this.latest.note(key, windowStart);
    if (this.retainDuplicates) {
      if (value === null) return;
      const sk = windowStoreKey(seg, key, windowStart, this.nextSeqnum());
      const ks = bufferKey(sk);
      this.addSegment(seg);
      this.addPending(key, windowStart, sk, ks); // before the write: a full buffer is written down in it
      this.bufferWrite(sk, ks, value);
      return;
    }
    if (value === null && !this.hasSegment(seg)) return; // nothing to delete there
    this.keyOf(key, windowStart, seg);
    if (value !== null) this.addSegment(seg);
    this.bufferWrite(this.memoStoreKey!, this.memoKs, value);
  }

  fetch(key: Bytes, windowStart: number): Bytes | undefined {
    this.checkOpen();
    if (this.retainDuplicates || this.isExpired(windowStart)) return undefined;
    const seg = this.segmentOf(windowStart);
    if (!this.hasSegment(seg) || this.latest.latest(key) < windowStart) return undefined;
    this.keyOf(key, windowStart, seg);
    return this.readPoint(this.memoStoreKey!, this.memoKs);
  }

  fetchRange(key: Bytes, timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<number, Bytes>> {
    this.checkOpen();
    const out: KeyValue<number, Bytes>[] = [];
    const minTime = Math.max(timeFrom, this.minLiveTime());
    if (timeTo < minTime || this.latest.latest(key) < minTime) return out;
    // The buffered writes of the key in range merged into the rows on disk (see `pending`), or the buffer written down.
    const pending = this.pending;
    if (pending === undefined) this.prepareScan();
    const buffered = pending === undefined ? NO_ROWS : this.bufferedRows(pending, key, minTime, timeTo);
    let j = 0;
    if (pending === undefined || this.onDisk.latest(key) >= minTime) {
      const segs = this.segmentsBetween(this.segmentOf(minTime), this.segmentOf(timeTo));
      const interval = this.segmentInterval;
      for (const seg of segs) {
        // bounds clamped to the segment's times (finite even for unbounded queries)
        const from = Math.max(minTime, seg * interval);
        const to = Math.min(timeTo, (seg + 1) * interval - 1);
        for (const kv of this.scan(keyTimeBound(seg, key, from), prefixEnd(keyTimeBound(seg, key, to)))) {
          let c = 1;
          while (j < buffered.length && (c = compareBytes(buffered[j]!.storeKey, kv.key)) < 0) this.emitBuffered(buffered[j++]!, out);
          if (c === 0) this.emitBuffered(buffered[j++]!, out); // the buffered write of the same stored key wins
          else out.push({ key: windowStartOf(kv.key), value: kv.value });
        }
      }
    }
    while (j < buffered.length) this.emitBuffered(buffered[j++]!, out);
    if (backward) out.reverse();
    return out;
  }

  fetchKeyRange(keyFrom: Bytes | undefined, keyTo: Bytes | undefined, timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<WindowedBytes, Bytes>> {
    this.checkOpen();
    if (keyFrom !== undefined && keyTo !== undefined && compareBytes(keyFrom, keyTo) > 0) return [];
    return this.collect(keyFrom, keyTo, timeFrom, timeTo, backward);
  }

  fetchAll(timeFrom: number, timeTo: number, backward = false): Iterable<KeyValue<WindowedBytes, Bytes>> {
    this.checkOpen();
    return this.collect(undefined, undefined, timeFrom, timeTo, backward);
  }

  all(): Iterable<KeyValue<WindowedBytes, Bytes>> {
    this.checkOpen();
    return this.collect(undefined, undefined, -Infinity, Infinity, false);
  }

  /** Applies changelog records in order (key and start from the changelog key; seqnum ignored, as Kafka). */
  restoreBatch(records: readonly ChangelogRecord[]): void {
    this.checkOpen();
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const k = parseWindowChangelogKey(r.key);
      this.put(k.key, r.value, k.windowStart);
    }
  }

  override close(): void {
    super.close();
    this.memoKey = undefined;
    this.memoStoreKey = undefined;
    if (this.pending !== undefined) this.pending = new Map();
  }

  /** The buffer went to RocksDB: its writes' times are on disk now. */
  protected override wroteDown(): void {
    if (this.pending === undefined) return;
    for (const p of this.pending.values()) {
      let max = -Infinity;
      for (let i = 0; i < p.rows.length; i++) if (p.rows[i]!.start > max) max = p.rows[i]!.start;
      this.onDisk.note(p.key, max);
    }
    this.pending = new Map();
  }

  private addPending(key: Bytes, start: number, storeKey: Buffer, ks: string): void {
    const k = bufferKey(key);
    const p = this.pending!.get(k);
    if (p === undefined) this.pending!.set(k, { key, rows: [{ start, storeKey, ks }] });
    else p.rows.push({ start, storeKey, ks });
  }

  /** Sets the memo to the stored key of (key, start) with seqnum 0. */
  private keyOf(key: Bytes, windowStart: number, seg: number): void {
    if (key === this.memoKey && windowStart === this.memoStart) return;
    const sk = windowStoreKey(seg, key, windowStart, 0);
    this.memoKey = key;
    this.memoStart = windowStart;
    this.memoStoreKey = sk;
    this.memoKs = bufferKey(sk);
  }

  private collect(keyFrom: Bytes | undefined, keyTo: Bytes | undefined, timeFrom: number, timeTo: number, backward: boolean): KeyValue<WindowedBytes, Bytes>[] {
    const out: KeyValue<WindowedBytes, Bytes>[] = [];
    const minTime = Math.max(timeFrom, this.minLiveTime());
    if (timeTo < minTime) return out;
    const segs = this.segmentsBetween(this.segmentOf(minTime), timeTo === Infinity ? Infinity : this.segmentOf(timeTo));
    if (segs.length === 0) return out;
    this.prepareScan();
    const size = this.windowSize;
    const rows: Row[] = [];
    for (const seg of segs) {
      rows.length = 0;
      const range = segmentKeyRange(seg, keyFrom, keyTo);
      for (const kv of this.scan(range.gte, range.lt, 1024)) {
        const start = windowStartOf(kv.key);
        if (start >= minTime && start <= timeTo) rows.push({ start, storeKey: kv.key, value: kv.value });
      }
      if (rows.length > 1) rows.sort(compareRows);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        out.push({ key: { key: windowKeyOf(r.storeKey), start: r.start, end: windowEnd(r.start, size) }, value: r.value });
      }
    }
    if (backward) out.reverse();
    return out;
  }

  /** The buffered writes (deletes too) of `key` with start in [from, to], in stored-key order (RocksDB's). */
  private bufferedRows(pending: Map<string, PendingKey>, key: Bytes, from: number, to: number): PendingRow[] {
    const p = pending.get(bufferKey(key));
    if (p === undefined) return NO_ROWS;
    let rows: PendingRow[] | undefined;
    for (let i = 0; i < p.rows.length; i++) {
      const r = p.rows[i]!;
      // a write of a dropped segment has left the buffer
      if (r.start >= from && r.start <= to && this.buffer.has(r.ks)) (rows ??= []).push(r);
    }
    if (rows === undefined) return NO_ROWS;
    return rows.length > 1 ? rows.sort(comparePending) : rows;
  }

  private emitBuffered(r: PendingRow, out: KeyValue<number, Bytes>[]): void {
    const v = this.readBuffered(r.ks);
    if (v !== undefined) out.push({ key: r.start, value: v });
  }
}

/** (start, then the stored key: same segment and start, so key bytes, then seqnum). */
function compareRows(a: Row, b: Row): number {
  if (a.start !== b.start) return a.start - b.start;
  return compareBytes(a.storeKey, b.storeKey);
}

const NO_ROWS: PendingRow[] = [];

/** The order RocksDB would give the buffered rows of one key: their stored keys' (segment, start, seqnum). */
function comparePending(a: PendingRow, b: PendingRow): number {
  return compareBytes(a.storeKey, b.storeKey);
}

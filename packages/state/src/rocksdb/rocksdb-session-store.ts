import type { Bytes, KeyValue } from '../api/bytes.ts';
import { compareBytes } from '../api/bytes.ts';
import type { SessionBytesStore } from '../api/session-store.ts';
import type { ChangelogRecord, RestorableStore } from '../api/state-store.ts';
import type { WindowedBytes } from '../api/window-store.ts';
import { parseSessionChangelogKey } from '../layers/changelog-keys.ts';
import { defaultSegmentInterval } from '../segmented-store.ts';
import { keyTimeBound, prefixEnd, segmentKeyPrefix, segmentKeyRange, sessionEndOf, sessionKeyOf, sessionStartOf, sessionStoreKey } from './segmented-keys.ts';
import { bufferKey, openSegmented, SegmentedRocksDbStore, type SegmentedRocksDbStoreOptions, type SegmentedState } from './segmented-rocksdb-store.ts';

export interface RocksDbSessionStoreOptions extends SegmentedRocksDbStoreOptions {
  /** Sessions with end <= observedStreamTime - retentionPeriod are expired. */
  readonly retentionPeriod: number;
  /**
   * Kafka Streams' time-ordered session store (emitStrategy('on-window-close')): a put is dropped only when its
   * session's segment is gone (below segmentId(observedStreamTime − retention)), not when the session itself is
   * expired; reads other than findSessionsByEnd still skip expired sessions. Default false.
   */
  readonly timeOrdered?: boolean;
}

interface Row {
  readonly end: number;
  readonly storeKey: Bytes;
  readonly value: Bytes;
}

/**
 * RocksDB session bytes store (Kafka Streams' RocksDBSessionStore over a segmented bytes store), with the
 * semantics of InMemorySessionStore: retention by session end, orders, droppedRecords.
 *
 * One RocksDB database; stored key [8-byte segment id][escaped key][8-byte end][8-byte start]
 * (segmented-keys.ts), segment id = floor(end / segmentInterval). So:
 * - fetchSession is one point read (write buffer, then RocksDB get);
 * - findSessions(key, ...) is one exact range scan per segment from the one holding earliestSessionEndTime
 *   on, starting at [key][earliestSessionEndTime]; rows come ordered by (end, start);
 * - findSessionsRange scans the key range of each such segment and sorts that segment's rows by (end, key
 *   bytes, start): segments partition end times, so segment by segment is the global order;
 * - expired segments are dropped whole, one DeleteRange (see SegmentedRocksDbStore).
 * Results are materialised when the method is called.
 */
export class RocksDbSessionStore extends SegmentedRocksDbStore implements SessionBytesStore, RestorableStore {
  private readonly timeOrdered: boolean;

  private constructor(options: RocksDbSessionStoreOptions, segmentInterval: number, state: SegmentedState) {
    super(options, segmentInterval, state, 'session');
    this.timeOrdered = options.timeOrdered ?? false;
  }

  /** Opens (or creates) the store in `options.dir`. Errors as RocksDatabase.open, or if the directory holds another kind of store. */
  static async open(options: RocksDbSessionStoreOptions): Promise<RocksDbSessionStore> {
    const segmentInterval = options.segmentInterval ?? defaultSegmentInterval(options.retentionPeriod);
    const state = await openSegmented(options, 'session', segmentInterval);
    return new RocksDbSessionStore(options, segmentInterval, state);
  }

  put(session: WindowedBytes, value: Bytes | null): void {
    this.checkOpen();
    const end = session.end;
    if (!this.admit(end, this.timeOrdered)) return;
    if (value === null) {
      this.remove(session);
      return;
    }
    const seg = this.segmentOf(end);
    const sk = sessionStoreKey(seg, session.key, session.start, end);
    this.addSegment(seg);
    this.bufferWrite(sk, bufferKey(sk), value);
  }

  /** Removes the session (whatever its age, as the in-memory store); a no-op when its segment is gone. */
  remove(session: WindowedBytes): void {
    this.checkOpen();
    const seg = this.segmentOf(session.end);
    if (!this.hasSegment(seg)) return;
    const sk = sessionStoreKey(seg, session.key, session.start, session.end);
    this.bufferWrite(sk, bufferKey(sk), null);
  }

  fetchSession(key: Bytes, sessionStart: number, sessionEnd: number): Bytes | undefined {
    this.checkOpen();
    if (this.isExpired(sessionEnd)) return undefined;
    const seg = this.segmentOf(sessionEnd);
    if (!this.hasSegment(seg)) return undefined;
    const sk = sessionStoreKey(seg, key, sessionStart, sessionEnd);
    return this.readPoint(sk, bufferKey(sk));
  }

  findSessions(key: Bytes, earliestSessionEndTime: number, latestSessionStartTime: number): Iterable<KeyValue<WindowedBytes, Bytes>> {
    this.checkOpen();
    const out: KeyValue<WindowedBytes, Bytes>[] = [];
    const minEnd = Math.max(earliestSessionEndTime, this.minLiveTime());
    const segs = this.segmentsBetween(this.segmentOf(minEnd), Infinity);
    if (segs.length === 0) return out;
    this.prepareScan();
    const interval = this.segmentInterval;
    for (const seg of segs) {
      const gte = keyTimeBound(seg, key, Math.max(minEnd, seg * interval));
      for (const kv of this.scan(gte, prefixEnd(segmentKeyPrefix(seg, key)))) {
        const start = sessionStartOf(kv.key);
        if (start <= latestSessionStartTime) out.push({ key: { key, start, end: sessionEndOf(kv.key) }, value: kv.value });
      }
    }
    return out;
  }

  findSessionsRange(keyFrom: Bytes | undefined, keyTo: Bytes | undefined, earliestSessionEndTime: number, latestSessionStartTime: number): Iterable<KeyValue<WindowedBytes, Bytes>> {
    this.checkOpen();
    const out: KeyValue<WindowedBytes, Bytes>[] = [];
    if (keyFrom !== undefined && keyTo !== undefined && compareBytes(keyFrom, keyTo) > 0) return out;
    const minEnd = Math.max(earliestSessionEndTime, this.minLiveTime());
    const segs = this.segmentsBetween(this.segmentOf(minEnd), Infinity);
    if (segs.length === 0) return out;
    this.prepareScan();
    const rows: Row[] = [];
    for (const seg of segs) {
      rows.length = 0;
      const range = segmentKeyRange(seg, keyFrom, keyTo);
      for (const kv of this.scan(range.gte, range.lt, 1024)) {
        const end = sessionEndOf(kv.key);
        if (end >= minEnd && sessionStartOf(kv.key) <= latestSessionStartTime) rows.push({ end, storeKey: kv.key, value: kv.value });
      }
      if (rows.length > 1) rows.sort(compareRows);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        out.push({ key: { key: sessionKeyOf(r.storeKey), start: sessionStartOf(r.storeKey), end: r.end }, value: r.value });
      }
    }
    return out;
  }

  findSessionsByEnd(earliestSessionEndTime: number, latestSessionEndTime: number): Iterable<KeyValue<WindowedBytes, Bytes>> {
    this.checkOpen();
    const out: KeyValue<WindowedBytes, Bytes>[] = [];
    const segs = this.segmentsBetween(this.segmentOf(earliestSessionEndTime), this.segmentOf(latestSessionEndTime));
    if (segs.length === 0) return out;
    this.prepareScan();
    const rows: Row[] = [];
    for (const seg of segs) {
      rows.length = 0;
      const range = segmentKeyRange(seg, undefined, undefined);
      for (const kv of this.scan(range.gte, range.lt, 1024)) {
        const end = sessionEndOf(kv.key);
        if (end >= earliestSessionEndTime && end <= latestSessionEndTime) rows.push({ end, storeKey: kv.key, value: kv.value });
      }
      if (rows.length > 1) rows.sort(compareRows);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        out.push({ key: { key: sessionKeyOf(r.storeKey), start: sessionStartOf(r.storeKey), end: r.end }, value: r.value });
      }
    }
    return out;
  }

  /** Applies changelog records in order (a null value removes the session; every record advances stream time, as a put). */
  restoreBatch(records: readonly ChangelogRecord[]): void {
    this.checkOpen();
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      this.put(parseSessionChangelogKey(r.key), r.value);
    }
  }
}

/** (end, then the stored key: same segment and end, so key bytes, then start). */
function compareRows(a: Row, b: Row): number {
  if (a.end !== b.end) return a.end - b.end;
  return compareBytes(a.storeKey, b.storeKey);
}

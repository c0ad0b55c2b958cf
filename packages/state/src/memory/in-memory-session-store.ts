import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { SessionBytesStore } from '../api/session-store.ts';
import type { WindowedBytes } from '../api/window-store.ts';
import { keyString } from '../util/key-string.ts';
import { lowerBoundPair } from '../util/sorted-numbers.ts';
import { InMemorySegmentedStore } from './in-memory-segmented-store.ts';

export interface InMemorySessionStoreOptions {
  readonly name: string;
  /** Sessions with end <= observedStreamTime - retentionPeriod are expired. */
  readonly retentionPeriod: number;
  /** Time span (of session end times) of one segment. Default max(retention / 2, 60 s), as Kafka's session stores. */
  readonly segmentInterval?: number;
  /**
   * Kafka Streams' time-ordered session store (emitStrategy('on-window-close')): a put is dropped only when its
   * session's segment is gone (below segmentId(observedStreamTime − retention)), not when the session itself is
   * expired; reads other than findSessionsByEnd still skip expired sessions. Default false.
   */
  readonly timeOrdered?: boolean;
}

/** The sessions of one key in one segment, sorted by (end, start). */
interface KeySessions {
  readonly key: Bytes;
  readonly ends: number[];
  readonly starts: number[];
  readonly values: Bytes[];
}

/**
 * In-memory session bytes store.
 *
 * Layout: segments by session end time (segmentId = floor(end / segmentInterval)), each a Map from key to the
 * key's sessions sorted by (end, start). findSessions(key, ...) is one Map lookup per live segment from the one
 * holding earliestSessionEndTime on, plus a binary search.
 *
 * Semantics (Kafka's InMemorySessionStore): observedStreamTime is the largest session end put; a put of a
 * session with end <= observedStreamTime - retentionPeriod is dropped (counted in droppedRecords), a null put
 * removes; remove() ignores retention. findSessions returns the sessions with end >= earliestSessionEndTime and
 * start <= latestSessionStartTime, never expired ones (end <= observedStreamTime - retentionPeriod). Whole
 * segments are dropped as Kafka's segments are, once below segmentId(observedStreamTime - retentionPeriod);
 * findSessionsByEnd (Kafka's time-ordered session store read) returns what those still hold.
 *
 * Order: by end, then start, both ascending (for one key this is RocksDB's [key][end][start] order; Kafka's
 * in-memory store yields equal-end sessions of a key by descending start). findSessionsRange orders by end,
 * then key bytes, then start. Results are materialised when the method is called.
 */
export class InMemorySessionStore extends InMemorySegmentedStore<KeySessions> implements SessionBytesStore {
  private readonly timeOrdered: boolean;

  constructor(options: InMemorySessionStoreOptions) {
    super(options.name, options.retentionPeriod, options.segmentInterval);
    this.timeOrdered = options.timeOrdered ?? false;
  }

  put(session: WindowedBytes, value: Bytes | null): void {
    this.checkOpen();
    const end = session.end;
    if (!this.admit(end, this.timeOrdered)) return;
    if (value === null) {
      this.remove(session);
      return;
    }
    const seg = this.segmentFor(this.segmentOf(end));
    const ks = keyString(session.key);
    const s = seg.get(ks);
    const start = session.start;
    if (s === undefined) {
      seg.set(ks, { key: session.key, ends: [end], starts: [start], values: [value] });
      return;
    }
    const i = position(s, end, start);
    if (i < s.ends.length && s.ends[i] === end && s.starts[i] === start) {
      s.values[i] = value;
    } else if (i === s.ends.length) {
      s.ends.push(end);
      s.starts.push(start);
      s.values.push(value);
    } else {
      s.ends.splice(i, 0, end);
      s.starts.splice(i, 0, start);
      s.values.splice(i, 0, value);
    }
  }

  remove(session: WindowedBytes): void {
    this.checkOpen();
    const seg = this.keysBySegment.get(this.segmentOf(session.end));
    if (seg === undefined) return;
    const ks = keyString(session.key);
    const s = seg.get(ks);
    if (s === undefined) return;
    const i = position(s, session.end, session.start);
    if (i < s.ends.length && s.ends[i] === session.end && s.starts[i] === session.start) {
      s.ends.splice(i, 1);
      s.starts.splice(i, 1);
      s.values.splice(i, 1);
      if (s.ends.length === 0) seg.delete(ks);
    }
  }

  fetchSession(key: Bytes, sessionStart: number, sessionEnd: number): Bytes | undefined {
    this.checkOpen();
    if (this.isExpired(sessionEnd)) return undefined;
    const s = this.keysBySegment.get(this.segmentOf(sessionEnd))?.get(keyString(key));
    if (s === undefined) return undefined;
    const i = position(s, sessionEnd, sessionStart);
    return i < s.ends.length && s.ends[i] === sessionEnd && s.starts[i] === sessionStart ? s.values[i] : undefined;
  }

  findSessions(key: Bytes, earliestSessionEndTime: number, latestSessionStartTime: number): Iterable<KeyValue<WindowedBytes, Bytes>> {
    this.checkOpen();
    const out: KeyValue<WindowedBytes, Bytes>[] = [];
    const minEnd = Math.max(earliestSessionEndTime, this.minLiveTime());
    const ks = keyString(key);
    const ids = this.segmentIds;
    for (let j = this.segmentIndex(this.segmentOf(minEnd)); j < ids.length; j++) {
      const s = this.keysBySegment.get(ids[j]!)!.get(ks);
      if (s !== undefined) pushMatches(out, s, minEnd, latestSessionStartTime);
    }
    return out;
  }

  findSessionsRange(keyFrom: Bytes | undefined, keyTo: Bytes | undefined, earliestSessionEndTime: number, latestSessionStartTime: number): Iterable<KeyValue<WindowedBytes, Bytes>> {
    this.checkOpen();
    const fs = keyFrom === undefined ? undefined : keyString(keyFrom);
    const ts = keyTo === undefined ? undefined : keyString(keyTo);
    if (fs !== undefined && ts !== undefined && fs > ts) return [];
    const minEnd = Math.max(earliestSessionEndTime, this.minLiveTime());
    const rows: { ks: string; kv: KeyValue<WindowedBytes, Bytes> }[] = [];
    const ids = this.segmentIds;
    const tmp: KeyValue<WindowedBytes, Bytes>[] = [];
    for (let j = this.segmentIndex(this.segmentOf(minEnd)); j < ids.length; j++) {
      for (const [ks, s] of this.keysBySegment.get(ids[j]!)!) {
        if ((fs !== undefined && ks < fs) || (ts !== undefined && ks > ts)) continue;
        tmp.length = 0;
        pushMatches(tmp, s, minEnd, latestSessionStartTime);
        for (let i = 0; i < tmp.length; i++) rows.push({ ks, kv: tmp[i]! });
      }
    }
    rows.sort(byEndKeyStart);
    return rows.map((r) => r.kv);
  }

  findSessionsByEnd(earliestSessionEndTime: number, latestSessionEndTime: number): Iterable<KeyValue<WindowedBytes, Bytes>> {
    this.checkOpen();
    const rows: { ks: string; kv: KeyValue<WindowedBytes, Bytes> }[] = [];
    const ids = this.segmentIds;
    for (let j = this.segmentIndex(this.segmentOf(earliestSessionEndTime)); j < ids.length && ids[j]! * this.segmentInterval <= latestSessionEndTime; j++) {
      for (const [ks, s] of this.keysBySegment.get(ids[j]!)!) {
        for (let i = position(s, earliestSessionEndTime, -Infinity); i < s.ends.length && s.ends[i]! <= latestSessionEndTime; i++) {
          rows.push({ ks, kv: { key: { key: s.key, start: s.starts[i]!, end: s.ends[i]! }, value: s.values[i]! } });
        }
      }
    }
    rows.sort(byEndKeyStart);
    return rows.map((r) => r.kv);
  }
}

function byEndKeyStart(a: { ks: string; kv: KeyValue<WindowedBytes, Bytes> }, b: { ks: string; kv: KeyValue<WindowedBytes, Bytes> }): number {
  const d = a.kv.key.end - b.kv.key.end;
  if (d !== 0) return d;
  if (a.ks !== b.ks) return a.ks < b.ks ? -1 : 1;
  return a.kv.key.start - b.kv.key.start;
}

/** Index of the first session of `s` at or after (end, start). */
function position(s: KeySessions, end: number, start: number): number {
  return lowerBoundPair(s.ends, s.starts, end, start);
}

function pushMatches(out: KeyValue<WindowedBytes, Bytes>[], s: KeySessions, minEnd: number, latestStart: number): void {
  const ends = s.ends, starts = s.starts;
  for (let i = position(s, minEnd, -Infinity); i < ends.length; i++) {
    if (starts[i]! <= latestStart) out.push({ key: { key: s.key, start: starts[i]!, end: ends[i]! }, value: s.values[i]! });
  }
}

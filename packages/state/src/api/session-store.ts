import type { Bytes, KeyValue } from './bytes.ts';
import type { StateStore } from './state-store.ts';
import type { Windowed, WindowedBytes } from './window-store.ts';

/** Read side of a typed session store. A session's window is [start, end], both inclusive. */
export interface ReadOnlySessionStore<K, V> {
  /**
   * Sessions of `key` that end at or after earliestSessionEndTime and start at or before
   * latestSessionStartTime (i.e. that overlap or touch that range) — Kafka Streams' findSessions.
   * Ordered by end time then start time.
   */
  findSessions(key: K, earliestSessionEndTime: number, latestSessionStartTime: number): Iterable<KeyValue<Windowed<K>, V>>;
  /** The value of the session of `key` with exactly this start and end. */
  fetchSession(key: K, sessionStart: number, sessionEnd: number): V | undefined;
  /** All sessions of `key`. */
  fetch(key: K): Iterable<KeyValue<Windowed<K>, V>>;
}

export interface SessionStore<K, V> extends ReadOnlySessionStore<K, V>, StateStore {
  put(session: Windowed<K>, value: V | null): void;
  remove(session: Windowed<K>): void;
}

/** The bytes session store. Segmented by session end time; retention as for window stores. */
export interface SessionBytesStore extends StateStore {
  readonly retentionPeriod: number;
  put(session: WindowedBytes, value: Bytes | null): void;
  remove(session: WindowedBytes): void;
  findSessions(key: Bytes, earliestSessionEndTime: number, latestSessionStartTime: number): Iterable<KeyValue<WindowedBytes, Bytes>>;
  /** Across keys in [keyFrom, keyTo] (inclusive, undefined = unbounded). */
  findSessionsRange(keyFrom: Bytes | undefined, keyTo: Bytes | undefined, earliestSessionEndTime: number, latestSessionStartTime: number): Iterable<KeyValue<WindowedBytes, Bytes>>;
  /**
   * Sessions of every key ending in [earliestSessionEndTime, latestSessionEndTime], ordered by end, key bytes, start:
   * Kafka Streams' findSessions(earliestSessionEndTime, latestSessionEndTime) of its time-ordered session store, which
   * emitStrategy('on-window-close') reads. Retention applies here per whole segment only: a session is returned while
   * the store still holds its segment (segment id >= segmentId(observedStreamTime − retention), as Kafka's segments),
   * even if other reads no longer return it.
   */
  findSessionsByEnd(earliestSessionEndTime: number, latestSessionEndTime: number): Iterable<KeyValue<WindowedBytes, Bytes>>;
  fetchSession(key: Bytes, sessionStart: number, sessionEnd: number): Bytes | undefined;
  /** Largest session end seen by put; -1 before any. */
  observedStreamTime(): number;
}

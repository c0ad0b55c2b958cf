import type { Bytes, KeyValue } from './bytes.ts';
import type { StateStore } from './state-store.ts';

/** A window of [start, end) in ms. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/** A key with the window it belongs to (Kafka Streams' Windowed<K>). */
export interface Windowed<K> {
  readonly key: K;
  readonly window: TimeWindow;
}

/** Read side of a typed window store. Values are stored per (key, window start). */
export interface ReadOnlyWindowStore<K, V> {
  /** The value of the window of `key` starting exactly at `windowStart`. */
  fetch(key: K, windowStart: number): V | undefined;
  /** Windows of `key` with timeFrom <= start <= timeTo, ascending by start (backward: descending). */
  fetchRange(key: K, timeFrom: number, timeTo: number, backward?: boolean): Iterable<KeyValue<number, V>>;
  /** Windows of keys in [keyFrom, keyTo] (inclusive, undefined = unbounded) with start in [timeFrom, timeTo]. */
  fetchKeyRange(keyFrom: K | undefined, keyTo: K | undefined, timeFrom: number, timeTo: number, backward?: boolean): Iterable<KeyValue<Windowed<K>, V>>;
  fetchAll(timeFrom: number, timeTo: number, backward?: boolean): Iterable<KeyValue<Windowed<K>, V>>;
  all(): Iterable<KeyValue<Windowed<K>, V>>;
}

/** A typed window store. `put(k, null, start)` deletes that window. */
export interface WindowStore<K, V> extends ReadOnlyWindowStore<K, V>, StateStore {
  put(key: K, value: V | null, windowStart: number): void;
}

/**
 * The bytes window store. Segmented by time: the store tracks observed stream time (the largest windowStart
 * put) and drops whole segments older than observedStreamTime - retentionPeriod; fetches never return
 * windows that old. With retainDuplicates (stream-stream joins) every put adds a new entry, none replaces.
 * Results are ordered by (key bytes, windowStart) for key fetches and by (windowStart, key bytes)... see
 * each method: fetchAll/all are ordered by window start then key bytes, like Kafka Streams' segmented stores.
 */
export interface WindowBytesStore extends StateStore {
  readonly retentionPeriod: number;
  readonly windowSize: number;
  readonly retainDuplicates: boolean;
  put(key: Bytes, value: Bytes | null, windowStart: number): void;
  fetch(key: Bytes, windowStart: number): Bytes | undefined;
  fetchRange(key: Bytes, timeFrom: number, timeTo: number, backward?: boolean): Iterable<KeyValue<number, Bytes>>;
  fetchKeyRange(keyFrom: Bytes | undefined, keyTo: Bytes | undefined, timeFrom: number, timeTo: number, backward?: boolean): Iterable<KeyValue<WindowedBytes, Bytes>>;
  fetchAll(timeFrom: number, timeTo: number, backward?: boolean): Iterable<KeyValue<WindowedBytes, Bytes>>;
  all(): Iterable<KeyValue<WindowedBytes, Bytes>>;
  /** Largest window start seen by put (or restore); -1 before any. */
  observedStreamTime(): number;
}

export interface WindowedBytes {
  readonly key: Bytes;
  readonly start: number;
  readonly end: number;
}

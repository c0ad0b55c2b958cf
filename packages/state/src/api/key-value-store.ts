import type { Bytes, KeyValue } from './bytes.ts';
import type { StateStore } from './state-store.ts';

/** Read side of a typed key-value store (what interactive queries and getKeyValueStore() expose). */
export interface ReadOnlyKeyValueStore<K, V> {
  get(key: K): V | undefined;
  /** Entries with from <= key <= to (both inclusive; undefined = unbounded), in byte order of the serialized key. */
  range(from: K | undefined, to: K | undefined): Iterable<KeyValue<K, V>>;
  reverseRange(from: K | undefined, to: K | undefined): Iterable<KeyValue<K, V>>;
  /** Entries whose serialized key starts with the serialized prefix. */
  prefixScan<P>(prefix: P, prefixSerializer: { serialize(topic: string, p: P): Uint8Array | null }): Iterable<KeyValue<K, V>>;
  all(): Iterable<KeyValue<K, V>>;
  reverseAll(): Iterable<KeyValue<K, V>>;
  approximateNumEntries(): number;
}

/** A typed key-value store (Kafka Streams' KeyValueStore). `put(k, null)` deletes. */
export interface KeyValueStore<K, V> extends ReadOnlyKeyValueStore<K, V>, StateStore {
  put(key: K, value: V | null): void;
  /** Puts only if absent; returns the previous value (undefined if there was none). */
  putIfAbsent(key: K, value: V): V | undefined;
  putAll(entries: readonly KeyValue<K, V | null>[]): void;
  /** Deletes and returns the previous value. */
  delete(key: K): V | undefined;
}

/** One write of a bytes store's putAll: value null deletes; `timestamp` (optional) is the write's own time. */
export interface BytesWrite extends KeyValue<Bytes, Bytes | null> {
  readonly timestamp?: number;
}

/** The bytes store every layer of a key-value store stack implements. All calls are synchronous. */
export interface KeyValueBytesStore extends StateStore {
  get(key: Bytes): Bytes | undefined;
  /**
   * Optional batched read: the values of `keys`, in order (undefined where absent) — exactly what `get` of each
   * would return. Stores with a cheaper multi-key read (RocksDB's MultiGet) implement it; layers forward it.
   */
  getMany?(keys: readonly Bytes[]): (Bytes | undefined)[];
  put(key: Bytes, value: Bytes | null): void;
  putIfAbsent(key: Bytes, value: Bytes): Bytes | undefined;
  /**
   * Writes the entries in order (a later write of a key wins). An entry may carry the timestamp of the write it
   * stands for (a caching layer writing down entries written at different times): the change-logging layer stamps
   * its changelog record with it instead of the current timestamp.
   */
  putAll(entries: readonly BytesWrite[]): void;
  delete(key: Bytes): Bytes | undefined;
  /** Inclusive bounds; undefined = unbounded. Ascending unsigned byte order unless reverse. */
  range(from: Bytes | undefined, to: Bytes | undefined, reverse?: boolean): Iterable<KeyValue<Bytes, Bytes>>;
  prefixScan(prefix: Bytes): Iterable<KeyValue<Bytes, Bytes>>;
  all(reverse?: boolean): Iterable<KeyValue<Bytes, Bytes>>;
  approximateNumEntries(): number;
}

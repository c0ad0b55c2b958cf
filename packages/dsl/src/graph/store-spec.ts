import type { Serde } from '../serde/serde.ts';

export type StoreType =
  | 'key-value'
  | 'timestamped-key-value'
  | 'window'
  | 'timestamped-window'
  | 'session';

/**
 * A state store as the logical topology records it: plain data. The runtime builds the real store
 * (packages/state) from it: metered → caching → change-logging → RocksDB or in-memory.
 */
export interface StoreSpec {
  readonly name: string;
  readonly type: StoreType;
  /** Serdes of the typed (outer) layer; undefined = the application's default serdes. */
  readonly keySerde: Serde<any> | undefined;
  readonly valueSerde: Serde<any> | undefined;
  /** 'rocksdb' (persistent) or 'in-memory'. undefined = the application's default store type. */
  readonly backend: 'rocksdb' | 'in-memory' | undefined;
  readonly caching: boolean;
  readonly logging: boolean;
  readonly logConfig: Readonly<Record<string, string>>;
  /** Window and session stores: how long windows are kept (ms). */
  readonly retentionMs?: number;
  readonly windowSizeMs?: number;
  /** Stream-stream join stores keep every record per key and time. */
  readonly retainDuplicates?: boolean;
  /**
   * emitStrategy('on-window-close') aggregations: Kafka Streams' time-ordered window and session stores. A time-ordered
   * window store keeps a window starting exactly at streamTime − retention (other window stores expire it), and its
   * record cache returns what it holds whatever its age; a time-ordered session store is read by session end across
   * keys, from whatever segments it still holds.
   */
  readonly timeOrdered?: boolean;
  /** True when the name was generated (Kafka Streams hides these from interactive queries). */
  readonly generatedName: boolean;
}

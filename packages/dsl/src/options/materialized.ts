import type { Serde } from '../serde/serde.ts';
import type { DurationLike } from '../window/duration.ts';

/**
 * How a KTable or aggregation is stored: store name (queryable), serdes, backend, caching, logging
 * and (for windows) retention. Like Kafka Streams' Materialized, as a plain object.
 */
export interface Materialized<K, V> {
  readonly storeName?: string;
  readonly keySerde?: Serde<K>;
  readonly valueSerde?: Serde<V>;
  /** 'rocksdb' (persistent, the default) or 'in-memory'. */
  readonly backend?: 'rocksdb' | 'in-memory';
  /** Record cache (Kafka Streams' withCachingEnabled); default true. */
  readonly caching?: boolean;
  /** Changelog topic (withLoggingEnabled); default true. */
  readonly logging?: boolean;
  readonly logConfig?: Readonly<Record<string, string>>;
  /** Window/session stores: how long to keep windows; default window size + grace. */
  readonly retention?: DurationLike;
}

export const Materialized = {
  as<K = never, V = never>(storeName: string, rest: Omit<Materialized<K, V>, 'storeName'> = {}): Materialized<K, V> {
    return { storeName, ...rest };
  },
  with<K, V>(keySerde: Serde<K> | undefined, valueSerde: Serde<V> | undefined, rest: Omit<Materialized<K, V>, 'keySerde' | 'valueSerde'> = {}): Materialized<K, V> {
    return { ...(keySerde ? { keySerde } : {}), ...(valueSerde ? { valueSerde } : {}), ...rest };
  },
};

import type { Named } from '../options/named.ts';
import type { Materialized } from '../options/materialized.ts';
import type { KTable } from '../ktable/ktable.ts';
import type { Initializer, Aggregator, Reducer } from './kgrouped-stream.ts';

/** A table re-grouped by a new key: aggregations add the new value and subtract the old one. */
export interface KGroupedTable<K, V> {
  count(materialized?: Materialized<K, number>, named?: Named): KTable<K, number>;
  reduce(adder: Reducer<V>, subtractor: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<K, V>;
  aggregate<VA>(initializer: Initializer<VA>, adder: Aggregator<K, V, VA>, subtractor: Aggregator<K, V, VA>, materialized?: Materialized<K, VA>, named?: Named): KTable<K, VA>;
}

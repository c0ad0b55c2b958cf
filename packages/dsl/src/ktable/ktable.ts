import type { KeyValue } from '../key-value.ts';
import type { Named } from '../options/named.ts';
import type { Grouped } from '../options/grouped.ts';
import type { Materialized } from '../options/materialized.ts';
import type { TableJoined } from '../options/joined.ts';
import type { Suppressed } from '../window/suppressed.ts';
import type { KStream, TypeBrand } from '../kstream/kstream.ts';
import type { KGroupedTable } from '../grouped/kgrouped-table.ts';

/** A changelog stream read as a table: the latest value per key; a null value (tombstone) deletes. */
export interface KTable<K, V> extends TypeBrand<K, V> {
  /** Name of the store holding this table, if it is materialized (queryable). */
  readonly queryableStoreName: string | undefined;
  filter(predicate: (key: K, value: V) => boolean, named?: Named, materialized?: Materialized<K, V>): KTable<K, V>;
  filterNot(predicate: (key: K, value: V) => boolean, named?: Named, materialized?: Materialized<K, V>): KTable<K, V>;
  mapValues<VR>(mapper: (value: V, key: K) => VR, named?: Named, materialized?: Materialized<K, VR>): KTable<K, VR>;
  toStream(named?: Named): KStream<K, V>;
  /** toStream() with a new key per record. */
  toStreamWithKey<KR>(mapper: (key: K, value: V) => KR, named?: Named): KStream<KR, V>;
  groupBy<KR, VR>(selector: (key: K, value: V) => KeyValue<KR, VR>, grouped?: Grouped<KR, VR>): KGroupedTable<KR, VR>;
  join<VO, VR>(other: KTable<K, VO>, joiner: (value: V, otherValue: VO) => VR, materialized?: Materialized<K, VR>, named?: TableJoined): KTable<K, VR>;
  leftJoin<VO, VR>(other: KTable<K, VO>, joiner: (value: V, otherValue: VO | null) => VR, materialized?: Materialized<K, VR>, named?: TableJoined): KTable<K, VR>;
  outerJoin<VO, VR>(other: KTable<K, VO>, joiner: (value: V | null, otherValue: VO | null) => VR, materialized?: Materialized<K, VR>, named?: TableJoined): KTable<K, VR>;
  /** Holds updates back: until a window closes (windowed tables) or for a time limit per key. */
  suppress(suppressed: Suppressed): KTable<K, V>;
}

import type { KeyValue } from '../key-value.ts';
import type { Named } from '../options/named.ts';
import type { Produced } from '../options/produced.ts';
import type { Grouped } from '../options/grouped.ts';
import type { Repartitioned } from '../options/repartitioned.ts';
import type { Materialized } from '../options/materialized.ts';
import type { Joined, StreamJoined } from '../options/joined.ts';
import type { TopicNameExtractor } from '../graph/graph-node.ts';
import type { ProcessorSupplier } from '../processor/processor.ts';
import type { JoinWindows } from '../window/join-windows.ts';
import type { KTable } from '../ktable/ktable.ts';
import type { GlobalKTable } from '../ktable/global-ktable.ts';
import type { KGroupedStream } from '../grouped/kgrouped-stream.ts';
import type { BranchedKStream } from './branched-kstream.ts';

/** Type brand so that streams with different key types are not interchangeable (joins, merge). */
export interface TypeBrand<K, V> {
  readonly __types?: { key: (k: K) => K; value: (v: V) => V };
}

/** An unbounded stream of records, like Kafka Streams' KStream. Every method records a step and returns a new handle. */
export interface KStream<K, V> extends TypeBrand<K, V> {
  filter(predicate: (key: K, value: V) => boolean, named?: Named): KStream<K, V>;
  filterNot(predicate: (key: K, value: V) => boolean, named?: Named): KStream<K, V>;
  /** Changes key and value; a later stateful step or join repartitions on the new key. */
  map<KR, VR>(mapper: (key: K, value: V) => KeyValue<KR, VR>, named?: Named): KStream<KR, VR>;
  mapValues<VR>(mapper: (value: V, key: K) => VR, named?: Named): KStream<K, VR>;
  flatMap<KR, VR>(mapper: (key: K, value: V) => Iterable<KeyValue<KR, VR>>, named?: Named): KStream<KR, VR>;
  flatMapValues<VR>(mapper: (value: V, key: K) => Iterable<VR>, named?: Named): KStream<K, VR>;
  selectKey<KR>(mapper: (key: K, value: V) => KR, named?: Named): KStream<KR, V>;
  peek(action: (key: K, value: V) => void, named?: Named): KStream<K, V>;
  foreach(action: (key: K, value: V) => void, named?: Named): void;
  split(named?: Named): BranchedKStream<K, V>;
  merge(other: KStream<K, V>, named?: Named): KStream<K, V>;
  repartition(repartitioned?: Repartitioned<K, V>): KStream<K, V>;
  to(topic: string | TopicNameExtractor<K, V>, produced?: Produced<K, V>): void;
  toTable(materialized?: Materialized<K, V>, named?: Named): KTable<K, V>;
  groupByKey(grouped?: Grouped<K, V>): KGroupedStream<K, V>;
  /** Groups by a new key (through a repartition topic); a null key drops the record, as in Kafka Streams. */
  groupBy<KR>(selector: (key: K, value: V) => KR | null, grouped?: Grouped<KR, V>): KGroupedStream<KR, V>;

  join<VO, VR>(other: KStream<K, VO>, joiner: (value: V, otherValue: VO, key: K) => VR, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  join<VT, VR>(table: KTable<K, VT>, joiner: (value: V, tableValue: VT, key: K) => VR, joined?: Joined<K, V, VT>): KStream<K, VR>;
  join<GK, GV, VR>(globalTable: GlobalKTable<GK, GV>, keySelector: (key: K, value: V) => GK | null, joiner: (value: V, globalValue: GV, key: K) => VR, named?: Named): KStream<K, VR>;

  leftJoin<VO, VR>(other: KStream<K, VO>, joiner: (value: V, otherValue: VO | null, key: K) => VR, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;
  leftJoin<VT, VR>(table: KTable<K, VT>, joiner: (value: V, tableValue: VT | null, key: K) => VR, joined?: Joined<K, V, VT>): KStream<K, VR>;
  leftJoin<GK, GV, VR>(globalTable: GlobalKTable<GK, GV>, keySelector: (key: K, value: V) => GK | null, joiner: (value: V, globalValue: GV | null, key: K) => VR, named?: Named): KStream<K, VR>;

  outerJoin<VO, VR>(other: KStream<K, VO>, joiner: (value: V | null, otherValue: VO | null, key: K) => VR, windows: JoinWindows, streamJoined?: StreamJoined<K, V, VO>): KStream<K, VR>;

  /** Kafka Streams' Processor API: a processor per task, with the named stores connected. */
  process<KR, VR>(supplier: ProcessorSupplier<K, V, KR, VR>, options?: Named & { stores?: readonly string[] }): KStream<KR, VR>;
  /** Like process() but the processor may not change keys, so no repartition is needed downstream. */
  processValues<VR>(supplier: ProcessorSupplier<K, V, K, VR>, options?: Named & { stores?: readonly string[] }): KStream<K, VR>;
}

import type { KStream } from './kstream.ts';
import type { BranchedKStream } from './branched-kstream.ts';
import type { BuilderContext } from '../graph/builder-context.ts';
import type { Serde } from '../serde/serde.ts';
import type { KeyValue } from '../key-value.ts';
import type { Named } from '../options/named.ts';
import type { Produced } from '../options/produced.ts';
import type { Grouped } from '../options/grouped.ts';
import type { Repartitioned } from '../options/repartitioned.ts';
import type { Materialized } from '../options/materialized.ts';
import type { TopicNameExtractor } from '../graph/graph-node.ts';
import type { ProcessorStep } from '../graph/nodes/processor-node.ts';
import type { KeyValuePredicate, KeyValueMapper, ValueMapper, KeyValueAction } from '../graph/nodes/node-functions.ts';
import type { ProcessorSupplier } from '../processor/processor.ts';
import type { KTable } from '../ktable/ktable.ts';
import type { KGroupedStream } from '../grouped/kgrouped-stream.ts';
import { TopologyError } from '../errors/topology-error.ts';
import { BranchedKStreamImpl } from './branched-kstream-impl.ts';
import { KGroupedStreamImpl } from '../grouped/kgrouped-stream-impl.ts';
import { createRepartition, repartitionNames, addRepartition } from './repartition.ts';
import type { RepartitionStep } from './repartition.ts';
import { streamJoin } from './stream-joins.ts';
import { streamToTable } from '../ktable/stream-to-table.ts';

/** The recording implementation of KStream: each call adds one graph node and returns a new handle. */
export class KStreamImpl<K, V> implements KStream<K, V> {
  constructor(
    readonly ctx: BuilderContext,
    /** The node new steps attach to. */
    readonly node: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    /** True after a key-changing step: the next stateful step or join must repartition. */
    readonly repartitionRequired: boolean,
  ) {}

  /** The repartition step this stream's last join added (Kafka Streams' KStreamImpl#repartitionNode). */
  private joinRepartition: RepartitionStep | undefined;

  /**
   * Repartitions this stream ahead of a join through `<name>-repartition` and returns the source to join from (Kafka
   * Streams' KStreamImpl#repartitionForJoin). Names are taken every time; an unnamed join (`name` is this stream's
   * node) reuses the step an earlier join of this same stream added, as Kafka Streams does.
   */
  repartitionForJoin(name: string, keySerde: Serde<any> | undefined, valueSerde: Serde<any> | undefined): string {
    const step = repartitionNames(this.ctx, name);
    if (this.joinRepartition === undefined || name !== this.node) {
      this.joinRepartition = addRepartition(this.ctx, this.node, step, keySerde, valueSerde);
    }
    return this.joinRepartition.source;
  }

  /** Adds a processor node below this stream, named `named` or `<prefix><index>` (an index is taken either way); returns its name. */
  addProcessor(prefix: string, named: Named | undefined, step: ProcessorStep): string {
    this.ctx.checkOpen(step.op);
    return this.addNamed(this.ctx.nameOr(named?.name, prefix), step);
  }

  private addNamed(name: string, step: ProcessorStep): string {
    this.ctx.graph.add({ kind: 'processor', name, parents: [this.node], ...step });
    return name;
  }

  private derive<K2, V2>(node: string, keySerde: Serde<K2> | undefined, valueSerde: Serde<V2> | undefined, repartition = this.repartitionRequired): KStreamImpl<K2, V2> {
    return new KStreamImpl(this.ctx, node, keySerde, valueSerde, repartition);
  }

  filter(predicate: (key: K, value: V) => boolean, named?: Named): KStream<K, V> {
    requireFn(predicate, 'filter', 'predicate');
    return this.derive(this.addProcessor('KSTREAM-FILTER-', named, { op: 'filter', stores: [], predicate: predicate as KeyValuePredicate, not: false }), this.keySerde, this.valueSerde);
  }
  filterNot(predicate: (key: K, value: V) => boolean, named?: Named): KStream<K, V> {
    requireFn(predicate, 'filterNot', 'predicate');
    return this.derive(this.addProcessor('KSTREAM-FILTER-', named, { op: 'filter', stores: [], predicate: predicate as KeyValuePredicate, not: true }), this.keySerde, this.valueSerde);
  }
  map<KR, VR>(mapper: (key: K, value: V) => KeyValue<KR, VR>, named?: Named): KStream<KR, VR> {
    requireFn(mapper, 'map', 'mapper');
    return this.derive<KR, VR>(this.addProcessor('KSTREAM-MAP-', named, { op: 'map', stores: [], mapper: mapper as KeyValueMapper<KeyValue<unknown, unknown>> }), undefined, undefined, true);
  }
  mapValues<VR>(mapper: (value: V, key: K) => VR, named?: Named): KStream<K, VR> {
    requireFn(mapper, 'mapValues', 'mapper');
    return this.derive<K, VR>(this.addProcessor('KSTREAM-MAPVALUES-', named, { op: 'mapValues', stores: [], mapper: mapper as ValueMapper<unknown> }), this.keySerde, undefined);
  }
  flatMap<KR, VR>(mapper: (key: K, value: V) => Iterable<KeyValue<KR, VR>>, named?: Named): KStream<KR, VR> {
    requireFn(mapper, 'flatMap', 'mapper');
    return this.derive<KR, VR>(this.addProcessor('KSTREAM-FLATMAP-', named, { op: 'flatMap', stores: [], mapper: mapper as KeyValueMapper<Iterable<KeyValue<unknown, unknown>>> }), undefined, undefined, true);
  }
  flatMapValues<VR>(mapper: (value: V, key: K) => Iterable<VR>, named?: Named): KStream<K, VR> {
    requireFn(mapper, 'flatMapValues', 'mapper');
    return this.derive<K, VR>(this.addProcessor('KSTREAM-FLATMAPVALUES-', named, { op: 'flatMapValues', stores: [], mapper: mapper as ValueMapper<Iterable<unknown>> }), this.keySerde, undefined);
  }
  selectKey<KR>(mapper: (key: K, value: V) => KR, named?: Named): KStream<KR, V> {
    requireFn(mapper, 'selectKey', 'mapper');
    return this.derive<KR, V>(this.addProcessor('KSTREAM-KEY-SELECT-', named, { op: 'selectKey', stores: [], mapper: mapper as KeyValueMapper<unknown> }), undefined, this.valueSerde, true);
  }
  peek(action: (key: K, value: V) => void, named?: Named): KStream<K, V> {
    requireFn(action, 'peek', 'action');
    return this.derive(this.addProcessor('KSTREAM-PEEK-', named, { op: 'peek', stores: [], action: action as KeyValueAction, forward: true }), this.keySerde, this.valueSerde);
  }
  foreach(action: (key: K, value: V) => void, named?: Named): void {
    requireFn(action, 'foreach', 'action');
    this.addProcessor('KSTREAM-FOREACH-', named, { op: 'peek', stores: [], action: action as KeyValueAction, forward: false });
  }
  split(named?: Named): BranchedKStream<K, V> {
    this.ctx.checkOpen('split');
    return new BranchedKStreamImpl(this, this.ctx.nameOr(named?.name, 'KSTREAM-BRANCH-'));
  }
  merge(other: KStream<K, V>, named?: Named): KStream<K, V> {
    const o = asImpl(other, 'merge');
    if (o.ctx !== this.ctx) throw new TopologyError('merge() of streams from two different StreamsBuilders; build both from one builder.');
    const name = this.ctx.nameOr(named?.name, 'KSTREAM-MERGE-');
    this.ctx.graph.add({ kind: 'processor', name, parents: [this.node, o.node], op: 'passThrough', stores: [] });
    return this.derive(name, this.keySerde, this.valueSerde, this.repartitionRequired || o.repartitionRequired);
  }
  repartition(repartitioned: Repartitioned<K, V> = {}): KStream<K, V> {
    this.ctx.checkOpen('repartition');
    const keySerde = repartitioned.keySerde ?? this.keySerde;
    const valueSerde = repartitioned.valueSerde ?? this.valueSerde;
    const prefix = repartitioned.name ?? this.ctx.names.next('KSTREAM-REPARTITION-');
    const source = createRepartition(this.ctx, this.node, prefix, keySerde, valueSerde, repartitioned.partitioner, repartitioned.numberOfPartitions).source;
    return this.derive(source, keySerde, valueSerde, false);
  }
  to(topic: string | TopicNameExtractor<K, V>, produced: Produced<K, V> = {}): void {
    this.ctx.checkOpen('to');
    if (typeof topic === 'string' && topic.length === 0) throw new TopologyError('to() needs a topic name; got an empty string.');
    const name = this.ctx.nameOr(produced.name, 'KSTREAM-SINK-');
    this.ctx.graph.add({
      kind: 'sink', name, parents: [this.node], topic,
      keySerde: produced.keySerde ?? this.keySerde,
      valueSerde: produced.valueSerde ?? this.valueSerde,
      partitioner: produced.partitioner, internal: false,
    });
  }
  toTable(materialized?: Materialized<K, V>, named?: Named): KTable<K, V> {
    return streamToTable(this, materialized, named);
  }
  groupByKey(grouped: Grouped<K, V> = {}): KGroupedStream<K, V> {
    this.ctx.checkOpen('groupByKey');
    return new KGroupedStreamImpl<K, V>(this, this.node, grouped.keySerde ?? this.keySerde, grouped.valueSerde ?? this.valueSerde, this.repartitionRequired, grouped.name);
  }
  groupBy<KR>(selector: (key: K, value: V) => KR | null, grouped: Grouped<KR, V> = {}): KGroupedStream<KR, V> {
    requireFn(selector, 'groupBy', 'selector');
    // Kafka Streams names the key-selecting step after the grouping too (Grouped.as names both it and the topic).
    const node = this.addProcessor('KSTREAM-KEY-SELECT-', { name: grouped.name }, { op: 'selectKey', stores: [], mapper: selector as KeyValueMapper<unknown> });
    return new KGroupedStreamImpl<KR, V>(this.derive(node, undefined, this.valueSerde, true) as KStreamImpl<any, V>, node, grouped.keySerde, grouped.valueSerde ?? this.valueSerde, true, grouped.name);
  }
  join(other: any, a: any, b?: any, c?: any): KStream<K, any> {
    return streamJoin(this, 'inner', other, a, b, c);
  }
  leftJoin(other: any, a: any, b?: any, c?: any): KStream<K, any> {
    return streamJoin(this, 'left', other, a, b, c);
  }
  outerJoin(other: any, a: any, b?: any, c?: any): KStream<K, any> {
    return streamJoin(this, 'outer', other, a, b, c);
  }
  process<KR, VR>(supplier: ProcessorSupplier<K, V, KR, VR>, options: Named & { stores?: readonly string[] } = {}): KStream<KR, VR> {
    requireFn(supplier, 'process', 'supplier');
    this.ctx.checkOpen('process');
    // A named process() takes no index in Kafka Streams (Named.as is used as is); an unnamed one takes one.
    const name = this.addNamed(this.ctx.givenNameOr(options.name, 'KSTREAM-PROCESSOR-'), { op: 'process', stores: options.stores ?? [], supplier: supplier as ProcessorSupplier<unknown, unknown, unknown, unknown> });
    return this.derive<KR, VR>(name, undefined, undefined, true);
  }
  processValues<VR>(supplier: ProcessorSupplier<K, V, K, VR>, options: Named & { stores?: readonly string[] } = {}): KStream<K, VR> {
    requireFn(supplier, 'processValues', 'supplier');
    this.ctx.checkOpen('processValues');
    const name = this.addNamed(this.ctx.givenNameOr(options.name, 'KSTREAM-PROCESSVALUES-'), { op: 'processValues', stores: options.stores ?? [], supplier: supplier as ProcessorSupplier<unknown, unknown, unknown, unknown> });
    return this.derive<K, VR>(name, this.keySerde, undefined);
  }
}

export function requireFn(fn: unknown, step: string, what: string): void {
  if (typeof fn !== 'function') throw new TopologyError(`${step}() needs a ${what} function; got ${fn === null ? 'null' : typeof fn}.`);
}

function asImpl<K, V>(s: KStream<K, V>, step: string): KStreamImpl<K, V> {
  if (!(s instanceof KStreamImpl)) throw new TopologyError(`${step}() needs a KStream created by a StreamsBuilder.`);
  return s;
}

import type { KGroupedTable } from './kgrouped-table.ts';
import type { Initializer, Aggregator, Reducer } from './kgrouped-stream.ts';
import type { BuilderContext } from '../graph/builder-context.ts';
import type { Serde } from '../serde/serde.ts';
import type { Named } from '../options/named.ts';
import type { Materialized } from '../options/materialized.ts';
import type { KTable } from '../ktable/ktable.ts';
import type { TableAggregateNode, TableReduceNode } from '../graph/nodes/table-nodes.ts';
import type { StepOf } from '../graph/nodes/processor-node.ts';
import type { AggregateFolder, ValueReducer } from '../graph/nodes/node-functions.ts';
import { KTableImpl } from '../ktable/ktable-impl.ts';
import { requireFn } from '../kstream/kstream-impl.ts';
import { storeSpecFrom } from '../graph/store-specs.ts';
import { changedSerde } from './changed-serde.ts';
import { Serdes } from '../serde/serdes.ts';

/**
 * A re-keyed table (Kafka Streams' KGroupedTableImpl). Each aggregation writes the selected changes to
 * `<grouped name or store name>-repartition` (values in Kafka's Changed format) and aggregates behind it
 * with an adder and a subtractor. A user-named grouping shares one repartition topic between aggregations.
 */
export class KGroupedTableImpl<K, V> implements KGroupedTable<K, V> {
  /** The repartition step a named grouping's aggregations share (made by the first). */
  private repartition: { readonly sink: string; readonly source: string } | undefined;

  constructor(
    readonly ctx: BuilderContext,
    /** The KTABLE-SELECT- node. */
    readonly node: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly groupedName: string | undefined,
  ) {}

  count(materialized?: Materialized<K, number>, named?: Named): KTable<K, number> {
    this.ctx.checkOpen('count');
    const storeName = this.ctx.storeNameOr(materialized?.storeName, 'KTABLE-AGGREGATE-');
    return this.doAggregate('KTABLE-AGGREGATE-', storeName, materialized, materialized?.valueSerde ?? Serdes.Long(), named, {
      op: 'tableAggregate',
      initializer: () => 0,
      adder: (_k: unknown, _v: unknown, agg: unknown) => (agg as number) + 1,
      subtractor: (_k: unknown, _v: unknown, agg: unknown) => (agg as number) - 1,
    });
  }

  reduce(adder: Reducer<V>, subtractor: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<K, V> {
    requireFn(adder, 'reduce', 'adder');
    requireFn(subtractor, 'reduce', 'subtractor');
    this.ctx.checkOpen('reduce');
    // Kafka Streams names the store of a table reduce with the aggregate prefix too.
    const storeName = this.ctx.storeNameOr(materialized?.storeName, 'KTABLE-AGGREGATE-');
    return this.doAggregate('KTABLE-REDUCE-', storeName, materialized, materialized?.valueSerde ?? this.valueSerde, named, {
      op: 'tableReduce', adder: adder as ValueReducer, subtractor: subtractor as ValueReducer,
    });
  }

  aggregate<VA>(
    initializer: Initializer<VA>,
    adder: Aggregator<K, V, VA>,
    subtractor: Aggregator<K, V, VA>,
    materialized?: Materialized<K, VA>,
    named?: Named,
  ): KTable<K, VA> {
    requireFn(initializer, 'aggregate', 'initializer');
    requireFn(adder, 'aggregate', 'adder');
    requireFn(subtractor, 'aggregate', 'subtractor');
    this.ctx.checkOpen('aggregate');
    const storeName = this.ctx.storeNameOr(materialized?.storeName, 'KTABLE-AGGREGATE-');
    return this.doAggregate('KTABLE-AGGREGATE-', storeName, materialized, materialized?.valueSerde, named, {
      op: 'tableAggregate', initializer, adder: adder as AggregateFolder, subtractor: subtractor as AggregateFolder,
    });
  }

  private doAggregate<VA>(
    prefix: string,
    storeName: string,
    materialized: Materialized<K, VA> | undefined,
    valueSerde: Serde<VA> | undefined,
    named: Named | undefined,
    step: StepOf<TableAggregateNode | TableReduceNode, 'stores' | 'store'>,
  ): KTable<K, VA> {
    const ctx = this.ctx;
    const sinkName = ctx.suffixedNameOr(named?.name, '-sink', 'KSTREAM-SINK-');
    const sourceName = ctx.suffixedNameOr(named?.name, '-source', 'KSTREAM-SOURCE-');
    const funcName = ctx.nameOr(named?.name, prefix);
    const topic = `${this.groupedName ?? storeName}-repartition`;
    if (this.repartition === undefined || this.groupedName === undefined) {
      const inner = this.valueSerde ?? ctx.defaultValueSerde;
      const repartitionValueSerde = inner ? changedSerde(inner) : undefined;
      ctx.graph.add({ kind: 'sink', name: sinkName, parents: [this.node], topic, keySerde: this.keySerde, valueSerde: repartitionValueSerde, partitioner: undefined, internal: true });
      ctx.graph.add({
        kind: 'source', name: sourceName, parents: [], topics: [topic], keySerde: this.keySerde, valueSerde: repartitionValueSerde,
        timestampExtractor: undefined, offsetReset: undefined, internal: true,
      });
      this.repartition = { sink: sinkName, source: sourceName };
    } else {
      // Kafka Streams attaches the shared repartition step again for each aggregation of a named grouping.
      ctx.graph.reattach([this.repartition.sink, this.repartition.source]);
    }
    const spec = storeSpecFrom(storeName, 'timestamped-key-value', materialized, this.keySerde, valueSerde, materialized?.storeName === undefined);
    ctx.graph.addStore(spec);
    ctx.graph.add({ kind: 'processor', name: funcName, parents: [this.repartition.source], stores: [storeName], store: storeName, ...step });
    return new KTableImpl<K, VA>(ctx, funcName, spec.keySerde, spec.valueSerde, materialized?.storeName, storeName);
  }
}

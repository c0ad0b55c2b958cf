import type { KGroupedStream, Initializer, Aggregator, Reducer, TimeWindowedKStream, SessionWindowedKStream } from './kgrouped-stream.ts';
import type { KStreamImpl } from '../kstream/kstream-impl.ts';
import type { Serde } from '../serde/serde.ts';
import type { Named } from '../options/named.ts';
import type { Materialized } from '../options/materialized.ts';
import type { KTable } from '../ktable/ktable.ts';
import type { TimeWindows } from '../window/time-windows.ts';
import type { SlidingWindows } from '../window/sliding-windows.ts';
import type { SessionWindows } from '../window/session-windows.ts';
import type { StoreType } from '../graph/store-spec.ts';
import type { StepOf } from '../graph/nodes/processor-node.ts';
import type { AggregateNode, ReduceNode, WindowAggregateNode, SlidingWindowAggregateNode, SessionWindowAggregateNode } from '../graph/nodes/aggregation-nodes.ts';
import type { AggregateFolder, ValueReducer } from '../graph/nodes/node-functions.ts';
import { requireFn } from '../kstream/kstream-impl.ts';
import { repartitionNames, addRepartition } from '../kstream/repartition.ts';
import type { RepartitionStep } from '../kstream/repartition.ts';
import { storeSpecFrom } from '../graph/store-specs.ts';
import { KTableImpl } from '../ktable/ktable-impl.ts';
import { windowedStream } from './windowed-streams.ts';
import { Serdes } from '../serde/serdes.ts';

/** An aggregation node of a grouped stream, windowed or not, as its DSL step states it (the store is added here). */
export type AggregationStep = StepOf<AggregateNode | ReduceNode | WindowAggregateNode | SlidingWindowAggregateNode | SessionWindowAggregateNode, 'stores' | 'store'>;

/** A grouped stream: remembers whether it must repartition and with which serdes. */
export class KGroupedStreamImpl<K, V> implements KGroupedStream<K, V> {
  /** Reused when a user-named grouping feeds several aggregations (one repartition topic, as in Kafka Streams). */
  private repartition: RepartitionStep | undefined;

  constructor(
    readonly stream: KStreamImpl<any, any>,
    readonly node: string,
    readonly keySerde: Serde<K> | undefined,
    readonly valueSerde: Serde<V> | undefined,
    readonly repartitionRequired: boolean,
    readonly groupedName: string | undefined,
  ) {}

  get ctx() {
    return this.stream.ctx;
  }

  /**
   * Adds the store and the aggregation node (after a repartition if needed) and returns the parent the
   * aggregation hangs under. Shared by every aggregation, windowed or not.
   */
  aggregationParent(storeName: string): string {
    if (!this.repartitionRequired) return this.node;
    // Kafka Streams' GroupedStreamAggregateBuilder#build: the step's names are taken by every aggregation; a named
    // grouping shares its step, attached again each time (which moves it later in Kafka's build order).
    const step = repartitionNames(this.ctx, this.groupedName ?? storeName);
    if (this.repartition !== undefined && this.groupedName !== undefined) {
      this.ctx.graph.reattach([this.repartition.filter, this.repartition.sink, this.repartition.source]);
    } else {
      this.repartition = addRepartition(this.ctx, this.node, step, this.keySerde, this.valueSerde);
    }
    return this.repartition.source;
  }

  /** Adds the aggregation `step` with its store below the (repartitioned) stream; returns the resulting table. */
  addAggregation<VA>(
    prefix: string,
    storeType: StoreType,
    materialized: Materialized<K, VA> | undefined,
    named: Named | undefined,
    valueSerde: Serde<VA> | undefined,
    step: AggregationStep,
    storeExtra: Parameters<typeof storeSpecFrom>[6] = {},
    keySerdeOut?: Serde<any>,
  ): KTableImpl<any, VA> {
    this.ctx.checkOpen(step.op);
    const storeName = this.ctx.storeNameOr(materialized?.storeName, prefix);
    const name = this.ctx.nameOr(named?.name, prefix);
    const parent = this.aggregationParent(storeName);
    const spec = storeSpecFrom(storeName, storeType, materialized, this.keySerde, valueSerde, materialized?.storeName === undefined, storeExtra);
    this.ctx.graph.addStore(spec);
    this.ctx.graph.add({ kind: 'processor', name, parents: [parent], stores: [storeName], store: storeName, ...step });
    return new KTableImpl<any, VA>(this.ctx, name, keySerdeOut ?? spec.keySerde, spec.valueSerde, materialized?.storeName, storeName);
  }

  /**
   * Kafka Streams' count(Materialized) — of a grouped, time-windowed or session-windowed stream, not a sliding one —
   * takes an extra store index when the Materialized has no store name (kept "for compatibility"); count() and
   * count(Named) do not.
   */
  takeCountStoreIndex(materialized: Materialized<K, number> | undefined): void {
    if (materialized !== undefined && materialized.storeName === undefined) this.ctx.storeNameOr(undefined, 'KSTREAM-AGGREGATE-');
  }

  count(materialized?: Materialized<K, number>, named?: Named): KTable<K, number> {
    this.takeCountStoreIndex(materialized);
    const m = { ...materialized, valueSerde: materialized?.valueSerde ?? Serdes.Long() } as Materialized<K, number>;
    return this.addAggregation('KSTREAM-AGGREGATE-', 'timestamped-key-value', m, named, m.valueSerde, {
      op: 'aggregate',
      initializer: () => 0,
      aggregator: (_k: unknown, _v: unknown, agg: unknown) => (agg as number) + 1,
    });
  }
  reduce(reducer: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<K, V> {
    requireFn(reducer, 'reduce', 'reducer');
    return this.addAggregation('KSTREAM-REDUCE-', 'timestamped-key-value', materialized, named, materialized?.valueSerde ?? this.valueSerde, {
      op: 'reduce', reducer: reducer as ValueReducer,
    });
  }
  aggregate<VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>, materialized?: Materialized<K, VA>, named?: Named): KTable<K, VA> {
    requireFn(initializer, 'aggregate', 'initializer');
    requireFn(aggregator, 'aggregate', 'aggregator');
    return this.addAggregation('KSTREAM-AGGREGATE-', 'timestamped-key-value', materialized, named, materialized?.valueSerde, {
      op: 'aggregate', initializer, aggregator: aggregator as AggregateFolder,
    });
  }
  windowedBy(windows: TimeWindows | SlidingWindows): TimeWindowedKStream<K, V>;
  windowedBy(windows: SessionWindows): SessionWindowedKStream<K, V>;
  windowedBy(windows: TimeWindows | SlidingWindows | SessionWindows): TimeWindowedKStream<K, V> | SessionWindowedKStream<K, V> {
    return windowedStream(this, windows);
  }
}

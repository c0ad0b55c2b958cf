import type { TimeWindowedKStream, EmitStrategy, Initializer, Aggregator, Reducer } from './kgrouped-stream.ts';
import type { KGroupedStreamImpl } from './kgrouped-stream-impl.ts';
import type { Materialized } from '../options/materialized.ts';
import type { Named } from '../options/named.ts';
import type { Serde } from '../serde/serde.ts';
import type { KTable } from '../ktable/ktable.ts';
import type { Windowed } from '../serde/windowed.ts';
import type { TimeWindows } from '../window/time-windows.ts';
import type { SlidingWindows } from '../window/sliding-windows.ts';
import type { StepOf } from '../graph/nodes/processor-node.ts';
import type { WindowAggregateNode, SlidingWindowAggregateNode } from '../graph/nodes/aggregation-nodes.ts';
import type { AggregateFolder } from '../graph/nodes/node-functions.ts';
import { requireFn } from '../kstream/kstream-impl.ts';
import { Serdes } from '../serde/serdes.ts';
import { windowStoreRetention, checkEmitStrategy, aggregatorForReducer, reduceInitializer } from './window-store-retention.ts';

const AGGREGATE = 'KSTREAM-AGGREGATE-';
const REDUCE = 'KSTREAM-REDUCE-';

/** What differs between tumbling/hopping and sliding windows: the processor and its settings, store sizes. */
interface WindowPlan {
  readonly windowSizeMs: number;
  readonly minRetentionMs: number;
  readonly retentionWhat: string;
  readonly settings: StepOf<WindowAggregateNode | SlidingWindowAggregateNode, 'stores' | 'store' | 'initializer' | 'aggregator' | 'emitStrategy'>;
}

function planFor(w: TimeWindows | SlidingWindows): WindowPlan {
  if (w.kind === 'time') {
    return {
      windowSizeMs: w.sizeMs, minRetentionMs: w.sizeMs + w.graceMs, retentionWhat: 'its window size plus the grace period',
      settings: { op: 'windowAggregate', sizeMs: w.sizeMs, advanceMs: w.advanceMs, graceMs: w.graceMs, windowCloseGraceMs: w.graceMs },
    };
  }
  // Sliding windows are [start, start + timeDifference], both inclusive; the processor reads windows up to
  // 2 × time difference back, hence the retention.
  const td = w.timeDifferenceMs;
  return {
    windowSizeMs: td, minRetentionMs: 2 * td + w.graceMs, retentionWhat: 'twice the time difference plus the grace period',
    settings: { op: 'slidingWindowAggregate', timeDifferenceMs: td, graceMs: w.graceMs, windowCloseGraceMs: w.graceMs },
  };
}

/**
 * groupByKey().windowedBy(TimeWindows | SlidingWindows) (Kafka Streams' TimeWindowedKStreamImpl and
 * SlidingWindowedKStreamImpl): an aggregation node over a timestamped window store. The resulting table's
 * key serde is the time-windowed serde (none for a zero sliding time difference: the serde needs a positive size).
 */
export class TimeWindowedKStreamImpl<K, V> implements TimeWindowedKStream<K, V> {
  constructor(
    private readonly grouped: KGroupedStreamImpl<K, V>,
    readonly windows: TimeWindows | SlidingWindows,
    readonly strategy: EmitStrategy = 'on-window-update',
  ) {}

  emitStrategy(strategy: EmitStrategy): TimeWindowedKStream<K, V> {
    checkEmitStrategy(strategy);
    return new TimeWindowedKStreamImpl(this.grouped, this.windows, strategy);
  }

  count(materialized?: Materialized<K, number>, named?: Named): KTable<Windowed<K>, number> {
    if (this.windows.kind === 'time') this.grouped.takeCountStoreIndex(materialized); // not the sliding one, as Kafka
    const m = { ...materialized, valueSerde: materialized?.valueSerde ?? Serdes.Long() } as Materialized<K, number>;
    return this.build(AGGREGATE, m, named, m.valueSerde, { initializer: () => 0, aggregator: (_k: unknown, _v: unknown, agg: unknown) => (agg as number) + 1 });
  }

  reduce(reducer: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<Windowed<K>, V> {
    requireFn(reducer, 'reduce', 'reducer');
    // Kafka Streams' aggregatorForReducer: a reduce is an aggregate whose initial aggregate is null.
    const aggregator = aggregatorForReducer<K, V>(reducer) as AggregateFolder;
    return this.build(REDUCE, materialized, named, materialized?.valueSerde ?? this.grouped.valueSerde, { initializer: reduceInitializer, aggregator });
  }

  aggregate<VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>, materialized?: Materialized<K, VA>, named?: Named): KTable<Windowed<K>, VA> {
    requireFn(initializer, 'aggregate', 'initializer');
    requireFn(aggregator, 'aggregate', 'aggregator');
    return this.build(AGGREGATE, materialized, named, materialized?.valueSerde, { initializer, aggregator: aggregator as AggregateFolder });
  }

  private build<VA>(
    prefix: string,
    m: Materialized<K, VA> | undefined,
    named: Named | undefined,
    valueSerde: Serde<VA> | undefined,
    fns: Pick<WindowAggregateNode, 'initializer' | 'aggregator'>,
  ): KTable<Windowed<K>, VA> {
    const plan = planFor(this.windows);
    const retentionMs = windowStoreRetention(m, plan.minRetentionMs, plan.retentionWhat);
    const innerKeySerde = m?.keySerde ?? this.grouped.keySerde;
    const keySerdeOut = innerKeySerde && plan.windowSizeMs > 0 ? Serdes.timeWindowed(innerKeySerde, plan.windowSizeMs) : undefined;
    return this.grouped.addAggregation<VA>(
      prefix, 'timestamped-window', m, named, valueSerde,
      { ...fns, ...plan.settings, emitStrategy: this.strategy },
      // on-window-close: Kafka's time-ordered store (cached, except for sliding windows: SlidingWindowStoreMaterializer).
      { retentionMs, windowSizeMs: plan.windowSizeMs, ...(this.strategy === 'on-window-close' ? { timeOrdered: true, ...(plan.settings.op === 'slidingWindowAggregate' ? { caching: false } : {}) } : {}) },
      keySerdeOut,
    ) as unknown as KTable<Windowed<K>, VA>;
  }
}

import type { TimeWindowedKStream, EmitStrategy, Initializer, Aggregator, Reducer } from './kgrouped-stream.ts';
import type { KGroupedStreamImpl } from './kgrouped-stream-impl.ts';
import type { Materialized } from '../options/materialized.ts';
import type { Named } from '../options/named.ts';
import type { Serde } from '../serde/serde.ts';
import type { KTable } from '../ktable/ktable.ts';
import type { Windowed } from '../serde/windowed.ts';
import type { TimeWindows } from '../window/time-windows.ts';
import { requireFn } from '../kstream/kstream-impl.ts';
import { Serdes } from '../serde/serdes.ts';
import { windowStoreRetention, checkEmitStrategy } from './window-store-retention.ts';

const AGGREGATE = 'KSTREAM-AGGREGATE-';
const REDUCE = 'KSTREAM-REDUCE-';

/**
 * groupByKey().windowedBy(TimeWindows) (Kafka Streams' TimeWindowedKStreamImpl): a `windowAggregate` node over a
 * timestamped window store kept for size + grace. The resulting table's key serde is the time-windowed serde.
 */
export class TimeWindowedKStreamImpl<K, V> implements TimeWindowedKStream<K, V> {
  constructor(
    private readonly grouped: KGroupedStreamImpl<K, V>,
    readonly windows: TimeWindows,
    readonly strategy: EmitStrategy = 'on-window-update',
  ) {}

  emitStrategy(strategy: EmitStrategy): TimeWindowedKStream<K, V> {
    checkEmitStrategy(strategy);
    return new TimeWindowedKStreamImpl(this.grouped, this.windows, strategy);
  }

  count(materialized?: Materialized<K, number>, named?: Named): KTable<Windowed<K>, number> {
    // Kafka Streams burns a store name here for topology compatibility; so do we, to keep generated names equal.
    if (materialized?.storeName === undefined) this.grouped.ctx.storeNameOr(undefined, AGGREGATE);
    const m = { ...materialized, valueSerde: materialized?.valueSerde ?? Serdes.Long() } as Materialized<K, number>;
    return this.build(AGGREGATE, m, named, m.valueSerde, { initializer: () => 0, aggregator: (_k: K, _v: V, agg: number) => agg + 1 });
  }

  reduce(reducer: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<Windowed<K>, V> {
    requireFn(reducer, 'reduce', 'reducer');
    return this.build(REDUCE, materialized, named, materialized?.valueSerde ?? this.grouped.valueSerde, { reducer });
  }

  aggregate<VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>, materialized?: Materialized<K, VA>, named?: Named): KTable<Windowed<K>, VA> {
    requireFn(initializer, 'aggregate', 'initializer');
    requireFn(aggregator, 'aggregate', 'aggregator');
    return this.build(AGGREGATE, materialized, named, materialized?.valueSerde, { initializer, aggregator });
  }

  private build<VA>(prefix: string, m: Materialized<K, VA> | undefined, named: Named | undefined, valueSerde: Serde<VA> | undefined, fns: Record<string, unknown>): KTable<Windowed<K>, VA> {
    const w = this.windows;
    const retentionMs = windowStoreRetention(m, w.sizeMs + w.graceMs, 'its window size plus the grace period');
    const innerKeySerde = m?.keySerde ?? this.grouped.keySerde;
    const keySerdeOut = innerKeySerde ? Serdes.timeWindowed(innerKeySerde, w.sizeMs) : undefined;
    return this.grouped.addAggregation<VA>(
      'windowAggregate', prefix, 'timestamped-window', m, named, valueSerde,
      { ...fns, sizeMs: w.sizeMs, advanceMs: w.advanceMs, graceMs: w.graceMs, emitStrategy: this.strategy, windowCloseGraceMs: w.graceMs },
      { retentionMs, windowSizeMs: w.sizeMs },
      keySerdeOut,
    ) as unknown as KTable<Windowed<K>, VA>;
  }
}

import type { TimeWindowedKStream, EmitStrategy, Initializer, Aggregator, Reducer } from './kgrouped-stream.ts';
import type { KGroupedStreamImpl } from './kgrouped-stream-impl.ts';
import type { Materialized } from '../options/materialized.ts';
import type { Named } from '../options/named.ts';
import type { Serde } from '../serde/serde.ts';
import type { KTable } from '../ktable/ktable.ts';
import type { Windowed } from '../serde/windowed.ts';
import type { SlidingWindows } from '../window/sliding-windows.ts';
import { requireFn } from '../kstream/kstream-impl.ts';
import { Serdes } from '../serde/serdes.ts';
import { windowStoreRetention, checkEmitStrategy } from './window-store-retention.ts';

const AGGREGATE = 'KSTREAM-AGGREGATE-';
const REDUCE = 'KSTREAM-REDUCE-';

/**
 * groupByKey().windowedBy(SlidingWindows) (Kafka Streams' SlidingWindowedKStreamImpl): a `slidingWindowAggregate`
 * node over a timestamped window store kept for 2 × time difference + grace (the processor reads windows up to
 * 2 × time difference back). Windows are [start, start + timeDifference], both inclusive.
 */
export class SlidingWindowedKStreamImpl<K, V> implements TimeWindowedKStream<K, V> {
  constructor(
    private readonly grouped: KGroupedStreamImpl<K, V>,
    readonly windows: SlidingWindows,
    readonly strategy: EmitStrategy = 'on-window-update',
  ) {}

  emitStrategy(strategy: EmitStrategy): TimeWindowedKStream<K, V> {
    checkEmitStrategy(strategy);
    return new SlidingWindowedKStreamImpl(this.grouped, this.windows, strategy);
  }

  count(materialized?: Materialized<K, number>, named?: Named): KTable<Windowed<K>, number> {
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
    const td = w.timeDifferenceMs;
    const retentionMs = windowStoreRetention(m, 2 * td + w.graceMs, 'twice the time difference plus the grace period');
    const innerKeySerde = m?.keySerde ?? this.grouped.keySerde;
    // The time-windowed serde needs a positive size; a zero time difference gives [t, t] windows whose key
    // then needs an explicit serde downstream.
    const keySerdeOut = innerKeySerde && td > 0 ? Serdes.timeWindowed(innerKeySerde, td) : undefined;
    return this.grouped.addAggregation<VA>(
      'slidingWindowAggregate', prefix, 'timestamped-window', m, named, valueSerde,
      { ...fns, timeDifferenceMs: td, graceMs: w.graceMs, emitStrategy: this.strategy, windowCloseGraceMs: w.graceMs },
      { retentionMs, windowSizeMs: td },
      keySerdeOut,
    ) as unknown as KTable<Windowed<K>, VA>;
  }
}

import type { SessionWindowedKStream, EmitStrategy, Initializer, Aggregator, Reducer, Merger } from './kgrouped-stream.ts';
import type { KGroupedStreamImpl } from './kgrouped-stream-impl.ts';
import type { Materialized } from '../options/materialized.ts';
import type { Named } from '../options/named.ts';
import type { Serde } from '../serde/serde.ts';
import type { KTable } from '../ktable/ktable.ts';
import type { Windowed } from '../serde/windowed.ts';
import type { SessionWindows } from '../window/session-windows.ts';
import type { SessionWindowAggregateNode } from '../graph/nodes/aggregation-nodes.ts';
import type { AggregateFolder, SessionMerger } from '../graph/nodes/node-functions.ts';
import { requireFn } from '../kstream/kstream-impl.ts';
import { Serdes } from '../serde/serdes.ts';
import { windowStoreRetention, checkEmitStrategy, aggregatorForReducer, reduceInitializer } from './window-store-retention.ts';

const AGGREGATE = 'KSTREAM-AGGREGATE-';
const REDUCE = 'KSTREAM-REDUCE-';

/**
 * groupByKey().windowedBy(SessionWindows) (Kafka Streams' SessionWindowedKStreamImpl): a `sessionWindowAggregate`
 * node over a session store (plain values) kept for gap + grace. The table's key serde is the session-windowed serde.
 */
export class SessionWindowedKStreamImpl<K, V> implements SessionWindowedKStream<K, V> {
  constructor(
    private readonly grouped: KGroupedStreamImpl<K, V>,
    readonly windows: SessionWindows,
    readonly strategy: EmitStrategy = 'on-window-update',
  ) {}

  emitStrategy(strategy: EmitStrategy): SessionWindowedKStream<K, V> {
    checkEmitStrategy(strategy);
    return new SessionWindowedKStreamImpl(this.grouped, this.windows, strategy);
  }

  count(materialized?: Materialized<K, number>, named?: Named): KTable<Windowed<K>, number> {
    this.grouped.takeCountStoreIndex(materialized);
    const m = { ...materialized, valueSerde: materialized?.valueSerde ?? Serdes.Long() } as Materialized<K, number>;
    return this.build(AGGREGATE, m, named, m.valueSerde, {
      initializer: () => 0,
      aggregator: (_k: unknown, _v: unknown, agg: unknown) => (agg as number) + 1,
      merger: (_k: unknown, a: unknown, b: unknown) => (a as number) + (b as number),
    });
  }

  reduce(reducer: Reducer<V>, materialized?: Materialized<K, V>, named?: Named): KTable<Windowed<K>, V> {
    requireFn(reducer, 'reduce', 'reducer');
    const aggregator = aggregatorForReducer<K, V>(reducer);
    // Kafka's mergerForAggregator: merging sessions folds the other session's aggregate in as a value.
    const merger = (k: K, one: V | null, two: V) => aggregator(k, two, one);
    return this.build(REDUCE, materialized, named, materialized?.valueSerde ?? this.grouped.valueSerde, {
      initializer: reduceInitializer, aggregator: aggregator as AggregateFolder, merger: merger as SessionMerger,
    });
  }

  aggregate<VA>(initializer: Initializer<VA>, aggregator: Aggregator<K, V, VA>, sessionMerger: Merger<K, VA>, materialized?: Materialized<K, VA>, named?: Named): KTable<Windowed<K>, VA> {
    requireFn(initializer, 'aggregate', 'initializer');
    requireFn(aggregator, 'aggregate', 'aggregator');
    requireFn(sessionMerger, 'aggregate', 'sessionMerger');
    return this.build(AGGREGATE, materialized, named, materialized?.valueSerde, {
      initializer, aggregator: aggregator as AggregateFolder, merger: sessionMerger as SessionMerger,
    });
  }

  private build<VA>(
    prefix: string,
    m: Materialized<K, VA> | undefined,
    named: Named | undefined,
    valueSerde: Serde<VA> | undefined,
    fns: Pick<SessionWindowAggregateNode, 'initializer' | 'aggregator' | 'merger'>,
  ): KTable<Windowed<K>, VA> {
    const w = this.windows;
    const retentionMs = windowStoreRetention(m, w.gapMs + w.graceMs, 'its inactivity gap plus the grace period (session)');
    const innerKeySerde = m?.keySerde ?? this.grouped.keySerde;
    const keySerdeOut = innerKeySerde ? Serdes.sessionWindowed(innerKeySerde) : undefined;
    return this.grouped.addAggregation<VA>(
      prefix, 'session', m, named, valueSerde,
      // suppress(untilWindowCloses) waits gap + grace past a session's end (Kafka's GraphGraceSearchUtil).
      { op: 'sessionWindowAggregate', ...fns, gapMs: w.gapMs, graceMs: w.graceMs, emitStrategy: this.strategy, windowCloseGraceMs: w.gapMs + w.graceMs },
      // on-window-close: Kafka's time-ordered session store, never cached (SessionStoreMaterializer).
      { retentionMs, ...(this.strategy === 'on-window-close' ? { timeOrdered: true, caching: false } : {}) },
      keySerdeOut,
    ) as unknown as KTable<Windowed<K>, VA>;
  }
}

import type { ProcessorNodeBase } from './node-base.ts';
import type { AggregateInitializer, AggregateFolder, ValueReducer, SessionMerger } from './node-functions.ts';
import type { EmitStrategy } from '../../grouped/kgrouped-stream.ts';

/** KGroupedStream#aggregate and #count: folds each record into the aggregate of its key, kept in `store`. */
export interface AggregateNode extends ProcessorNodeBase {
  readonly op: 'aggregate';
  readonly initializer: AggregateInitializer;
  readonly aggregator: AggregateFolder;
  readonly store: string;
}

/** KGroupedStream#reduce: the first value of a key is its aggregate; later ones are reduced into it. */
export interface ReduceNode extends ProcessorNodeBase {
  readonly op: 'reduce';
  readonly reducer: ValueReducer;
  readonly store: string;
}

/** What every windowed aggregation has. A windowed reduce is recorded as an aggregate from a null initial aggregate. */
interface WindowedAggregationBase extends ProcessorNodeBase {
  readonly initializer: AggregateInitializer;
  readonly aggregator: AggregateFolder;
  readonly graceMs: number;
  readonly emitStrategy: EmitStrategy;
  /** How long past a window's end suppress(untilWindowCloses) downstream waits (Kafka's GraphGraceSearchUtil). */
  readonly windowCloseGraceMs: number;
  /** The window (or session) store of the aggregates. */
  readonly store: string;
}

/** TimeWindowedKStream over tumbling or hopping windows [start, start + size). */
export interface WindowAggregateNode extends WindowedAggregationBase {
  readonly op: 'windowAggregate';
  readonly sizeMs: number;
  readonly advanceMs: number;
}

/** TimeWindowedKStream over sliding windows [start, start + timeDifference], both inclusive. */
export interface SlidingWindowAggregateNode extends WindowedAggregationBase {
  readonly op: 'slidingWindowAggregate';
  readonly timeDifferenceMs: number;
}

/** SessionWindowedKStream: sessions of a key closer than `gapMs` merge. */
export interface SessionWindowAggregateNode extends WindowedAggregationBase {
  readonly op: 'sessionWindowAggregate';
  readonly merger: SessionMerger;
  readonly gapMs: number;
}

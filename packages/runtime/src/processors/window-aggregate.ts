import type { WindowAggregateNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, WindowStore, StreamRecord } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import { WindowedAggregation } from './windowed-aggregation.ts';

/**
 * TimeWindowedKStream count/reduce/aggregate over tumbling or hopping windows (Kafka Streams'
 * KStreamWindowAggregate). Stream time is the largest timestamp this processor has seen; a window [start, end)
 * accepts a record while end > streamTime − grace, else the record is dropped for that window and counted
 * ('late-record', once per expired window, as Kafka counts). The aggregate's timestamp is the largest record
 * timestamp in the window. With emitStrategy('on-window-close') nothing is forwarded on update; after each
 * record has been aggregated, every window that closed since the last emit (end <= streamTime − grace) and that
 * the store still holds is forwarded once, ordered by window start then key — so a closed window that this
 * record's own write expires from the store is never emitted, as in Kafka (the store is Kafka's time-ordered one:
 * see spec.timeOrdered). That look is throttled by the wall clock (Kafka's emit interval, see WindowedAggregation).
 * Records with a null key are dropped ('null-key'); null values are passed to the aggregator, as in Kafka.
 * When the store caches (Materialized caching, on by default) updates go out when the cache writes them down — on
 * commit or eviction — only the latest per window, with the headers of its last write (Kafka's
 * TimestampedTupleForwarder); on window close the cache forwards nothing.
 */
export const windowAggregate: ProcessorFactory<WindowAggregateNode> = (node, env) => {
  const { initializer, aggregator, sizeMs, advanceMs, graceMs } = node;
  const aggregation = new WindowedAggregation(node, env);
  let store: WindowStore<unknown, ValueAndTimestamp<unknown>>;

  /** Window starts containing t: the multiples of advance in [t − size + 1, t], none below 0 (Kafka's windowsFor). */
  const sameWindows = (t1: number, t2: number): boolean =>
    Math.floor(Math.max(0, t1 - sizeMs + advanceMs) / advanceMs) === Math.floor(Math.max(0, t2 - sizeMs + advanceMs) / advanceMs) &&
    Math.floor(t1 / advanceMs) === Math.floor(t2 / advanceMs);

  /** Kafka's maybeForwardFinalResult (KStreamWindowAggregate's emit range): the windows ending by the close time. */
  const maybeForwardFinal = (r: StreamRecord<unknown, unknown>, windowCloseTime: number): void => {
    if (!aggregation.shouldEmitFinal(windowCloseTime)) return;
    const upper = windowCloseTime - sizeMs; // inclusive: windows with end <= close time
    if (upper < 0) return;
    const last = aggregation.lastEmitWindowCloseTime;
    const lower = last === -1 ? 0 : Math.max(0, last - sizeMs) + 1;
    // Kafka's shouldRangeFetch: no look when the closed range gained no window
    if (last !== -1 && sameWindows(upper, lower - 1)) return;
    aggregation.forwardClosedWindows(r, store, lower, upper, sizeMs, windowCloseTime);
  };

  return {
    init(c: ProcessorContext<any, any>) {
      store = aggregation.init(c);
    },
    process(r) {
      if (r.key === null || r.key === undefined) {
        aggregation.drop('null-key');
        return;
      }
      const timestamp = r.timestamp;
      const windowCloseTime = aggregation.observe(timestamp) - graceMs;
      let start = Math.max(0, timestamp - sizeMs + advanceMs);
      start -= start % advanceMs;
      for (; start <= timestamp; start += advanceMs) {
        const end = start + sizeMs;
        if (end <= windowCloseTime) {
          aggregation.drop('late-record');
          continue;
        }
        const old = store.fetch(r.key, start);
        let oldAgg: unknown = old === undefined || old === null ? null : old.value;
        let newTimestamp: number;
        if (oldAgg === null || oldAgg === undefined) {
          oldAgg = initializer();
          newTimestamp = timestamp;
        } else {
          newTimestamp = Math.max(timestamp, old!.timestamp);
        }
        const newAgg = aggregator(r.key, r.value, oldAgg);
        store.put(r.key, { value: newAgg, timestamp: newTimestamp }, start);
        aggregation.updates?.maybeForward({ key: r.key, window: { start, end } }, newAgg, oldAgg, newTimestamp, r.headers);
      }
      if (aggregation.onWindowClose) maybeForwardFinal(r, windowCloseTime);
    },
  };
};

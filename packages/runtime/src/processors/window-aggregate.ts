import type { WindowAggregateNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, WindowStore, StreamRecord } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import { TableForwarder } from '../state/table-forwarder.ts';
import { storeHooks } from '../state/task-stores.ts';
import { change } from '../task/change.ts';

/**
 * TimeWindowedKStream count/reduce/aggregate over tumbling or hopping windows (Kafka Streams'
 * KStreamWindowAggregate). Stream time is the largest timestamp this processor has seen; a window [start, end)
 * accepts a record while end > streamTime − grace, else the record is dropped for that window and counted
 * ('late-record', once per expired window, as Kafka counts). The aggregate's timestamp is the largest record
 * timestamp in the window. With emitStrategy('on-window-close') nothing is forwarded on update; after each
 * record has been aggregated, every window that closed since the last emit (end <= streamTime − grace) and that
 * the store still holds is forwarded once, ordered by window start then key — so a closed window that this
 * record's own write expires from the store is never emitted, as in Kafka (the store is Kafka's time-ordered one:
 * see spec.timeOrdered). That look is throttled by the wall clock (Kafka's emit interval, see maybeForwardFinal).
 * Records with a null key are dropped ('null-key'); null values are passed to the aggregator, as in Kafka.
 * When the store caches (Materialized caching, on by default) updates go out when the cache writes them down — on
 * commit or eviction — only the latest per window, with the headers of its last write (Kafka's
 * TimestampedTupleForwarder); on window close the cache forwards nothing.
 */
export const windowAggregate: ProcessorFactory<WindowAggregateNode> = (node, env) => {
  const { initializer, aggregator, sizeMs, advanceMs, graceMs, store: storeName } = node;
  const onClose = node.emitStrategy === 'on-window-close';
  const sendOldValues = env.sendOldValues(node.name);
  let ctx: ProcessorContext<any, any>;
  let store: WindowStore<unknown, ValueAndTimestamp<unknown>>;
  /** Updates go out through it (immediately, or on cache flush when the store caches); none on window close. */
  let forwarder: TableForwarder<unknown, unknown> | undefined;
  let observedStreamTime = -1;
  let lastEmitWindowCloseTime = -1;
  /** Wall-clock time of the next look for closed windows (Kafka's TimeTracker: 0, so the first record looks). */
  let nextTimeToEmit = 0;
  const emitIntervalMs = env.emitIntervalMs.onWindowClose;

  /** Window starts containing t: the multiples of advance in [t − size + 1, t], none below 0 (Kafka's windowsFor). */
  const sameWindows = (t1: number, t2: number): boolean =>
    Math.floor(Math.max(0, t1 - sizeMs + advanceMs) / advanceMs) === Math.floor(Math.max(0, t2 - sizeMs + advanceMs) / advanceMs) &&
    Math.floor(t1 / advanceMs) === Math.floor(t2 / advanceMs);

  /**
   * Kafka's maybeForwardFinalResult (AbstractKStreamTimeWindowAggregateProcessor, after the record's writes): at
   * most once per emit interval of wall-clock time — checked when a record is processed, the next check scheduled
   * from now whether or not a window closed — forwards the windows closed since the last emit.
   */
  const maybeForwardFinal = (r: StreamRecord<unknown, unknown>, windowCloseTime: number): void => {
    const now = ctx.currentSystemTimeMs();
    if (now < nextTimeToEmit) return;
    nextTimeToEmit = now + emitIntervalMs;
    if (lastEmitWindowCloseTime !== -1 && lastEmitWindowCloseTime >= windowCloseTime) return;
    const upper = windowCloseTime - sizeMs; // inclusive: windows with end <= close time
    if (upper < 0) return;
    const lower = lastEmitWindowCloseTime === -1 ? 0 : Math.max(0, lastEmitWindowCloseTime - sizeMs) + 1;
    // Kafka's shouldRangeFetch: no look when the closed range gained no window
    if (lastEmitWindowCloseTime !== -1 && sameWindows(upper, lower - 1)) return;
    for (const kv of store.fetchAll(lower, upper)) {
      const start = kv.key.window.start;
      ctx.forward({
        key: { key: kv.key.key, window: { start, end: start + sizeMs } },
        value: change(kv.value.value, null),
        timestamp: kv.value.timestamp,
        headers: r.headers,
      });
    }
    lastEmitWindowCloseTime = windowCloseTime;
  };

  return {
    init(c: ProcessorContext<any, any>) {
      ctx = c;
      store = c.getStateStore(storeName);
      // On window close nothing goes out on update, nor on cache flush (as Kafka: no flush listener then).
      if (!onClose) forwarder = new TableForwarder(c, storeName, storeHooks(c), sendOldValues);
    },
    process(r) {
      if (r.key === null || r.key === undefined) {
        env.metrics.drop('null-key', node.name);
        return;
      }
      const timestamp = r.timestamp;
      if (timestamp > observedStreamTime) observedStreamTime = timestamp;
      const windowCloseTime = observedStreamTime - graceMs;
      let start = Math.max(0, timestamp - sizeMs + advanceMs);
      start -= start % advanceMs;
      for (; start <= timestamp; start += advanceMs) {
        const end = start + sizeMs;
        if (end <= windowCloseTime) {
          env.metrics.drop('late-record', node.name);
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
        forwarder?.maybeForward({ key: r.key, window: { start, end } }, newAgg, oldAgg, newTimestamp, r.headers);
      }
      if (onClose) maybeForwardFinal(r, windowCloseTime);
    },
  };
};

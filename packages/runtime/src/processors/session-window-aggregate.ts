import type { SessionWindowAggregateNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, StreamRecord } from '../internal-types.ts';
import type { MeteredSessionStore, Windowed, KeyValue } from '@ts-streams/state';
import { WindowedAggregation } from './windowed-aggregation.ts';

/**
 * SessionWindowedKStream count/reduce/aggregate (Kafka Streams' KStreamSessionWindowAggregate). A record at t
 * merges every session of its key that ends at or after t − gap and starts at or before t + gap into one session
 * (merged aggregates combined with the session merger, then the record aggregated in). When the merged session
 * differs from [t, t], each merged-away session is removed and a tombstone is forwarded for it (timestamp = its
 * end), then the new session goes out (timestamp = its end; old value null, as in Kafka). A record whose merged
 * session ends before streamTime − gap − grace is dropped ('late-record'); a null key is dropped ('null-key').
 * emitStrategy('on-window-close') instead forwards each session once when streamTime − gap − grace passes its end:
 * after each record has been aggregated, the sessions closed since the last emit that the store still holds, read
 * by end across keys (Kafka's time-ordered session store, whose retention applies per whole segment) — so sessions
 * whose segment this record's own write drops are never emitted, as in Kafka. That look is throttled by the wall
 * clock (Kafka's emit interval, see WindowedAggregation).
 * A caching store forwards updates when it writes them down (commit or eviction), the latest per session: a session
 * created and merged away between two commits never goes out, and one removed and put again (a record inside it)
 * goes out once with its old value — as Kafka with caching.
 */
export const sessionWindowAggregate: ProcessorFactory<SessionWindowAggregateNode> = (node, env) => {
  const { initializer, aggregator, merger, gapMs, graceMs } = node;
  const aggregation = new WindowedAggregation(node, env);
  let store: MeteredSessionStore<unknown, unknown>;

  /** Kafka's maybeForwardFinalResult (KStreamSessionWindowAggregate's emit range): the sessions ending in [last close time, close time). */
  const maybeForwardFinal = (r: StreamRecord<unknown, unknown>, windowCloseTime: number): void => {
    if (!aggregation.shouldEmitFinal(windowCloseTime)) return;
    const upper = windowCloseTime - 1;
    if (upper < 0) return;
    const lower = Math.max(0, aggregation.lastEmitWindowCloseTime);
    // Kafka's shouldRangeFetch: a range of one end is worth a fetch
    if (upper < lower) return;
    aggregation.forwardClosedSessions(r, store, lower, upper, windowCloseTime);
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
      const t = r.timestamp;
      const windowCloseTime = aggregation.observe(t) - graceMs - gapMs;
      const merged: KeyValue<Windowed<unknown>, unknown>[] = [];
      let start = t;
      let end = t;
      let agg = initializer();
      for (const kv of store.findSessions(r.key, t - gapMs, t + gapMs)) {
        merged.push(kv);
        agg = merger(r.key, agg, kv.value);
        if (kv.key.window.start < start) start = kv.key.window.start;
        if (kv.key.window.end > end) end = kv.key.window.end;
      }
      if (end < windowCloseTime) {
        aggregation.drop('late-record');
      } else {
        if (start !== t || end !== t) {
          for (const kv of merged) {
            store.remove(kv.key);
            aggregation.updates?.maybeForward({ key: kv.key.key, window: { start: kv.key.window.start, end: kv.key.window.end } }, null, kv.value, kv.key.window.end, r.headers);
          }
        }
        agg = aggregator(r.key, r.value, agg);
        const sessionKey = { key: r.key, window: { start, end } };
        store.put(sessionKey, agg);
        aggregation.updates?.maybeForward(sessionKey, agg, null, end, r.headers);
      }
      if (aggregation.onWindowClose) maybeForwardFinal(r, windowCloseTime);
    },
  };
};

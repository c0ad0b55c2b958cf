import type { SessionWindowAggregateNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, StreamRecord } from '../internal-types.ts';
import type { MeteredSessionStore, Windowed, KeyValue } from '@ts-streams/state';
import { TableForwarder } from '../state/table-forwarder.ts';
import { storeHooks } from '../state/task-stores.ts';
import { change } from '../task/change.ts';

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
 * clock (Kafka's emit interval, see maybeForwardFinal).
 * A caching store forwards updates when it writes them down (commit or eviction), the latest per session: a session
 * created and merged away between two commits never goes out, and one removed and put again (a record inside it)
 * goes out once with its old value — as Kafka with caching.
 */
export const sessionWindowAggregate: ProcessorFactory<SessionWindowAggregateNode> = (node, env) => {
  const { initializer, aggregator, merger, gapMs, graceMs, store: storeName } = node;
  const onClose = node.emitStrategy === 'on-window-close';
  const sendOldValues = env.sendOldValues(node.name);
  let ctx: ProcessorContext<any, any>;
  let store: MeteredSessionStore<unknown, unknown>;
  /** Updates go out through it (immediately, or on cache flush when the store caches); none on window close. */
  let forwarder: TableForwarder<unknown, unknown> | undefined;
  let observedStreamTime = -1;
  let lastEmitWindowCloseTime = -1;
  /** Wall-clock time of the next look for closed sessions (Kafka's TimeTracker: 0, so the first record looks). */
  let nextTimeToEmit = 0;
  const emitIntervalMs = env.emitIntervalMs.onWindowClose;

  /**
   * Kafka's maybeForwardFinalResult (KStreamSessionWindowAggregate, after the record's writes): at most once per emit
   * interval of wall-clock time — checked when a record is processed, the next check scheduled from now whether or
   * not a session closed — forwards the sessions ending in [last close time, close time).
   */
  const maybeForwardFinal = (r: StreamRecord<unknown, unknown>, windowCloseTime: number): void => {
    const now = ctx.currentSystemTimeMs();
    if (now < nextTimeToEmit) return;
    nextTimeToEmit = now + emitIntervalMs;
    if (lastEmitWindowCloseTime !== -1 && lastEmitWindowCloseTime >= windowCloseTime) return;
    const upper = windowCloseTime - 1;
    if (upper < 0) return;
    const lower = Math.max(0, lastEmitWindowCloseTime);
    if (upper < lower) return;
    for (const kv of store.findSessionsByEnd(lower, upper)) {
      const { start, end } = kv.key.window;
      ctx.forward({ key: { key: kv.key.key, window: { start, end } }, value: change(kv.value, null), timestamp: end, headers: r.headers });
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
      const t = r.timestamp;
      if (t > observedStreamTime) observedStreamTime = t;
      const windowCloseTime = observedStreamTime - graceMs - gapMs;
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
        env.metrics.drop('late-record', node.name);
      } else {
        if (start !== t || end !== t) {
          for (const kv of merged) {
            store.remove(kv.key);
            forwarder?.maybeForward({ key: kv.key.key, window: { start: kv.key.window.start, end: kv.key.window.end } }, null, kv.value, kv.key.window.end, r.headers);
          }
        }
        agg = aggregator(r.key, r.value, agg);
        const sessionKey = { key: r.key, window: { start, end } };
        store.put(sessionKey, agg);
        forwarder?.maybeForward(sessionKey, agg, null, end, r.headers);
      }
      if (onClose) maybeForwardFinal(r, windowCloseTime);
    },
  };
};

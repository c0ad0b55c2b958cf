import type { StreamJoinWindowNode, StreamStreamJoinNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, KeyValueStore, WindowStore, StreamRecord } from '../internal-types.ts';
import { EmitSchedule } from './emit-schedule.ts';

interface TimestampedKeyAndJoinSide { readonly key: unknown; readonly timestamp: number; readonly leftSide: boolean }
interface LeftOrRightValue { readonly leftSide: boolean; readonly value: unknown }
type OuterStore = KeyValueStore<TimestampedKeyAndJoinSide, LeftOrRightValue[]>;

/**
 * Kafka Streams' TimeTracker: shared by both sides of one join in one task (keyed by the shared outer store).
 * minTime is NO_HELD_RECORD when nothing is known to be held; emits throttles the looks for closed non-matches.
 */
interface TimeTracker { streamTime: number; minTime: number; readonly emits: EmitSchedule }
/** Kafka's Long.MAX_VALUE for minTime. */
const NO_HELD_RECORD = Number.MAX_SAFE_INTEGER;
const trackers = new WeakMap<object, TimeTracker>();

/**
 * KSTREAM-WINDOWED- (Kafka Streams' KStreamJoinWindow): forwards the record to its join node, then puts it
 * into this side's window store (records with a null key are never joined and not stored).
 */
export const streamJoinWindow: ProcessorFactory<StreamJoinWindowNode> = (node) => {
  const storeName = node.store;
  let ctx: ProcessorContext<any, any>;
  let store: WindowStore<unknown, unknown>;
  return {
    init(c) {
      ctx = c;
      store = c.getStateStore(storeName);
    },
    process(r) {
      ctx.forward(r);
      if (r.key !== null && r.key !== undefined) store.put(r.key, r.value ?? null, r.timestamp);
    },
  };
};

/**
 * One side of a windowed stream-stream join (Kafka Streams' KStreamKStreamJoin with the Left/RightSide
 * variants). A record of this side matches the other side's records with other.ts in
 * [ts − joinBefore, ts + joinAfter] (before/after swapped for the right side); each match is emitted at
 * once with timestamp max(both). In left/outer joins a record without a match is held in the shared outer
 * store and emitted with a null partner only once stream time (the largest timestamp either side has seen)
 * passes its window end + grace, unless a match arrives first — looked for at most once per emit interval of
 * wall-clock time (see emitNonJoinedOuterRecords). Records with a null key or value are dropped,
 * except that an outer side forwards a null-key record with a null partner at once.
 */
export const streamStreamJoin: ProcessorFactory<StreamStreamJoinNode> = (node, env) => {
  const { joiner: userJoiner, outer, otherStore: otherStoreName, outerStore: outerStoreName } = node;
  const { joinBeforeMs, joinAfterMs, windowBeforeMs, windowAfterMs, graceMs } = node;
  const leftSide = node.side === 'left';
  const emitIntervalMs = env.emitIntervalMs.outerJoinNonMatches;
  /** Calls the user's joiner with (left value, right value, key), whichever side this is. */
  const joinValues = leftSide
    ? (key: unknown, thisValue: unknown, otherValue: unknown) => userJoiner(thisValue, otherValue, key)
    : (key: unknown, thisValue: unknown, otherValue: unknown) => userJoiner(otherValue, thisValue, key);

  let ctx: ProcessorContext<any, any>;
  let otherStore: WindowStore<unknown, unknown>;
  let outerStore: OuterStore | undefined;
  let tracker: TimeTracker;

  const isOuterWindowOpen = (k: TimestampedKeyAndJoinSide): boolean => {
    // left-side records look back (after), right-side records look forward (before)
    const lookBack = k.leftSide ? windowAfterMs : windowBeforeMs;
    return tracker.minTime + lookBack + graceMs >= tracker.streamTime;
  };

  /**
   * Kafka's emitNonJoinedOuterRecords: only when a held record may have closed, and at most once per emit interval of
   * wall-clock time (the next look due `interval` after this one), forwards the held records whose window closed.
   */
  const emitNonJoinedOuterRecords = (store: OuterStore, r: StreamRecord<unknown, unknown>): void => {
    // Kafka computes minTime + after + grace in Java longs: with minTime at Long.MAX_VALUE and after + grace > 0
    // that overflows negative, so an empty store still goes on to the throttle (and takes its turn).
    if (tracker.minTime === NO_HELD_RECORD ? joinAfterMs + graceMs <= 0 : tracker.minTime + joinAfterMs + graceMs >= tracker.streamTime) return;
    if (!tracker.emits.due(ctx.currentSystemTimeMs())) return;
    tracker.minTime = NO_HELD_RECORD;
    let leftOpen = false;
    let rightOpen = false;
    for (const { key: tk, value: list } of store.all()) {
      tracker.minTime = tk.timestamp;
      if (leftOpen && rightOpen) break;
      if (isOuterWindowOpen(tk)) {
        if (tk.leftSide) leftOpen = true;
        else rightOpen = true;
        continue;
      }
      for (const v of list) {
        const value = v.leftSide ? userJoiner(v.value, null, tk.key) : userJoiner(null, v.value, tk.key);
        ctx.forward({ key: tk.key, value, timestamp: tk.timestamp, headers: r.headers });
      }
      store.put(tk, null);
    }
  };

  return {
    init(c) {
      ctx = c;
      otherStore = c.getStateStore(otherStoreName);
      if (outerStoreName !== undefined) {
        const store = c.getStateStore<OuterStore>(outerStoreName);
        outerStore = store;
        let t = trackers.get(store);
        if (!t) trackers.set(store, (t = { streamTime: -1, minTime: NO_HELD_RECORD, emits: new EmitSchedule(emitIntervalMs) }));
        tracker = t;
      } else {
        tracker = { streamTime: -1, minTime: NO_HELD_RECORD, emits: new EmitSchedule(emitIntervalMs) };
      }
    },
    process(r) {
      const ts = r.timestamp;
      if (ts > tracker.streamTime) tracker.streamTime = ts;
      const keyMissing = r.key === null || r.key === undefined;
      const valueMissing = r.value === null || r.value === undefined;
      if (outer && keyMissing && !valueMissing) {
        ctx.forward({ key: r.key, value: joinValues(r.key, r.value, null), timestamp: ts, headers: r.headers });
        return;
      }
      if (keyMissing || valueMissing) {
        env.metrics.drop('null-key-or-value', node.name);
        return;
      }
      if (outerStore !== undefined && ts === tracker.streamTime) emitNonJoinedOuterRecords(outerStore, r);

      const timeFrom = Math.max(0, ts - joinBeforeMs);
      const timeTo = Math.max(0, ts + joinAfterMs);
      let matched = false;
      for (const { key: otherTs, value: otherValue } of otherStore.fetchRange(r.key, timeFrom, timeTo)) {
        matched = true;
        if (outerStore !== undefined) {
          const otherKey: TimestampedKeyAndJoinSide = { key: r.key, timestamp: otherTs, leftSide: !leftSide };
          if (outerStore.get(otherKey) !== undefined) outerStore.put(otherKey, null);
        }
        ctx.forward({ key: r.key, value: joinValues(r.key, r.value, otherValue), timestamp: Math.max(ts, otherTs), headers: r.headers });
      }
      if (outer && !matched) {
        if (outerStore === undefined || timeTo < tracker.streamTime) {
          ctx.forward({ key: r.key, value: joinValues(r.key, r.value, null), timestamp: ts, headers: r.headers });
        } else {
          if (ts < tracker.minTime) tracker.minTime = ts;
          const thisKey: TimestampedKeyAndJoinSide = { key: r.key, timestamp: ts, leftSide };
          const held = outerStore.get(thisKey);
          outerStore.put(thisKey, held ? [...held, { leftSide, value: r.value }] : [{ leftSide, value: r.value }]);
        }
      }
    },
    close() {
      if (outerStore !== undefined) trackers.delete(outerStore);
    },
  };
};

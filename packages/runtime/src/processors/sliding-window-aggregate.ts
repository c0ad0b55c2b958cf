import type { SlidingWindowAggregateNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, WindowStore, StreamRecord } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import { WindowedAggregation } from './windowed-aggregation.ts';
import { StreamsError } from '../errors/streams-error.ts';

type VAT = ValueAndTimestamp<unknown>;

/**
 * TimeWindowedKStream over SlidingWindows (Kafka Streams' KStreamSlidingWindowAggregate, reverse-iteration path).
 * Windows are [start, start + timeDifference], both inclusive, and exist only where their contents change: each
 * record creates its left window [t − d, t] and, if later records exist within d, its right window [t + 1, t + 1 + d],
 * and updates every existing window containing it. Records with a null key or value are dropped
 * ('null-key-or-value'); a record whose left window ended before streamTime − grace is dropped ('late-record'),
 * and so is its update of any individual window that has closed. Records earlier than d go to the [0, d] window.
 * Forwarded timestamps are the largest record timestamp in the window. emitStrategy('on-window-close') forwards
 * each window once when streamTime − grace passes its end, looking after the record's writes (those that the store
 * still holds), at most once per emit interval of wall-clock time (see WindowedAggregation); as in Kafka, neither a
 * late record nor one earlier than d triggers a look.
 * A caching store forwards updates when it writes them down (commit or eviction), the latest per window.
 */
export const slidingWindowAggregate: ProcessorFactory<SlidingWindowAggregateNode> = (node, env) => {
  const { initializer, aggregator, timeDifferenceMs: td, graceMs } = node;
  const aggregation = new WindowedAggregation(node, env);
  let store: WindowStore<unknown, VAT>;

  const forwardUpdate = (r: StreamRecord<unknown, unknown>, start: number, oldAgg: unknown, newAgg: unknown, ts: number): void => {
    aggregation.updates?.maybeForward({ key: r.key, window: { start, end: start + td } }, newAgg, oldAgg, ts, r.headers);
  };

  /** Kafka's updateWindowAndForward: aggregates the record into `valueAndTime` unless the window has closed. */
  const updateWindow = (r: StreamRecord<unknown, unknown>, start: number, valueAndTime: VAT | null, closeTime: number): void => {
    if (start + td >= closeTime) {
      const oldAgg = valueAndTime === null ? null : valueAndTime.value;
      const newAgg = aggregator(r.key, r.value, oldAgg);
      const newTs = oldAgg === null || oldAgg === undefined ? r.timestamp : Math.max(r.timestamp, valueAndTime!.timestamp);
      store.put(r.key, { value: newAgg, timestamp: newTs }, start);
      forwardUpdate(r, start, oldAgg, newAgg, newTs);
    } else {
      aggregation.drop('late-record');
    }
  };

  const createCurrentRecordRightWindow = (r: StreamRecord<unknown, unknown>, rightWinAgg: VAT): void => {
    const start = r.timestamp + 1;
    store.put(r.key, rightWinAgg, start);
    forwardUpdate(r, start, null, rightWinAgg.value, rightWinAgg.timestamp);
  };

  const createPreviousRecordRightWindow = (r: StreamRecord<unknown, unknown>, start: number, closeTime: number): void => {
    updateWindow(r, start, { value: initializer(), timestamp: r.timestamp }, closeTime);
  };

  const rightWindowIsNotEmpty = (rightWinAgg: VAT | null, t: number): rightWinAgg is VAT => rightWinAgg !== null && rightWinAgg.timestamp > t;

  const createWindows = (
    r: StreamRecord<unknown, unknown>, closeTime: number, starts: Set<number>, rightWinAgg: VAT | null, leftWinAgg: VAT | null,
    leftWinAlreadyCreated: boolean, rightWinAlreadyCreated: boolean, previousRecordTimestamp: number | null,
  ): void => {
    const t = r.timestamp;
    if (previousRecordTimestamp !== null) {
      const previousRightWinStart = previousRecordTimestamp + 1;
      if (!starts.has(previousRightWinStart) && previousRightWinStart + td >= t) createPreviousRecordRightWindow(r, previousRightWinStart, closeTime);
    }
    if (!leftWinAlreadyCreated) {
      const leftNotEmpty = previousRecordTimestamp !== null && t - td <= previousRecordTimestamp;
      const valueAndTime = leftNotEmpty ? { value: leftWinAgg!.value, timestamp: t } : { value: initializer(), timestamp: t };
      updateWindow(r, t - td, valueAndTime, closeTime);
    }
    if (!rightWinAlreadyCreated && rightWindowIsNotEmpty(rightWinAgg, t)) createCurrentRecordRightWindow(r, rightWinAgg);
  };

  const processReverse = (r: StreamRecord<unknown, unknown>, closeTime: number): void => {
    const t = r.timestamp;
    const starts = new Set<number>();
    let leftWinAgg: VAT | null = null;
    let rightWinAgg: VAT | null = null;
    let leftWinAlreadyCreated = false;
    let rightWinAlreadyCreated = false;
    let previousRecordTimestamp: number | null = null;
    for (const kv of store.fetchRange(r.key, Math.max(0, t - 2 * td), t + 1, true)) {
      const startTime = kv.key;
      starts.add(startTime);
      const endTime = startTime + td;
      const windowMaxRecordTimestamp = kv.value.timestamp;
      if (startTime === t + 1) {
        rightWinAlreadyCreated = true;
      } else if (endTime > t) {
        if (rightWinAgg === null) rightWinAgg = kv.value;
        updateWindow(r, startTime, kv.value, closeTime);
      } else if (endTime === t) {
        leftWinAlreadyCreated = true;
        updateWindow(r, startTime, kv.value, closeTime);
        if (windowMaxRecordTimestamp < t) previousRecordTimestamp = windowMaxRecordTimestamp;
        else return;
      } else if (endTime < t) {
        leftWinAgg = kv.value;
        previousRecordTimestamp = windowMaxRecordTimestamp;
        break;
      } else {
        throw new StreamsError(`Step '${node.name}': unexpected sliding window starting at ${startTime} for a record at ${t}.`);
      }
    }
    createWindows(r, closeTime, starts, rightWinAgg, leftWinAgg, leftWinAlreadyCreated, rightWinAlreadyCreated, previousRecordTimestamp);
  };

  /** Records with 0 <= t < d: their left window would start before 0, so they share the [0, d] window. */
  const processEarly = (r: StreamRecord<unknown, unknown>, closeTime: number): void => {
    const t = r.timestamp;
    let combined: { start: number; value: VAT } | null = null;
    let rightWinAgg: VAT | null = null;
    let rightWinAlreadyCreated = false;
    const starts = new Set<number>();
    let previousRecordTimestamp: number | null = null;
    for (const kv of store.fetchRange(r.key, 0, t + 1)) {
      const startTime = kv.key;
      starts.add(startTime);
      const windowMaxRecordTimestamp = kv.value.timestamp;
      if (startTime === 0) {
        combined = { start: 0, value: kv.value };
        if (windowMaxRecordTimestamp < t) previousRecordTimestamp = windowMaxRecordTimestamp;
      } else if (startTime <= t) {
        rightWinAgg = kv.value;
        updateWindow(r, startTime, kv.value, closeTime);
      } else if (startTime === t + 1) {
        rightWinAlreadyCreated = true;
      } else {
        throw new StreamsError(`Step '${node.name}': unexpected sliding window starting at ${startTime} for an early record at ${t}.`);
      }
    }
    if (rightWinAgg === null && combined !== null && combined.value.timestamp > t) rightWinAgg = combined.value;
    if (!rightWinAlreadyCreated && rightWindowIsNotEmpty(rightWinAgg, t)) createCurrentRecordRightWindow(r, rightWinAgg);
    if (previousRecordTimestamp !== null && !starts.has(previousRecordTimestamp + 1)) createPreviousRecordRightWindow(r, previousRecordTimestamp + 1, closeTime);
    if (combined === null) updateWindow(r, 0, { value: initializer(), timestamp: t }, closeTime);
    else updateWindow(r, 0, combined.value, closeTime);
  };

  /**
   * Kafka's maybeForwardFinalResult (KStreamSlidingWindowAggregate's emit range): the windows ending before the close
   * time, every one worth a fetch.
   */
  const maybeForwardFinal = (r: StreamRecord<unknown, unknown>, windowCloseTime: number): void => {
    if (!aggregation.shouldEmitFinal(windowCloseTime)) return;
    const upper = windowCloseTime - td - 1;
    if (upper < 0) return;
    const last = aggregation.lastEmitWindowCloseTime;
    const lower = last === -1 ? 0 : Math.max(0, last - td);
    aggregation.forwardClosedWindows(r, store, lower, upper, td, windowCloseTime);
  };

  return {
    init(c: ProcessorContext<any, any>) {
      store = aggregation.init(c);
    },
    process(r) {
      if (r.key === null || r.key === undefined || r.value === null || r.value === undefined) {
        aggregation.drop('null-key-or-value');
        return;
      }
      const t = r.timestamp;
      const closeTime = aggregation.observe(t) - graceMs;
      if (t + td < closeTime) {
        aggregation.drop('late-record');
        return;
      }
      if (t < td) {
        // As in Kafka, the early path does not run the on-window-close emit.
        processEarly(r, closeTime);
        return;
      }
      processReverse(r, closeTime);
      if (aggregation.onWindowClose) maybeForwardFinal(r, closeTime);
    },
  };
};

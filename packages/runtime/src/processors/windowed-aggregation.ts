import type { WindowAggregateNode, SlidingWindowAggregateNode, SessionWindowAggregateNode } from '@ts-streams/dsl';
import type { MeteredSessionStore } from '@ts-streams/state';
import type { CompileEnv } from '../compile/compile-env.ts';
import type { ProcessorContext, WindowStore, StreamRecord } from '../internal-types.ts';
import type { TaskMetrics } from '../task/task-metrics.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import { TableForwarder } from '../state/table-forwarder.ts';
import { storeHooks } from '../state/task-stores.ts';
import { change } from '../task/change.ts';
import { EmitSchedule } from './emit-schedule.ts';
import { processorMetadataOf, type ProcessorMetadata } from '../task/processor-metadata.ts';

/** The nodes of TimeWindowedKStream (tumbling, hopping, sliding) and SessionWindowedKStream aggregations. */
export type WindowedAggregateNode = WindowAggregateNode | SlidingWindowAggregateNode | SessionWindowAggregateNode;

/**
 * What the window, sliding-window and session aggregates share (Kafka Streams'
 * AbstractKStreamTimeWindowAggregateProcessor, whose mechanism KStreamSessionWindowAggregate repeats): the stream
 * time the processor has observed, the dropped-record metric, the forwarder of updates, and for
 * emitStrategy('on-window-close') the emit of final results — throttled by the wall clock (Kafka's shouldEmitFinal),
 * then, once the processor has found the range of closed windows to read, read and forwarded once each.
 * Where the windows lie (the emit range, whether it is worth a fetch) stays with each processor, as in Kafka.
 * The window close time of the last emit is kept in the task's processor metadata under the store's name, as Kafka
 * Streams keeps it: committed with the input offsets, it survives a restart or a move of the task (to or from Kafka
 * Streams), so windows emitted before are not emitted again.
 * One per processor instance, built with it; its methods are the same for all three kinds, so their calls per
 * record stay monomorphic.
 */
export class WindowedAggregation {
  /** emitStrategy('on-window-close'): nothing goes out on update, each closed window goes out once. */
  readonly onWindowClose: boolean;
  /**
   * Updates go out through it (at once, or on cache flush when the store caches); undefined on window close, where
   * nothing goes out on update nor on cache flush (as Kafka: no flush listener then).
   */
  updates: TableForwarder<unknown, unknown> | undefined;
  /** The largest record timestamp seen (Kafka's observedStreamTime); -1 before the first. */
  private observedStreamTime = -1;
  /**
   * Where the window close time of the last emit of closed windows is kept, under storeName (Kafka's
   * lastEmitWindowCloseTime, read at init from the processor metadata and put back at each emit). Read there, not
   * copied at init: our processors are initialized before the task reads its committed metadata (which it does before
   * processing anything), so the value the processor metadata holds is always the processor's.
   */
  private metadata!: ProcessorMetadata;
  private readonly emits: EmitSchedule;
  private readonly step: string;
  private readonly storeName: string;
  private readonly sendOldValues: boolean;
  private readonly metrics: TaskMetrics;
  private ctx!: ProcessorContext<any, any>;

  constructor(node: WindowedAggregateNode, env: CompileEnv) {
    this.onWindowClose = node.emitStrategy === 'on-window-close';
    this.step = node.name;
    this.storeName = node.store;
    this.sendOldValues = env.sendOldValues(node.name);
    this.metrics = env.metrics;
    this.emits = new EmitSchedule(env.emitIntervalMs.onWindowClose);
  }

  /** Sets up for `ctx`'s task and returns the aggregation's window or session store (as Kafka's init). */
  init<S>(ctx: ProcessorContext<any, any>): S {
    this.ctx = ctx;
    this.metadata = processorMetadataOf(ctx);
    if (!this.onWindowClose) this.updates = new TableForwarder(ctx, this.storeName, storeHooks(ctx), this.sendOldValues);
    return ctx.getStateStore<S>(this.storeName);
  }

  /** Takes `timestamp` into the observed stream time and returns that (Kafka's updateObservedStreamTime). */
  observe(timestamp: number): number {
    if (timestamp > this.observedStreamTime) this.observedStreamTime = timestamp;
    return this.observedStreamTime;
  }

  /** Counts a dropped record ('null-key', 'late-record', …) against this step. */
  drop(reason: string): void {
    this.metrics.drop(reason, this.step);
  }

  /** The window close time of the last emit of closed windows; -1 before the first (ever: across restarts). */
  get lastEmitWindowCloseTime(): number {
    return this.metadata.get(this.storeName) ?? -1;
  }

  /**
   * Kafka's shouldEmitFinal, after the record's writes: whether to look for windows closed since the last emit now —
   * at most once per emit interval of wall-clock time (the next look scheduled from now whether or not a window has
   * closed), and only if the window close time has moved on since the last emit.
   */
  shouldEmitFinal(windowCloseTime: number): boolean {
    if (!this.emits.due(this.ctx.currentSystemTimeMs())) return false;
    const last = this.lastEmitWindowCloseTime;
    return last === -1 || last < windowCloseTime;
  }

  /**
   * Kafka's fetchAndEmit over a window store: forwards every window starting in [lower, upper] (inclusive) that the
   * store still holds, ordered by start then key, each window `sizeMs` long, with the headers of the record that
   * closed it; then remembers `windowCloseTime` as the last emit.
   */
  forwardClosedWindows(
    r: StreamRecord<unknown, unknown>, store: WindowStore<unknown, ValueAndTimestamp<unknown>>,
    lower: number, upper: number, sizeMs: number, windowCloseTime: number,
  ): void {
    for (const kv of store.fetchAll(lower, upper)) {
      const start = kv.key.window.start;
      this.ctx.forward({
        key: { key: kv.key.key, window: { start, end: start + sizeMs } },
        value: change(kv.value.value, null),
        timestamp: kv.value.timestamp,
        headers: r.headers,
      });
    }
    this.metadata.put(this.storeName, windowCloseTime);
  }

  /**
   * KStreamSessionWindowAggregate's fetchAndEmit: forwards every session ending in [lower, upper] (inclusive) that
   * the store still holds, across keys (the time-ordered session store), timestamped with its end, with the headers of
   * the record that closed it; then remembers `windowCloseTime` as the last emit.
   */
  forwardClosedSessions(
    r: StreamRecord<unknown, unknown>, store: MeteredSessionStore<unknown, unknown>,
    lower: number, upper: number, windowCloseTime: number,
  ): void {
    for (const kv of store.findSessionsByEnd(lower, upper)) {
      const { start, end } = kv.key.window;
      this.ctx.forward({ key: { key: kv.key.key, window: { start, end } }, value: change(kv.value, null), timestamp: end, headers: r.headers });
    }
    this.metadata.put(this.storeName, windowCloseTime);
  }
}

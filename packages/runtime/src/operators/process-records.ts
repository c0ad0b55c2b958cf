import { Observable, type OperatorFunction } from 'rxjs';
import type { StreamTask } from '../task/stream-task.ts';
import type { RawRecord } from '../io/raw-record.ts';
import { StreamsError } from '../errors/streams-error.ts';

/** A batch of consumed records of one topic partition, as it enters a task's pipeline. */
export interface InputBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly RawRecord[];
}

/**
 * What a task's pipeline takes per emission: one partition's batch, or the batches one poll brought for several of
 * the task's partitions. Those are all queued before any record is processed, as Kafka's StreamThread adds a whole
 * poll to its tasks before it processes: the task then picks across them by timestamp, and max.task.idle.ms sees
 * them all (fed one by one, a partition whose batch is still to come would look caught up and empty, and the task
 * would run ahead of it: a stream-table join ahead of its table).
 */
export type TaskInput = InputBatch | readonly InputBatch[];

function batchesOf(input: TaskInput): readonly InputBatch[] {
  return Array.isArray(input) ? input : [input as InputBatch];
}

/** What a task's pipeline reports after each input (TaskInput): how many records went through, whether it committed. */
export interface BatchResult {
  readonly processed: number;
  readonly committed: boolean;
}

/**
 * How much a task processes before it yields to the event loop (RocksDB calls, fsync included, are synchronous:
 * an unbounded batch would starve timers, I/O and the consumer's heartbeats). The clock is read every 64 records.
 */
export interface Slice {
  /** At most this many records deserialized, or processed, per slice. */
  readonly maxRecords: number;
  /** At most about this long per slice (ms). */
  readonly maxMs: number;
}

/** What the Kafka runtime slices by: a few ms of work at a time. */
export const DEFAULT_SLICE: Slice = { maxRecords: 5000, maxMs: 20 };

export interface ProcessPolicy {
  /** Commit (flush state) after every record, as Kafka Streams' TopologyTestDriver does. */
  readonly commitEveryRecord: boolean;
  /** Called after each record (and its commit, if any): the driver captures outputs and re-enqueues internal topics here. */
  readonly afterRecord?: () => void;
  /**
   * Feed a batch's records into the task one at a time, processing all each one causes before the next
   * (Kafka Streams' TopologyTestDriver pipes records one by one); otherwise the whole batch is queued first
   * and the task picks records by timestamp across its partitions, as the running application does.
   */
  readonly recordAtATime?: boolean;
  /** Called after the batch when not committing per record: decides whether to commit now. */
  readonly shouldCommit?: () => boolean;
  /**
   * Process each batch in slices that yield to the event loop in between (setImmediate, once per slice: nothing
   * per record); an input's result is emitted when its last slice is done, and inputs are taken in order, one at a
   * time. Absent: each input is processed synchronously within next() (the TopologyTestDriver). Not with recordAtATime.
   */
  readonly slice?: Slice;
}

/**
 * The task's RxJS operator: each emission is a batch (or a poll's batches: TaskInput); inside, records run synchronously and depth-first
 * through the compiled processors (no promise, no emission per record), stream-time punctuators fire
 * after each record, and state is flushed per the policy. With a slice policy, a batch is deserialized and
 * processed in bounded slices, yielding to the event loop between them.
 */
export function processRecords(task: StreamTask, policy: ProcessPolicy): OperatorFunction<TaskInput, BatchResult> {
  if (policy.slice !== undefined) {
    if (policy.recordAtATime) throw new StreamsError('processRecords: slice and recordAtATime do not go together (record at a time is the driver\'s synchronous mode).');
    return slicedProcessRecords(task, policy, policy.slice);
  }
  return (source) =>
    new Observable<BatchResult>((subscriber) =>
      source.subscribe({
        next(input) {
          try {
            if (policy.recordAtATime) {
              const result = { processed: 0, committed: false };
              for (const { topic, partition, records } of batchesOf(input)) {
                for (let i = 0; i < records.length; i++) {
                  task.addRecord(topic, partition, records[i]!);
                  drainInto(task, policy, result);
                }
              }
              subscriber.next(result);
              return;
            }
            for (const batch of batchesOf(input)) if (batch.records.length > 0) task.addRecords(batch.topic, batch.partition, batch.records);
            subscriber.next(drain(task, policy));
          } catch (e) {
            subscriber.error(e);
          }
        },
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      }),
    );
}

/**
 * processRecords with slices: inputs wait their turn in a FIFO; the one in progress is first queued in the task
 * (deserialized) slice by slice — all its batches before any record is processed, so the task picks across
 * partitions as with a whole poll — then processed slice by slice until the task has nothing it may process.
 */
function slicedProcessRecords(task: StreamTask, policy: ProcessPolicy, slice: Slice): OperatorFunction<TaskInput, BatchResult> {
  if (!(slice.maxRecords >= 1 && slice.maxMs > 0)) throw new StreamsError(`A processing slice needs maxRecords >= 1 and maxMs > 0, got ${JSON.stringify(slice)}.`);
  return (source) =>
    new Observable<BatchResult>((subscriber) => {
      const waiting: TaskInput[] = [];
      /** The batches of the input in progress. */
      let batches: readonly InputBatch[] | undefined;
      /** Batches of it fully queued in the task so far, and records of the next one. */
      let current = 0;
      let added = 0;
      let result = { processed: 0, committed: false };
      let scheduled: ReturnType<typeof setImmediate> | undefined;
      let sourceDone = false;
      let stopped = false;
      /** Runs one slice of the input in progress (taking the next input if none); schedules the next slice. */
      const step = (): void => {
        scheduled = undefined;
        if (stopped) return;
        try {
          if (batches === undefined) {
            const next = waiting.shift();
            if (next === undefined) {
              if (sourceDone) subscriber.complete();
              return;
            }
            batches = batchesOf(next);
            current = 0;
            added = 0;
            result = { processed: 0, committed: false };
          }
          while (current < batches.length && added >= batches[current]!.records.length) {
            current++;
            added = 0;
          }
          if (current < batches.length) {
            // A slice queues up to maxRecords, across the input's batches.
            let budget = slice.maxRecords;
            while (budget > 0 && current < batches.length) {
              const { topic, partition, records } = batches[current]!;
              const end = Math.min(records.length, added + budget);
              task.addRecords(topic, partition, records, added, end);
              budget -= end - added;
              added = end;
              if (added >= records.length) {
                current++;
                added = 0;
              }
            }
          } else if (drainInto(task, policy, result, slice.maxRecords, slice.maxMs)) {
            batches = undefined;
            subscriber.next(result);
          }
        } catch (e) {
          stopped = true;
          subscriber.error(e);
          return;
        }
        if (batches !== undefined || waiting.length > 0 || sourceDone) scheduled = setImmediate(step);
      };
      const subscription = source.subscribe({
        next(b) {
          waiting.push(b);
          // The first slice of an idle pipeline runs at once; later ones after a turn of the event loop.
          if (batches === undefined && scheduled === undefined && waiting.length === 1) step();
        },
        error: (e) => {
          stopped = true;
          if (scheduled !== undefined) clearImmediate(scheduled);
          subscriber.error(e);
        },
        complete: () => {
          sourceDone = true;
          if (batches === undefined && scheduled === undefined && waiting.length === 0) subscriber.complete();
        },
      });
      return () => {
        stopped = true;
        if (scheduled !== undefined) clearImmediate(scheduled);
        subscription.unsubscribe();
      };
    });
}

/** Processes everything queued in the task; exported for the driver's wall-clock path, which has no new batch. */
export function drain(task: StreamTask, policy: ProcessPolicy): BatchResult {
  const result = { processed: 0, committed: false };
  drainInto(task, policy, result);
  return result;
}

/**
 * drain(), adding to `result` (one result for a whole batch fed record by record or processed in slices), stopping
 * after `maxRecords` records or about `maxMs` ms. Returns true when the task has nothing more it may process now.
 */
function drainInto(task: StreamTask, policy: ProcessPolicy, result: { processed: number; committed: boolean }, maxRecords = Infinity, maxMs = Infinity): boolean {
  let processed = 0;
  let committed = false;
  let done = true;
  const timed = maxMs !== Infinity;
  const deadline = timed ? performance.now() + maxMs : 0;
  policy.afterRecord?.();
  for (;;) {
    while (task.process()) {
      processed++;
      task.maybePunctuateStreamTime();
      if (policy.commitEveryRecord) {
        task.prepareCommit();
        committed = true;
      }
      policy.afterRecord?.();
      if (processed >= maxRecords || (timed && (processed & 63) === 0 && performance.now() >= deadline)) {
        done = false;
        break;
      }
    }
    if (!done) break;
    if (policy.commitEveryRecord || !(task.needsCommit || policy.shouldCommit?.())) break;
    task.prepareCommit();
    committed = true;
    // What the commit's cache flushes forwarded is captured now; records it fed back are processed and committed too.
    policy.afterRecord?.();
    // Nothing left, or a task waiting for an empty partition (max.task.idle.ms): the next batch goes on.
    if (task.queuedRecords() === 0 || !task.readyToProcess()) break;
  }
  result.processed += processed;
  if (committed) result.committed = true;
  return done;
}

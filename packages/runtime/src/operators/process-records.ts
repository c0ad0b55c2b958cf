import { Observable, type OperatorFunction } from 'rxjs';
import type { StreamTask } from '../task/stream-task.ts';
import type { RawRecord } from '../io/raw-record.ts';

/** A batch of consumed records of one topic partition, as it enters a task's pipeline. */
export interface InputBatch {
  readonly topic: string;
  readonly partition: number;
  readonly records: readonly RawRecord[];
}

/** What a task's pipeline reports after each batch: how many records went through, whether it committed. */
export interface BatchResult {
  readonly processed: number;
  readonly committed: boolean;
}

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
}

/**
 * The task's RxJS operator: each emission is a batch; inside, records run synchronously and depth-first
 * through the compiled processors (no promise, no emission per record), stream-time punctuators fire
 * after each record, and state is flushed per the policy.
 */
export function processRecords(task: StreamTask, policy: ProcessPolicy): OperatorFunction<InputBatch, BatchResult> {
  return (source) =>
    new Observable<BatchResult>((subscriber) =>
      source.subscribe({
        next(batch) {
          try {
            if (policy.recordAtATime) {
              const result = { processed: 0, committed: false };
              const { topic, partition, records } = batch;
              for (let i = 0; i < records.length; i++) {
                task.addRecord(topic, partition, records[i]!);
                drainInto(task, policy, result);
              }
              subscriber.next(result);
              return;
            }
            if (batch.records.length > 0) task.addRecords(batch.topic, batch.partition, batch.records);
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

/** Processes everything queued in the task; exported for the driver's wall-clock path, which has no new batch. */
export function drain(task: StreamTask, policy: ProcessPolicy): BatchResult {
  const result = { processed: 0, committed: false };
  drainInto(task, policy, result);
  return result;
}

/** drain(), adding to `result` (one result for a whole batch fed record by record). */
function drainInto(task: StreamTask, policy: ProcessPolicy, result: { processed: number; committed: boolean }): void {
  let processed = 0;
  let committed = false;
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
    }
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
}

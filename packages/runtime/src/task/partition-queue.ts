import type { QueuedRecord } from './queued-record.ts';
import type { RuntimeNode } from '../compile/runtime-node.ts';

/** The buffered records of one input topic partition, with the partition's time. */
export class PartitionQueue {
  /** records[head..tail) are queued; slots outside are free (never shrunk: the array is reused). */
  private records: (QueuedRecord | undefined)[] = [];
  private head = 0;
  private tail = 0;
  /** Largest timestamp processed from this partition; -1 before any. */
  partitionTime = -1;
  /** Next offset to commit: one past the last record processed from this partition; -1 before any. */
  committableOffset = -1;
  /**
   * One past the last record of this partition the task skipped instead of queueing (unreadable under
   * log-and-continue, or a negative timestamp); -1 when none. With the queue empty, the next offset to read is past
   * it too (Kafka commits the consumer's position there), so a skipped record is not read, and skipped, again.
   */
  skippedOffset = -1;
  /**
   * Offset of a record whose processing threw, if no later record of this partition was processed since (it is to
   * be read again, so no offset past it is committable); -1 when none.
   */
  failedOffset = -1;
  /** The offset to commit as of the last prepareCommit (its snapshot); -1 when nothing was processed before it. */
  preparedOffset = -1;
  /** The partition time as of the last prepareCommit, committed with preparedOffset (Kafka Streams' offset metadata). */
  preparedPartitionTime = -1;
  /** The offset committed for this partition when the task started (StreamTask#initializeMetadata); -1 when none. */
  committedOffset = -1;
  /**
   * The next offset to read as of the last prepareCommit, processed from or not (Kafka's StreamTask#findOffset): what
   * a commit of processor metadata writes for a partition with nothing processed; -1 when the task does not know it.
   */
  preparedPosition = -1;
  /**
   * What the last fetch said of the partition (Kafka's fetchedLags): -1 unknown (no fetch came back yet), 0 caught
   * up (nothing more on the broker), > 0 records on the broker not yet buffered. Set by the caller (updateLag).
   */
  fetchedLag = -1;
  /** Wall-clock time until which an empty, caught-up partition is waited for (max.task.idle.ms); -1 when not idling. */
  idleDeadline = -1;
  /** True while the task asked for fetching this partition to pause (its queue went over bufferedRecordsPerPartition). */
  paused = false;
  /** The task's source node for this topic (set by the task when it first queues a record here). */
  sourceNode: RuntimeNode | undefined;
  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}
  add(record: QueuedRecord): void {
    if (this.head === this.tail) {
      // Empty (always so when records are fed one at a time): start over at the front.
      this.head = this.tail = 0;
    } else if (this.head > 1024 && this.head * 2 > this.tail) {
      this.records = this.records.slice(this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
    this.records[this.tail++] = record;
  }
  get size(): number {
    return this.tail - this.head;
  }
  peek(): QueuedRecord | undefined {
    return this.head < this.tail ? this.records[this.head] : undefined;
  }
  poll(): QueuedRecord | undefined {
    if (this.head === this.tail) return undefined;
    const r = this.records[this.head];
    this.records[this.head++] = undefined;
    return r;
  }
}

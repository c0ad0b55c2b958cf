import type { QueuedRecord } from './queued-record.ts';
import type { RuntimeNode } from '../compile/runtime-node.ts';

/** The buffered records of one input topic partition, with the partition's time. */
export class PartitionQueue {
  private records: QueuedRecord[] = [];
  private head = 0;
  /** Largest timestamp processed from this partition; -1 before any. */
  partitionTime = -1;
  /** Next offset to commit: one past the last record processed from this partition; -1 before any. */
  committableOffset = -1;
  /** The task's source node for this topic (set by the task when it first queues a record here). */
  sourceNode: RuntimeNode | undefined;
  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}
  add(record: QueuedRecord): void {
    if (this.head > 1024 && this.head * 2 > this.records.length) {
      this.records = this.records.slice(this.head);
      this.head = 0;
    }
    this.records.push(record);
  }
  get size(): number {
    return this.records.length - this.head;
  }
  peek(): QueuedRecord | undefined {
    return this.records[this.head];
  }
  poll(): QueuedRecord | undefined {
    const records = this.records;
    const r = records[this.head];
    if (r !== undefined) {
      if (this.head + 1 === records.length) {
        // Emptied (always so when records are fed one at a time): start over in the same array.
        records.length = 0;
        this.head = 0;
      } else {
        records[this.head++] = undefined as unknown as QueuedRecord;
      }
    }
    return r;
  }
}

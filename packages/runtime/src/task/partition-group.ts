import { PartitionQueue } from './partition-queue.ts';
import type { QueuedRecord } from './queued-record.ts';

/**
 * Chooses the next record of a task across its input partitions: the head with the smallest timestamp,
 * ties to the partition that has waited longest (Kafka Streams' PartitionGroup).
 */
export class PartitionGroup {
  private readonly queues = new Map<string, PartitionQueue>();
  /** The queues as an array: iterated on every commit, which the driver makes per record (no iterator object). */
  private readonly queueList: PartitionQueue[] = [];
  /** Non-empty queues in the order they became non-empty (tie-break). */
  private ready: PartitionQueue[] = [];

  queue(topic: string, partition: number): PartitionQueue {
    const k = `${topic}\u0000${partition}`;
    let q = this.queues.get(k);
    if (!q) {
      this.queues.set(k, (q = new PartitionQueue(topic, partition)));
      this.queueList.push(q);
    }
    return q;
  }

  /** The queue of a topic-partition, if this group has one (not creating it). */
  find(topic: string, partition: number): PartitionQueue | undefined {
    return this.queues.get(`${topic}\u0000${partition}`);
  }

  /** Queues one record on a queue this group made (see queue()). */
  add(q: PartitionQueue, record: QueuedRecord): void {
    const wasEmpty = q.size === 0;
    q.add(record);
    if (wasEmpty) this.ready.push(q);
  }

  get size(): number {
    let n = 0;
    for (const q of this.ready) n += q.size;
    return n;
  }

  /** The queue holding the next record to process, or undefined if all are empty. */
  next(): PartitionQueue | undefined {
    const ready = this.ready;
    if (ready.length === 0) return undefined;
    if (ready.length === 1) return ready[0];
    let best = ready[0]!;
    let bestTs = best.peek()!.timestamp;
    for (let i = 1; i < ready.length; i++) {
      const ts = ready[i]!.peek()!.timestamp;
      if (ts < bestTs) {
        best = ready[i]!;
        bestTs = ts;
      }
    }
    return best;
  }

  /** After polling from `q`: keep the ready list right (an emptied queue leaves; a non-empty one re-queues). */
  polled(q: PartitionQueue): void {
    // One ready queue (the common case): it stays while it has records, and the list empties with it.
    if (this.ready.length === 1 && this.ready[0] === q) {
      if (q.size === 0) this.ready.pop();
      return;
    }
    const i = this.ready.indexOf(q);
    if (i >= 0) this.ready.splice(i, 1);
    if (q.size > 0) this.ready.push(q);
  }

  partitions(): readonly PartitionQueue[] {
    return this.queueList;
  }
}

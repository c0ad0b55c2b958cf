import { PartitionQueue } from './partition-queue.ts';
import type { QueuedRecord } from './queued-record.ts';

/** max.task.idle.ms disabled: process whatever is buffered, never wait for an empty partition (Kafka's -1). */
export const MAX_TASK_IDLE_DISABLED = -1;

/**
 * Chooses the next record of a task across its input partitions: the head with the smallest timestamp,
 * ties to the partition that has waited longest (Kafka Streams' PartitionGroup). Before picking, readyToProcess
 * decides whether the task may process at all: with max.task.idle.ms, only once every partition has buffered data
 * or is known to have none coming (Kafka's PartitionGroup#readyToProcess), so that a stream-table join does not
 * run ahead of its table.
 */
export class PartitionGroup {
  /**
   * max.task.idle.ms: MAX_TASK_IDLE_DISABLED (-1, the default here: the TopologyTestDriver, whose every partition
   * is always fetched and caught up, behaves so), 0 (Kafka's default: wait until every empty partition's fetch came
   * back, and came back caught up), > 0 (then wait that much longer on the wall clock for new data).
   */
  constructor(readonly maxTaskIdleMs: number = MAX_TASK_IDLE_DISABLED) {
    if (!(Number.isInteger(maxTaskIdleMs) && maxTaskIdleMs >= MAX_TASK_IDLE_DISABLED)) {
      throw new Error(`maxTaskIdleMs must be -1 (never wait), 0 (wait for a fetch of every partition) or a number of ms, got ${maxTaskIdleMs}.`);
    }
  }

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
    if (wasEmpty) {
      this.ready.push(q);
      // Data ends an idle wait (readyToProcess's fast path does not look at deadlines).
      q.idleDeadline = -1;
    }
  }

  /**
   * What the last fetch of a partition said (Kafka's lag provider): `lag` records on the broker beyond what the
   * consumer has fetched — 0: caught up (its fetch came back, empty or not), > 0: data pending — or undefined: unknown
   * (no fetch came back since the assignment), then the partition is waited for.
   */
  updateLag(q: PartitionQueue, lag: number | undefined): void {
    q.fetchedLag = lag === undefined || !(lag >= 0) ? -1 : lag;
  }

  /**
   * Whether the task may process now (Kafka's PartitionGroup#readyToProcess): always when idling is disabled or every
   * partition has buffered records; otherwise not while an empty partition's lag is unknown or positive (its data
   * is on the way), nor while an empty caught-up partition's idle deadline (first seen empty + maxTaskIdleMs) is
   * ahead of the wall clock; after that, ready if any partition has records (enforced processing). `now` is read
   * only on that slow path.
   */
  readyToProcess(now: () => number): boolean {
    const queues = this.queueList;
    if (this.maxTaskIdleMs === MAX_TASK_IDLE_DISABLED || this.ready.length === queues.length) return true;
    let enforced = false;
    let wallClock = -1;
    for (let i = 0; i < queues.length; i++) {
      const q = queues[i]!;
      if (q.size > 0) {
        q.idleDeadline = -1;
        continue;
      }
      if (q.fetchedLag !== 0) {
        // Nothing fetched yet, or data known to be on the broker: wait for it.
        q.idleDeadline = -1;
        return false;
      }
      if (wallClock < 0) wallClock = now();
      if (q.idleDeadline < 0) q.idleDeadline = wallClock + this.maxTaskIdleMs;
      if (wallClock < q.idleDeadline) return false;
      enforced = true;
    }
    return !enforced || this.ready.length > 0;
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

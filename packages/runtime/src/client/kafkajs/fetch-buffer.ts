import type { RawRecord } from '../../io/raw-record.ts';
import type { TopicPartition } from '../../io/topic-partition.ts';
import type { FetchedPartition } from '../fetched-partition.ts';
import type { RecordReader } from './record-reader.ts';

interface PartitionQueue {
  readonly topic: string;
  readonly partition: number;
  /** Fetched records not yet returned: those of readers[head..], in offset order. */
  readers: (RecordReader | undefined)[];
  head: number;
  /** Records left in readers[head..]. */
  size: number;
  /** Where the fetch after the last one buffered starts (FetchedPartition#nextOffset once all is returned). */
  nextOffset: number;
  /** The high watermark (or last stable offset) the last fetch reported. */
  endOffset: number;
  /** A fetch answered since the partition was last reported by take(). */
  answered: boolean;
}

/**
 * What the kafkajs consumers fetched and polls have not returned yet, per partition: the run-ahead whose size the
 * consumers bound (`size`). Fetched records are kept as RecordReaders, made into record objects only by take(), a
 * poll's worth at a time (see record-reader.ts). take() hands out up to a number of records, as FetchedPartition
 * entries, and an empty entry for a partition whose fetch answered with nothing (lag 0 when caught up).
 */
export class FetchBuffer {
  readonly #queues = new Map<string, PartitionQueue>();
  /** Where take() starts, so no partition starves the others when maxRecords is less than what is buffered. */
  #rotation = 0;
  #size = 0;

  /** Records buffered across partitions. */
  get size(): number {
    return this.#size;
  }

  /** Buffered records of the partition. */
  sizeOf(tp: TopicPartition): number {
    return this.#queues.get(keyOf(tp))?.size ?? 0;
  }

  /**
   * A fetch of the partition answered: `records` (maybe none) in offset order, the next fetch starts at `nextOffset`,
   * and the partition ends at `endOffset`. The buffer reads the reader from then on.
   */
  add(tp: TopicPartition, records: RecordReader | undefined, nextOffset: number, endOffset: number): void {
    const key = keyOf(tp);
    let queue = this.#queues.get(key);
    if (queue === undefined) {
      queue = { topic: tp.topic, partition: tp.partition, readers: [], head: 0, size: 0, nextOffset, endOffset, answered: true };
      this.#queues.set(key, queue);
    }
    const count = records?.remaining ?? 0;
    if (count > 0) {
      if (queue.head > 32) {
        // A queue fed while it is read never drains: drop the slots of the readers read to the end.
        queue.readers = queue.readers.slice(queue.head);
        queue.head = 0;
      }
      queue.readers.push(records!);
      queue.size += count;
      this.#size += count;
    }
    queue.nextOffset = nextOffset;
    queue.endOffset = endOffset;
    queue.answered = true;
  }

  /** Up to `maxRecords` records of the partitions not excluded, and an entry for every answered partition. */
  take(maxRecords: number, excluded: (tp: TopicPartition) => boolean): FetchedPartition[] {
    const queues = [...this.#queues.values()];
    const taken: FetchedPartition[] = [];
    let room = maxRecords;
    const first = queues.length === 0 ? 0 : this.#rotation++ % queues.length;
    for (let i = 0; i < queues.length; i++) {
      const queue = queues[(first + i) % queues.length]!;
      if (!queue.answered || excluded(queue)) continue;
      const available = queue.size;
      const count = Math.min(available, room);
      if (available > 0 && count === 0) continue;
      const records: RawRecord[] = [];
      while (records.length < count) {
        const reader = queue.readers[queue.head]!;
        reader.read(count - records.length, records);
        if (reader.remaining === 0) queue.readers[queue.head++] = undefined;
      }
      queue.size -= count;
      room -= count;
      this.#size -= count;
      const drained = queue.size === 0;
      if (drained) {
        queue.readers = [];
        queue.head = 0;
        queue.answered = false;
      }
      const nextOffset = drained ? queue.nextOffset : records[records.length - 1]!.offset! + 1;
      taken.push({ topic: queue.topic, partition: queue.partition, records, nextOffset, lag: Math.max(0, queue.endOffset - nextOffset) });
    }
    return taken;
  }

  /** Whether some partition not excluded has records to take. */
  hasRecords(excluded: (tp: TopicPartition) => boolean): boolean {
    for (const queue of this.#queues.values()) {
      if (queue.size > 0 && !excluded(queue)) return true;
    }
    return false;
  }

  /** Forgets the partition and what was buffered of it. */
  drop(tp: TopicPartition): void {
    const key = keyOf(tp);
    const queue = this.#queues.get(key);
    if (queue === undefined) return;
    this.#size -= queue.size;
    this.#queues.delete(key);
  }

  clear(): void {
    this.#queues.clear();
    this.#size = 0;
  }
}

export function keyOf(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}

import type { TopicPartition } from '../io/topic-partition.ts';
import type { FetchedPartition } from '../client/fetched-partition.ts';
import { ClientError } from '../errors/client-error.ts';
import type { EmbeddedLog } from './embedded-log.ts';

/** One partition a consumer reads: where it is, whether it is paused. */
interface Slot {
  readonly tp: TopicPartition;
  position: number | undefined;
  paused: boolean;
}

/**
 * What both embedded consumers share: the partitions assigned, their positions and pauses, and the reading of a
 * poll's worth of records straight from the log. Nothing is fetched ahead (a poll reads what it returns), so the
 * bound on buffered records (maxBufferedRecords) holds trivially.
 *
 * A poll's `maxRecords` is shared fairly: each unpaused partition first gets an equal part, then what is left goes
 * to those that had more, starting one further each poll, so no partition of a task waits on another's backlog.
 */
export class PartitionFetcher {
  private readonly slots = new Map<string, Slot>();
  private rotation = 0;

  constructor(private readonly log: EmbeddedLog) {}

  /** The partitions assigned, in assignment order. */
  get partitions(): TopicPartition[] {
    return [...this.slots.values()].map((s) => s.tp);
  }

  has(tp: TopicPartition): boolean {
    return this.slots.has(keyOf(tp));
  }

  /** Replaces the partitions read: one kept keeps its position and pause; a new one has no position yet. */
  assign(partitions: readonly TopicPartition[]): void {
    const old = new Map(this.slots);
    this.slots.clear();
    for (const tp of partitions) {
      const key = keyOf(tp);
      this.slots.set(key, old.get(key) ?? { tp: { topic: tp.topic, partition: tp.partition }, position: undefined, paused: false });
    }
  }

  seek(tp: TopicPartition, offset: number | 'earliest' | 'latest'): void {
    const slot = this.slots.get(keyOf(tp));
    if (slot === undefined) throw new ClientError(`Cannot seek ${tp.topic}-${tp.partition}: it is not assigned to this consumer.`, 'fatal');
    slot.position = offset === 'earliest' ? this.log.startOffset(tp) : offset === 'latest' ? this.log.endOffset(tp) : offset;
  }

  position(tp: TopicPartition): number | undefined {
    return this.slots.get(keyOf(tp))?.position;
  }

  pause(partitions: readonly TopicPartition[], paused: boolean): void {
    for (const tp of partitions) {
      const slot = this.slots.get(keyOf(tp));
      if (slot !== undefined) slot.paused = paused;
    }
  }

  /**
   * Reads up to `maxRecords` across the unpaused, positioned partitions: an entry for each (empty with lag 0 when
   * caught up), positions moved past what is returned. A position outside the log goes to `outOfRange`, which
   * returns where to read instead, or undefined to leave the partition out of this poll (then, once every
   * partition was read, the poll rejects with one ClientError 'offset-out-of-range' naming those partitions).
   */
  fetch(maxRecords: number, outOfRange: (tp: TopicPartition) => number | undefined): FetchedPartition[] {
    const slots = [...this.slots.values()].filter((s) => !s.paused && s.position !== undefined);
    if (slots.length === 0) return [];
    const start = this.rotation++ % slots.length;
    const ordered = start === 0 ? slots : [...slots.slice(start), ...slots.slice(0, start)];
    const share = Math.max(1, Math.floor(maxRecords / ordered.length));
    let left = maxRecords;
    const out: FetchedPartition[] = [];
    const bad: TopicPartition[] = [];
    for (const slot of ordered) {
      const read = this.readSlot(slot, Math.min(share, left), outOfRange);
      if (read === undefined) {
        bad.push(slot.tp);
        continue;
      }
      left -= read.records.length;
      out.push(read);
    }
    // What is left goes to the partitions with more, in the rotated order.
    for (let i = 0; i < out.length && left > 0; i++) {
      const f = out[i]!;
      if (f.lag === 0 || f.lag === undefined) continue;
      const slot = this.slots.get(keyOf(f))!;
      const more = this.readSlot(slot, left, outOfRange);
      if (more === undefined || more.records.length === 0) continue;
      left -= more.records.length;
      out[i] = { ...more, records: f.records.concat(more.records) };
    }
    if (bad.length > 0) {
      throw new ClientError(
        `Offsets out of range on the embedded log: ${bad.map((tp) => `${tp.topic}-${tp.partition} at ${this.slots.get(keyOf(tp))?.position}`).join(', ')} (retention or deleted records moved the log start past them). Seek them to 'earliest'.`,
        'offset-out-of-range',
        { partitions: bad },
      );
    }
    return out;
  }

  private readSlot(slot: Slot, max: number, outOfRange: (tp: TopicPartition) => number | undefined): FetchedPartition | undefined {
    let from = slot.position!;
    const start = this.log.startOffset(slot.tp);
    const end = this.log.endOffset(slot.tp);
    if (from < start || from > end) {
      const instead = outOfRange(slot.tp);
      if (instead === undefined) return undefined;
      from = slot.position = instead;
    }
    const { records, nextOffset, lag } = this.log.read(slot.tp, from, max);
    slot.position = nextOffset;
    return { topic: slot.tp.topic, partition: slot.tp.partition, records, nextOffset, lag };
  }
}

export function keyOf(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}

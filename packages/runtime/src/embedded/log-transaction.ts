import type { RocksBatch, RocksDatabase } from '@ts-streams/state';
import type { RawRecord } from '../io/raw-record.ts';
import type { TopicPartition } from '../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../io/topic-partition-offset.ts';
import { ClientError } from '../errors/client-error.ts';
import type { LogPartition } from './log-partition.ts';
import { RecordEncoder } from './log-record-codec.ts';
import { RECORD_KEY_LENGTH, encodeBounds, partitionKey, writeRecordKey } from './log-keys.ts';

/** A record to stage: bytes, and the topic-partition it goes to. */
export interface StagedRecord extends Omit<RawRecord, 'offset'>, TopicPartition {}

/** Offsets a transaction commits for a consumer group, with its records; each offset with its metadata, if any. */
export interface GroupOffsets {
  readonly groupId: string;
  readonly offsets: readonly TopicPartitionOffset[];
}

/** What a transaction needs of its log (EmbeddedLog hands it over; nothing else reaches the log's insides). */
export interface TransactionHost {
  readonly db: RocksDatabase;
  /** fsync the WAL at commit. */
  readonly sync: boolean;
  /** The partition, or a ClientError 'unknown-topic' naming it. */
  partition(topic: string, partition: number): LogPartition;
  /** True while the partition's topic exists (not deleted since the record was staged). */
  exists(p: LogPartition): boolean;
  /** Puts the group's offsets into the batch; returns what applies them in memory once the batch is written. */
  stageGroupOffsets(batch: RocksBatch, group: GroupOffsets): () => void;
  /** The log changed: readers waiting for records look again. */
  written(): void;
}

/**
 * A write to the embedded log that becomes visible, and durable, all at once: the records staged, the partition
 * bounds they move and, with commit(groupOffsets), a consumer group's offsets — one RocksDB WriteBatch. Records
 * go into the native batch as they are staged (nothing per record is kept in JavaScript), each with its offset,
 * handed out at once (LogPartition#next), so that a producer knows its offsets before the commit. Until then
 * readers do not see them, nor anything staged after them in the same partitions (LogPartition#stable); abort()
 * drops them and leaves their offsets a gap, as an aborted Kafka transaction does.
 *
 * This is what makes the embedded runtime exactly-once by construction: a task's outputs, its changelog records and
 * its input offsets are one atomic write, so after a crash either all of a commit is there or none of it is.
 */
export class LogTransaction {
  private readonly batch: RocksBatch;
  /** Per partition staged in: the first offset staged there and one past the last. */
  private readonly touched = new Map<LogPartition, { readonly first: number; last: number }>();
  private readonly key = new Uint8Array(RECORD_KEY_LENGTH);
  private readonly encoder = new RecordEncoder();
  private state: 'open' | 'committed' | 'aborted' = 'open';
  /** Records staged so far. */
  staged = 0;

  constructor(private readonly host: TransactionHost) {
    this.batch = host.db.batch();
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /**
   * Stages the records, in order, and returns the offset each topic-partition's last one got. Synchronous: nothing
   * is awaited per record. A record for a topic or partition the log does not have throws ClientError
   * 'unknown-topic', and nothing of the call is staged.
   */
  append(records: readonly StagedRecord[]): TopicPartitionOffset[] {
    this.checkOpen();
    const last = new Map<LogPartition, number>();
    let p: LogPartition | undefined;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (p === undefined || p.topic !== r.topic || p.partition !== r.partition) p = this.host.partition(r.topic, r.partition);
    }
    p = undefined;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (p === undefined || p.topic !== r.topic || p.partition !== r.partition) p = this.host.partition(r.topic, r.partition);
      const offset = p.next++;
      const range = this.touched.get(p);
      if (range === undefined) {
        this.touched.set(p, { first: offset, last: offset + 1 });
        p.opened(offset);
      } else {
        range.last = offset + 1;
      }
      this.batch.put(writeRecordKey(this.key, p.topicId, p.partition, offset), this.encoder.encode(r));
      last.set(p, offset);
    }
    this.staged += records.length;
    const out: TopicPartitionOffset[] = [];
    for (const [q, offset] of last) out.push({ topic: q.topic, partition: q.partition, offset });
    return out;
  }

  /**
   * Writes everything staged, the partitions' new end offsets and the group's offsets (when given) in one atomic
   * write, then makes them visible. A topic deleted since its records were staged fails the commit (ClientError
   * 'unknown-topic'; the transaction is aborted). Nothing staged and no offsets: writes nothing.
   */
  commit(group?: GroupOffsets): void {
    this.checkOpen();
    if (this.touched.size === 0 && (group === undefined || group.offsets.length === 0)) {
      this.state = 'committed';
      return;
    }
    for (const p of this.touched.keys()) {
      if (!this.host.exists(p)) {
        this.abort();
        throw new ClientError(`Cannot commit records to ${p.topic}-${p.partition}: the topic was deleted meanwhile.`, 'unknown-topic', { partitions: [p] });
      }
    }
    let applyOffsets: (() => void) | undefined;
    try {
      for (const [p, range] of this.touched) this.batch.put(partitionKey(p.topicId, p.partition), encodeBounds(p.start, Math.max(p.end, range.last)));
      if (group !== undefined && group.offsets.length > 0) applyOffsets = this.host.stageGroupOffsets(this.batch, group);
      this.batch.write({ sync: this.host.sync });
    } catch (e) {
      this.abort();
      throw e;
    }
    this.state = 'committed';
    for (const [p, range] of this.touched) p.settled(range.first, range.last);
    applyOffsets?.();
    this.host.written();
  }

  /**
   * Drops what was staged. The offsets it was given stay a gap: the partitions' end offsets are written past them
   * (durably, so that an offset a reader may have stepped over is never handed out again after a restart). Idempotent.
   */
  abort(): void {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    this.batch.clear();
    if (this.touched.size === 0) return;
    const bounds: { key: Uint8Array; value: Uint8Array }[] = [];
    for (const [p, range] of this.touched) {
      p.settled(range.first, range.last);
      if (this.host.exists(p)) bounds.push({ key: partitionKey(p.topicId, p.partition), value: encodeBounds(p.start, p.end) });
    }
    try {
      if (this.host.db.isOpen()) this.host.db.write(bounds, { sync: this.host.sync });
    } finally {
      this.host.written();
    }
  }

  private checkOpen(): void {
    if (this.state !== 'open') throw new ClientError(`This embedded log transaction was ${this.state} already: begin a new one.`, 'fatal');
  }
}

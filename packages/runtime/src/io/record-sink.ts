import type { OutputRecord } from './raw-record.ts';
import type { TopicPartitionOffset } from './topic-partition-offset.ts';

/**
 * Where a task's sink nodes and changelogs send records. The seam between the engine and I/O: the test
 * driver collects them in memory, the Kafka runtime hands them to a producer, the embedded runtime to
 * its on-disk log. `send` is synchronous and must not block; durability is awaited at commit via `flush`.
 *
 * A commit runs (Kafka Streams' TaskManager#commit, at-least-once):
 *
 *     const prepared = task.prepareCommit();    // caches and stores flushed; input offsets snapshotted
 *     await sink.flush();                        // every record sent so far acknowledged
 *     await consumer.commit(prepared.offsets);   // nothing committed that is not durable
 *     task.postCommit();                         // checkpoint: the acknowledged changelog offsets
 *
 * Under exactly-once (one transactional producer per process, as Kafka Streams' exactly_once_v2: every task's
 * sink is that one), the sink also has a `transaction`: the offsets go into the transaction instead of the consumer
 * commit, and its commit replaces the flush and the offset commit (see TransactionBoundary).
 */
export interface RecordSink {
  send(record: OutputRecord): void;
  /**
   * Resolves when every record sent before the call is acknowledged (a failed send rejects it, naming the
   * topic-partition). Called once per commit, never per record; records sent while it is pending are not waited for.
   */
  flush(): Promise<void> | void;
  /**
   * The offset the broker (or log) assigned to the last acknowledged record of a topic-partition, or undefined
   * when none of this sink's records there is acknowledged yet (Kafka Streams' RecordCollector#offsets). A task
   * reads it for its changelog partitions after a flush, to checkpoint its stores. Records sent with no partition
   * are counted under the partition the sink chose.
   */
  acknowledgedOffset(topic: string, partition: number): number | undefined;
  /** Partitions of a topic, for the default partitioner; undefined if unknown (then partition 0). */
  partitionsFor?(topic: string): number | undefined;
  /**
   * True when records for `topic` are not wanted at all (the test driver with captureChangelogs: false): the task
   * asks once per changelog topic and then sends it nothing. Absent = everything is sent.
   */
  discards?(topic: string): boolean;
  /** Present when the sink is a transactional producer (exactly-once); absent = at-least-once. */
  readonly transaction?: TransactionBoundary;
}

/**
 * The transaction boundary of the transactional sink (exactly-once, Kafka Streams' StreamsProducer under
 * exactly_once_v2: one producer for every task of the process). Not driven by the engine: the runtime calls it.
 *
 * - `begin()` before the task's first send after a commit (idempotent while a transaction is open; the runtime calls
 *   it when the task resumes processing, so a task that produces nothing between commits may still open one);
 * - `commit(offsets)` after prepareCommit, instead of flush + consumer commit: sends the input offsets to the
 *   transaction (sendOffsetsToTransaction with the group's metadata) and commits it, so outputs, changelog
 *   records and input offsets become visible together; then postCommit as usual (a checkpoint is then written
 *   only on a clean close, as Kafka's postCommit under exactly-once);
 * - `abort()` on a dirty close or an error: read_committed consumers never see what was sent since begin().
 */
export interface TransactionBoundary {
  begin(): void;
  commit(offsets: readonly TopicPartitionOffset[]): Promise<void>;
  abort(): Promise<void>;
}

import type { TopicPartition } from '../io/topic-partition.ts';
import type { FetchedPartition } from './fetched-partition.ts';

/** How an assigned consumer is made (KafkaClient#assignedConsumer). */
export interface AssignedConsumerOptions {
  /** read_committed to restore under exactly-once (only committed changelog records), else read_uncommitted. */
  readonly isolation: 'read_uncommitted' | 'read_committed';
  /** The most records fetched ahead of polls (see GroupConsumerOptions#maxBufferedRecords). */
  readonly maxBufferedRecords: number;
}

/**
 * A consumer outside any group, on partitions the runtime picks (Kafka's KafkaConsumer with assign(): Kafka Streams'
 * restore consumer and global consumer). It restores stores from their changelogs (from the checkpoint to the end
 * offset) and keeps global tables up to date from every partition of their topics. It commits nothing. kafkajs has no
 * such consumer (each of its consumers is a group member, and changing what it reads means rejoining): its adapter
 * sends kafkajs's low-level Fetch requests itself, from positions it keeps (src/client/kafkajs/). Failures reject with
 * a ClientError.
 */
export interface AssignedConsumer {
  /** Resolves once a broker answered; rejects with 'unreachable' when none does in time. */
  connect(): Promise<void>;

  /**
   * Replaces the set of partitions read. A partition kept keeps its position and its buffered records; a new one
   * starts where seek puts it (before that, nothing of it is fetched: there is no committed offset to start from).
   * A partition dropped is forgotten, with what was buffered of it.
   */
  assign(partitions: readonly TopicPartition[]): void;

  /**
   * The next fetch of an assigned partition starts at `offset`, or at its log start / end ('earliest' / 'latest').
   * Drops what was buffered of it. A position outside the log shows at the next poll: 'offset-out-of-range' naming
   * the partition (a restoring store then wipes and restores from 'earliest').
   */
  seek(partition: TopicPartition, offset: number | 'earliest' | 'latest'): void;

  /** The offset the next record returned for the partition will have at least; undefined until seek resolved it. */
  position(partition: TopicPartition): number | undefined;

  /**
   * As GroupConsumer#poll, without rebalances: resolves when some partition has records, or after `timeoutMs`; an
   * entry per assigned, unpaused partition whose fetch answered since the last poll, empty with lag 0 when caught
   * up, so a restoration knows it reached the end without asking listOffsets again.
   */
  poll(options: { readonly maxRecords: number; readonly timeoutMs: number }): Promise<readonly FetchedPartition[]>;

  /** As GroupConsumer#pause / resume: restoration pauses a store's partitions while it waits on the others. */
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;

  close(): Promise<void>;
}

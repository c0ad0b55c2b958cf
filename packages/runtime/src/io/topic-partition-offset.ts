import type { TopicPartition } from './topic-partition.ts';

/** An offset of a topic-partition: an input position to commit, or where a store's restoration resumes. */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number;
  /**
   * An input offset's committed metadata: Kafka Streams' partition time and the task's processor metadata
   * (task/topic-partition-metadata.ts), written by a task's commit and read back when a task takes the partition over.
   * Clients that cannot keep it ignore it.
   */
  readonly metadata?: string;
}

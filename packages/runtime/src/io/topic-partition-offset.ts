import type { TopicPartition } from './topic-partition.ts';

/** An offset of a topic-partition: an input position to commit, or where a store's restoration resumes. */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number;
}

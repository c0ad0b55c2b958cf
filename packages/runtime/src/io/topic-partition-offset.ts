/** An offset of a topic-partition: an input position to commit, or where a store's restoration resumes. */
export interface TopicPartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

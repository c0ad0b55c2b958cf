import type { TopicPartition } from '../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../io/topic-partition-offset.ts';

/** A topic to create: what Kafka's NewTopic carries. */
export interface NewTopic {
  readonly name: string;
  readonly partitions: number;
  /** undefined or -1: the broker's default.replication.factor (Kafka Streams' replication.factor default, -1). */
  readonly replicationFactor?: number;
  /** Topic-level configs (cleanup.policy, retention.ms, …) as the broker takes them: strings. */
  readonly configs: Readonly<Record<string, string>>;
}

/** An existing topic, as describeTopics sees it. */
export interface TopicDescription {
  readonly name: string;
  readonly partitions: number;
  /**
   * The topic's configs that are set on it (not the broker's defaults), when the adapter reads them
   * (DescribeConfigs); undefined when its client cannot (@kafkats/client has no DescribeConfigs): a caller then
   * skips what it would have checked there.
   */
  readonly configs?: Readonly<Record<string, string>>;
}

/**
 * The admin operations the runtime needs (Kafka's Admin client, a small part of it): internal topics at start, end
 * offsets for restoration and lag, purging consumed repartition records; and, for the `streams` CLI, listing and
 * deleting topics and reading and resetting a group's committed offsets. Every method may be called concurrently
 * with the consumers and producers of the same KafkaClient. Failures reject with a ClientError
 * (src/errors/client-error.ts); what is not an error is said per method.
 */
export interface KafkaAdmin {
  /** Resolves once a broker answered (metadata); rejects with ClientError 'unreachable' when none does in time. */
  connect(): Promise<void>;

  /**
   * Creates the topics, all in one request where the client allows. Resolves with the names it created. A topic
   * that already exists — another instance of the application created it meanwhile — is not an error: it is left
   * out of the result, and the caller describes it to validate it (Kafka's TopicExistsException in
   * InternalTopicManager#makeReady). A created topic may take a moment to show in describeTopics (metadata
   * propagation): callers trust the result rather than describe at once.
   */
  createTopics(topics: readonly NewTopic[]): Promise<readonly string[]>;

  /**
   * Describes the named topics. A topic that does not exist maps to undefined — an answer, not an error (Kafka's
   * UnknownTopicOrPartitionException per topic); a failure to ask rejects (ClientError 'unreachable', …). The map
   * has an entry for every name asked.
   */
  describeTopics(topics: readonly string[]): Promise<ReadonlyMap<string, TopicDescription | undefined>>;

  /**
   * The earliest (log start) or latest (end: the offset the next record will get) offset of each partition, in the
   * order asked. Under `isolation: 'read_committed'` latest is the last stable offset (what a read_committed
   * consumer can reach: exactly-once restoration). A partition that does not exist rejects with 'unknown-topic'.
   */
  listOffsets(
    partitions: readonly TopicPartition[],
    which: 'earliest' | 'latest',
    options?: { readonly isolation?: 'read_uncommitted' | 'read_committed' },
  ): Promise<readonly TopicPartitionOffset[]>;

  /**
   * Deletes the records of each partition before the given offset (DeleteRecords: the log start moves there). Kafka
   * Streams purges repartition topics up to the committed offsets this way (repartition.purge.interval.ms). An
   * offset past the end rejects with 'offset-out-of-range'.
   */
  deleteRecords(before: readonly TopicPartitionOffset[]): Promise<void>;

  /**
   * The name of every topic on the cluster, the cluster's own (`__consumer_offsets`, …) included: `streams topics`
   * and the reset tool (which finds an application's internal topics by name, as Kafka's StreamsResetter).
   */
  listTopics(): Promise<readonly string[]>;

  /**
   * Deletes the topics, and with them the groups' committed offsets on them (Kafka's reset tool deletes an
   * application's internal topics). A topic that does not exist is not an error: there is nothing to delete.
   * Resolves once the broker no longer lists them, so that topics of the same names created next are new ones.
   */
  deleteTopics(topics: readonly string[]): Promise<void>;

  /**
   * The offsets the group committed on the partitions of the named topics (OffsetFetch): for lag, and the reset
   * tool. A partition the group never committed is left out; a group that does not exist has none. `metadata` (Kafka
   * Streams' partition time) where the client returns it: the embedded log's admin does, the Kafka adapters leave it
   * out (the runtime reads it through GroupConsumer#committed).
   */
  committedOffsets(groupId: string, topics: readonly string[]): Promise<readonly TopicPartitionOffset[]>;

  /**
   * Sets the group's committed offsets (Kafka's reset tool, kafka-consumer-groups --reset-offsets): the next member
   * of the group reads each partition from there. Only for a group with no member: one that has members (the
   * application is running) rejects with 'fatal', naming the group and saying to stop its instances first.
   */
  alterCommittedOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void>;

  close(): Promise<void>;
}

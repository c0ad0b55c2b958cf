import type { TopicPartition } from '../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../io/topic-partition-offset.ts';
import type { KafkaAdmin, NewTopic, TopicDescription } from '../client/kafka-admin.ts';
import type { EmbeddedLog } from './embedded-log.ts';
import { ClientError } from '../errors/client-error.ts';

/**
 * KafkaAdmin on the embedded log: every call answers from the log at once (there is no broker to reach, so
 * connect() never fails, and a created topic is there for the next call: no metadata to propagate). Replication
 * factors are ignored (one copy, on this disk); topic configs are kept and acted on (cleanup.policy,
 * retention.ms). listOffsets 'latest' is the last stable offset under either isolation: the log never shows
 * uncommitted records.
 */
export class EmbeddedAdmin implements KafkaAdmin {
  constructor(private readonly log: EmbeddedLog) {}

  async connect(): Promise<void> {
    this.log.topicNames(); // fails when the log is closed
  }

  async createTopics(topics: readonly NewTopic[]): Promise<readonly string[]> {
    return this.log.createTopics(topics);
  }

  async describeTopics(topics: readonly string[]): Promise<ReadonlyMap<string, TopicDescription | undefined>> {
    return new Map(topics.map((t) => [t, this.log.describeTopic(t)]));
  }

  /** `isolation` changes nothing: what the log has is committed (read_committed and read_uncommitted see the same). */
  async listOffsets(
    partitions: readonly TopicPartition[],
    which: 'earliest' | 'latest',
    _options?: { readonly isolation?: 'read_uncommitted' | 'read_committed' },
  ): Promise<readonly TopicPartitionOffset[]> {
    return partitions.map((tp) => ({
      topic: tp.topic,
      partition: tp.partition,
      offset: which === 'earliest' ? this.log.startOffset(tp) : this.log.endOffset(tp),
    }));
  }

  async deleteRecords(before: readonly TopicPartitionOffset[]): Promise<void> {
    this.log.deleteRecords(before);
  }

  async listTopics(): Promise<readonly string[]> {
    return this.log.topicNames();
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    this.log.deleteTopics(topics);
  }

  /** Each with the metadata committed with it, where there is some (Kafka Streams' partition time). */
  async committedOffsets(groupId: string, topics: readonly string[]): Promise<readonly TopicPartitionOffset[]> {
    const out: TopicPartitionOffset[] = [];
    for (const topic of topics) {
      const partitions = this.log.describeTopic(topic)?.partitions ?? 0;
      for (let partition = 0; partition < partitions; partition++) {
        const committed = this.log.committedOffset(groupId, { topic, partition });
        if (committed !== undefined) out.push(committed);
      }
    }
    return out;
  }

  async alterCommittedOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    // Joining is the check: the group's one member here (a running application) is refused while the offsets change.
    let leave: () => void;
    try {
      leave = this.log.joinGroup(groupId);
    } catch (e) {
      throw new ClientError(`Setting the committed offsets of group ${groupId} failed: the group has a running member (the application is running). Stop it, then try again.`, 'fatal', { cause: e });
    }
    try {
      this.log.commitOffsets(groupId, offsets);
    } finally {
      leave();
    }
  }

  async close(): Promise<void> {
    // The log is its opener's to close: the admin holds nothing of its own.
  }
}

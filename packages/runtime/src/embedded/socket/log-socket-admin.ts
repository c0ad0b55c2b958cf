import type { TopicPartition } from '../../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import type { KafkaAdmin, NewTopic, TopicDescription } from '../../client/kafka-admin.ts';
import type { LogConnection } from './log-connection.ts';
import { Op } from './log-protocol.ts';

/**
 * KafkaAdmin on an embedded log served by another process (LogServer): each call is one request, answered by the
 * log's own EmbeddedAdmin there, with its results and its errors (a ClientError keeps its reason and partitions).
 */
export class LogSocketAdmin implements KafkaAdmin {
  constructor(private readonly connection: LogConnection) {}

  /** The connection said hello when it opened: nothing more to wait for. */
  async connect(): Promise<void> {}

  createTopics(topics: readonly NewTopic[]): Promise<readonly string[]> {
    return this.call('createTopics', topics);
  }

  async describeTopics(topics: readonly string[]): Promise<ReadonlyMap<string, TopicDescription | undefined>> {
    // A topic that does not exist crosses as null (JSON has no undefined).
    const entries = await this.call<[string, TopicDescription | null][]>('describeTopics', topics);
    return new Map(entries.map(([name, d]) => [name, d ?? undefined]));
  }

  /** `isolation` changes nothing on the embedded log (it only ever shows committed records). */
  listOffsets(partitions: readonly TopicPartition[], which: 'earliest' | 'latest'): Promise<readonly TopicPartitionOffset[]> {
    return this.call('listOffsets', partitions, which);
  }

  deleteRecords(before: readonly TopicPartitionOffset[]): Promise<void> {
    return this.call('deleteRecords', before);
  }

  listTopics(): Promise<readonly string[]> {
    return this.call('listTopics');
  }

  deleteTopics(topics: readonly string[]): Promise<void> {
    return this.call('deleteTopics', topics);
  }

  committedOffsets(groupId: string, topics: readonly string[]): Promise<readonly TopicPartitionOffset[]> {
    return this.call('committedOffsets', groupId, topics);
  }

  /** Refused (ClientError 'fatal', naming the group) while the serving process runs the group's application. */
  alterCommittedOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    return this.call('alterCommittedOffsets', groupId, offsets);
  }

  async close(): Promise<void> {
    // The connection is the client's: the admin holds nothing of its own.
  }

  private async call<T>(method: string, ...args: unknown[]): Promise<T> {
    const answer = await this.connection.request(Op.ADMIN, (w) => w.json({ method, args }), { what: `a ${method} call` });
    return answer.json<T>();
  }
}

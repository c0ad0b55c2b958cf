import { Admin, ErrorCode, getErrorName, type Cluster } from '@kafkats/client';
import { awaitTopicsGone } from '../await-topics-gone.ts';
import { ClientError } from '../../errors/client-error.ts';
import type { TopicPartition } from '../../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import type { KafkaAdmin, NewTopic, TopicDescription } from '../kafka-admin.ts';
import { codeError, reasonOfCode, toClientError } from './kafkats-errors.ts';
import { connectCluster, newCluster, type KafkatsConnection } from './kafkats-connection.ts';
import { listOffsets } from './kafkats-list-offsets.ts';
import { deleteRecords, describeTopicConfigs } from './kafkats-raw-requests.ts';
import { retrying } from './kafkats-retry.ts';

/** How long createTopics lets the controller take (and waits for the new partitions' leaders); DeleteRecords too. */
const ADMIN_TIMEOUT_MS = 30_000;

/**
 * KafkaAdmin over @kafkats/client: its Admin for creating, listing and deleting topics and describing groups; the
 * group's offsets (OffsetFetch, OffsetCommit) and ListOffsets through its Broker; DeleteRecords and DescribeConfigs,
 * which @kafkats/client 0.12 does not send, written here over its connection (kafkats-raw-requests.ts).
 */
export class KafkatsAdmin implements KafkaAdmin {
  readonly #connection: KafkatsConnection;
  readonly #cluster: Cluster;
  readonly #admin: Admin;
  #connected: Promise<void> | undefined;

  constructor(connection: KafkatsConnection) {
    this.#connection = connection;
    this.#cluster = newCluster(connection);
    this.#admin = new Admin(this.#cluster, { requestTimeoutMs: ADMIN_TIMEOUT_MS });
  }

  connect(): Promise<void> {
    this.#connected ??= connectCluster(this.#cluster, this.#connection, 'Connecting the admin client');
    this.#connected.catch(() => (this.#connected = undefined));
    return this.#connected;
  }

  async createTopics(topics: readonly NewTopic[]): Promise<readonly string[]> {
    if (topics.length === 0) return [];
    await this.connect();
    const what = `Creating topics ${topics.map((t) => `${t.name} (${t.partitions} partitions)`).join(', ')}`;
    let results;
    try {
      results = await this.#admin.createTopics(
        topics.map((t) => ({ name: t.name, numPartitions: t.partitions, replicationFactor: t.replicationFactor ?? -1, configs: { ...t.configs } })),
        { timeoutMs: ADMIN_TIMEOUT_MS },
      );
    } catch (error) {
      throw toClientError(error, what);
    }
    const created: string[] = [];
    for (const result of results) {
      if (result.errorCode === ErrorCode.None) created.push(result.name);
      else if (result.errorCode !== ErrorCode.TopicAlreadyExists) {
        throw new ClientError(`${what} failed (${reasonOfCode(result.errorCode)}): ${result.name}: ${result.errorMessage ?? getErrorName(result.errorCode)}`, reasonOfCode(result.errorCode));
      }
    }
    await this.#awaitLeaders(topics.filter((t) => created.includes(t.name)));
    return created;
  }

  /** Polls metadata until every partition of the topics just created has a leader, for at most ADMIN_TIMEOUT_MS. */
  async #awaitLeaders(topics: readonly NewTopic[]): Promise<void> {
    if (topics.length === 0) return;
    const deadline = Date.now() + ADMIN_TIMEOUT_MS;
    for (let wait = 50; ; wait = Math.min(wait * 2, 1_000)) {
      try {
        const metadata = await this.#cluster.refreshMetadata(topics.map((t) => t.name));
        const ready = topics.every((t) => {
          const found = metadata.topics.get(t.name);
          return found !== undefined && found.partitions.size === t.partitions && [...found.partitions.values()].every((p) => p.leaderId >= 0);
        });
        if (ready) return;
      } catch {
        // not listed yet: look again
      }
      if (Date.now() + wait > deadline) {
        throw new ClientError(`Created topics ${topics.map((t) => t.name).join(', ')}, but their partitions had no leaders after ${ADMIN_TIMEOUT_MS / 1000} s`, 'unreachable');
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  describeTopics(topics: readonly string[]): Promise<ReadonlyMap<string, TopicDescription | undefined>> {
    return retrying(() => this.#describeTopics(topics));
  }

  async #describeTopics(topics: readonly string[]): Promise<ReadonlyMap<string, TopicDescription | undefined>> {
    const described = new Map<string, TopicDescription | undefined>(topics.map((name) => [name, undefined]));
    if (topics.length === 0) return described;
    await this.connect();
    try {
      const metadata = await this.#cluster.refreshMetadata([...topics]);
      const present = topics.filter((name) => metadata.topics.has(name));
      if (present.length === 0) return described;
      const configs = await describeTopicConfigs(await this.#cluster.getAnyBroker(), present);
      for (const name of present) {
        const answer = configs.find((c) => c.topic === name);
        if (answer !== undefined && answer.errorCode !== ErrorCode.None && answer.errorCode !== ErrorCode.UnknownTopicOrPartition) {
          throw codeError(answer.errorCode, `Describing the configs of topic ${name}${answer.errorMessage ? ` (${answer.errorMessage})` : ''}`);
        }
        // Deleted between the two requests: it does not exist.
        if (answer?.errorCode === ErrorCode.UnknownTopicOrPartition) continue;
        described.set(name, { name, partitions: metadata.topics.get(name)!.partitions.size, configs: answer?.set ?? {} });
      }
      return described;
    } catch (error) {
      throw toClientError(error, `Describing topics ${topics.join(', ')}`);
    }
  }

  async listOffsets(
    partitions: readonly TopicPartition[],
    which: 'earliest' | 'latest',
    options: { readonly isolation?: 'read_uncommitted' | 'read_committed' } = {},
  ): Promise<readonly TopicPartitionOffset[]> {
    if (partitions.length === 0) return [];
    await this.connect();
    return retrying(() => listOffsets(this.#cluster, partitions, which, options.isolation ?? 'read_uncommitted', `Listing the ${which} offsets of ${describePartitions(partitions)}`));
  }

  deleteRecords(before: readonly TopicPartitionOffset[]): Promise<void> {
    return retrying(() => this.#deleteRecords(before));
  }

  async #deleteRecords(before: readonly TopicPartitionOffset[]): Promise<void> {
    if (before.length === 0) return;
    await this.connect();
    const what = `Deleting records of ${describePartitions(before)}`;
    try {
      const metadata = await this.#cluster.refreshMetadata([...new Set(before.map((b) => b.topic))]);
      const byLeader = new Map<number, Map<string, { partition: number; offset: number }[]>>();
      for (const { topic, partition, offset } of before) {
        const leader = metadata.topics.get(topic)?.partitions.get(partition)?.leaderId;
        if (leader === undefined) throw new ClientError(`${what} failed: topic ${topic} has no partition ${partition}`, 'unknown-topic', { partitions: [{ topic, partition }] });
        if (leader < 0) throw new ClientError(`${what} failed: ${topic}-${partition} has no leader`, 'unreachable', { partitions: [{ topic, partition }] });
        let ofLeader = byLeader.get(leader);
        if (ofLeader === undefined) byLeader.set(leader, (ofLeader = new Map()));
        let ps = ofLeader.get(topic);
        if (ps === undefined) ofLeader.set(topic, (ps = []));
        ps.push({ partition, offset });
      }
      const answers = (await Promise.all([...byLeader].map(async ([nodeId, byTopic]) => deleteRecords(await this.#cluster.getBroker(nodeId), byTopic, ADMIN_TIMEOUT_MS)))).flat();
      const failed = answers.filter((a) => a.errorCode !== ErrorCode.None);
      if (failed.length > 0) {
        const outOfRange = failed.filter((a) => a.errorCode === ErrorCode.OffsetOutOfRange);
        const first = failed[0]!;
        const reason = outOfRange.length > 0 ? 'offset-out-of-range' : reasonOfCode(first.errorCode);
        throw new ClientError(
          `${what} failed (${reason}): ${failed.map((a) => `${a.topic}-${a.partition}: ${getErrorName(a.errorCode)}`).join('; ')}`,
          reason,
          { partitions: (outOfRange.length > 0 ? outOfRange : failed).map(({ topic, partition }) => ({ topic, partition })) },
        );
      }
    } catch (error) {
      throw toClientError(error, what);
    }
  }

  async listTopics(): Promise<readonly string[]> {
    await this.connect();
    try {
      return await this.#admin.listTopics();
    } catch (error) {
      throw toClientError(error, 'Listing topics');
    }
  }

  async deleteTopics(topics: readonly string[]): Promise<void> {
    if (topics.length === 0) return;
    await this.connect();
    const what = `Deleting topics ${topics.join(', ')}`;
    let results;
    try {
      results = await this.#admin.deleteTopics([...topics], { timeoutMs: ADMIN_TIMEOUT_MS });
    } catch (error) {
      throw toClientError(error, what);
    }
    // A topic that does not exist: nothing to delete.
    const failed = results.find((r) => r.errorCode !== ErrorCode.None && r.errorCode !== ErrorCode.UnknownTopicOrPartition);
    if (failed !== undefined) throw codeError(failed.errorCode, `${what} (${failed.name}${failed.errorMessage ? `: ${failed.errorMessage}` : ''})`);
    await awaitTopicsGone(() => this.listTopics(), topics, ADMIN_TIMEOUT_MS);
  }

  committedOffsets(groupId: string, topics: readonly string[]): Promise<readonly TopicPartitionOffset[]> {
    return retrying(() => this.#committedOffsets(groupId, topics));
  }

  async #committedOffsets(groupId: string, topics: readonly string[]): Promise<readonly TopicPartitionOffset[]> {
    if (topics.length === 0) return [];
    await this.connect();
    const what = `Reading the committed offsets of group ${groupId}`;
    try {
      const coordinator = await this.#cluster.getCoordinator('GROUP', groupId);
      // Every offset the group has (topics null), then those of the topics asked.
      const response = await coordinator.offsetFetch({ groupId, topics: null, requireStable: false });
      if (response.errorCode !== ErrorCode.None) throw codeError(response.errorCode, what);
      const wanted = new Set(topics);
      return response.topics
        .filter((t) => wanted.has(t.name))
        .flatMap((t) => t.partitions.filter((p) => p.errorCode === ErrorCode.None && p.committedOffset >= 0n).map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: Number(p.committedOffset) })));
    } catch (error) {
      throw toClientError(error, what);
    }
  }

  async alterCommittedOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.connect();
    const what = `Setting the committed offsets of group ${groupId}`;
    let members: number;
    try {
      const [group] = await this.#admin.describeGroups([groupId]);
      if (group !== undefined && group.errorCode !== ErrorCode.None) throw codeError(group.errorCode, what);
      members = group?.members.length ?? 0;
    } catch (error) {
      throw toClientError(error, what);
    }
    if (members > 0) {
      throw new ClientError(
        `${what} failed: the group has ${members} active member${members === 1 ? '' : 's'} (the application is running). Stop every instance of it, then try again.`,
        'fatal',
      );
    }
    const byTopic = new Map<string, { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; committedMetadata: string | null }[]>();
    for (const { topic, partition, offset } of offsets) {
      let ps = byTopic.get(topic);
      if (ps === undefined) byTopic.set(topic, (ps = []));
      ps.push({ partitionIndex: partition, committedOffset: BigInt(offset), committedLeaderEpoch: -1, committedMetadata: null });
    }
    try {
      // As Kafka's Admin#alterConsumerGroupOffsets: an OffsetCommit outside any generation (-1, no member id), which
      // the coordinator takes only while the group is empty.
      const coordinator = await this.#cluster.getCoordinator('GROUP', groupId);
      const response = await coordinator.offsetCommit({ groupId, generationId: -1, memberId: '', groupInstanceId: null, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) });
      for (const topic of response.topics) {
        for (const p of topic.partitions) {
          if (p.errorCode !== ErrorCode.None) throw codeError(p.errorCode, `${what} (${topic.name}-${p.partitionIndex})`, [{ topic: topic.name, partition: p.partitionIndex }]);
        }
      }
    } catch (error) {
      throw toClientError(error, what);
    }
  }

  async close(): Promise<void> {
    await this.#connected?.catch(() => undefined);
    await this.#cluster.disconnect().catch(() => undefined);
  }
}

function describePartitions(partitions: readonly TopicPartition[]): string {
  const shown = partitions.slice(0, 8).map(({ topic, partition }) => `${topic}-${partition}`);
  return partitions.length > 8 ? `${shown.join(', ')} and ${partitions.length - 8} more` : shown.join(', ');
}

import type { Admin, Cluster, ConfigResourceTypes, Kafka } from 'kafkajs';
import { awaitTopicsGone } from '../await-topics-gone.ts';
import { ClientError } from '../../errors/client-error.ts';
import type { TopicPartition } from '../../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../../io/topic-partition-offset.ts';
import type { KafkaAdmin, NewTopic, TopicDescription } from '../kafka-admin.ts';
import { connectWithin, type ConnectPolicy } from './connect-within.ts';
import { kafkajsCluster } from './kafkajs-cluster.ts';
import { reasonOf, toClientError } from './kafkajs-errors.ts';

/**
 * kafkajs's ConfigResourceTypes.TOPIC (Kafka's resource type 2). Its value is not importable by name from ESM: kafkajs
 * spreads it into module.exports, which Node's CommonJS export detection does not follow.
 */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;
/** kafkajs's ConfigSource for a config set on the topic itself (DYNAMIC_TOPIC_CONFIG). */
const TOPIC_CONFIG_SOURCE = 1;
/** How long createTopics lets the controller take (and waits for the new partitions' leaders). */
const CREATE_TIMEOUT_MS = 30_000;

/**
 * KafkaAdmin over kafkajs's admin client. listOffsets goes through a Cluster of each isolation level (kafkajs's admin
 * lists offsets read_committed only: see kafkajsCluster).
 */
export class KafkajsAdmin implements KafkaAdmin {
  readonly #admin: Admin;
  readonly #kafka: Kafka;
  readonly #policy: ConnectPolicy;
  readonly #clusters = new Map<'read_uncommitted' | 'read_committed', Promise<Cluster>>();
  #connected: Promise<void> | undefined;

  constructor(kafka: Kafka, policy: ConnectPolicy) {
    this.#kafka = kafka;
    this.#policy = policy;
    this.#admin = kafka.admin({ retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 } });
  }

  connect(): Promise<void> {
    this.#connected ??= connectWithin(this.#policy, 'Connecting the admin client', () => this.#admin.connect(), () => this.#admin.disconnect());
    return this.#connected;
  }

  async createTopics(topics: readonly NewTopic[]): Promise<readonly string[]> {
    if (topics.length === 0) return [];
    await this.connect();
    // One request per topic: kafkajs answers a request where some topics existed with `false` for all of them (and
    // does not wait for the leaders of those it did create), so it cannot say which it created.
    const outcomes = await Promise.all(
      topics.map(async (topic) => {
        try {
          const created = await this.#admin.createTopics({
            validateOnly: false,
            waitForLeaders: true,
            timeout: CREATE_TIMEOUT_MS,
            topics: [
              {
                topic: topic.name,
                numPartitions: topic.partitions,
                replicationFactor: topic.replicationFactor ?? -1,
                configEntries: Object.entries(topic.configs).map(([name, value]) => ({ name, value })),
              },
            ],
          });
          return created ? topic.name : undefined;
        } catch (error) {
          const failure = toClientError(error, `Creating topic ${topic.name} (${topic.partitions} partitions)`);
          // Created, but kafkajs's wait for its leaders met a metadata answer that does not list it yet
          // (UNKNOWN_TOPIC_OR_PARTITION while the new topic propagates, seen under load): wait for it ourselves.
          if (failure.reason !== 'unknown-topic') throw failure;
          await this.#awaitLeaders(topic.name, topic.partitions, failure);
          return topic.name;
        }
      }),
    );
    return outcomes.filter((name): name is string => name !== undefined);
  }

  /** Polls metadata until every partition of a topic just created has a leader, for at most CREATE_TIMEOUT_MS. */
  async #awaitLeaders(name: string, partitions: number, failure: ClientError): Promise<void> {
    const deadline = Date.now() + CREATE_TIMEOUT_MS;
    for (let wait = 50; ; wait = Math.min(wait * 2, 1_000)) {
      try {
        const { topics } = await this.#admin.fetchTopicMetadata({ topics: [name] });
        const found = topics.find((t) => t.name === name);
        if (found !== undefined && found.partitions.length === partitions && found.partitions.every((p) => p.leader >= 0)) return;
      } catch {
        // not listed yet: look again
      }
      if (Date.now() + wait > deadline) throw failure;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async describeTopics(topics: readonly string[]): Promise<ReadonlyMap<string, TopicDescription | undefined>> {
    const described = new Map<string, TopicDescription | undefined>(topics.map((name) => [name, undefined]));
    if (topics.length === 0) return described;
    await this.connect();
    try {
      // Only topics the broker has: a metadata request naming a missing topic fails as a whole in kafkajs.
      const existing = new Set(await this.#admin.listTopics());
      const present = topics.filter((name) => existing.has(name));
      if (present.length === 0) return described;
      const [metadata, configs] = await Promise.all([
        this.#admin.fetchTopicMetadata({ topics: present }),
        this.#admin.describeConfigs({
          includeSynonyms: false,
          resources: present.map((name) => ({ type: TOPIC_RESOURCE, name })),
        }),
      ]);
      for (const topic of metadata.topics) {
        const resource = configs.resources.find((r) => r.resourceName === topic.name);
        const set: Record<string, string> = {};
        for (const entry of resource?.configEntries ?? []) {
          if (entry.configSource === TOPIC_CONFIG_SOURCE && !entry.isDefault) set[entry.configName] = entry.configValue;
        }
        described.set(topic.name, { name: topic.name, partitions: topic.partitions.length, configs: set });
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
    const cluster = await this.#cluster(options.isolation ?? 'read_uncommitted');
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of partitions) {
      if (!byTopic.has(topic)) byTopic.set(topic, []);
      byTopic.get(topic)!.push(partition);
    }
    const what = `Listing the ${which} offsets of ${describePartitions(partitions)}`;
    let answered: { topic: string; partitions: { partition: number; offset: string }[] }[];
    try {
      await cluster.addMultipleTargetTopics([...byTopic.keys()]);
      await cluster.refreshMetadataIfNecessary();
      for (const [topic, wanted] of byTopic) {
        const known = new Set(cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId));
        const missing = wanted.filter((p) => !known.has(p));
        if (missing.length > 0) {
          throw new ClientError(`${what} failed: topic ${topic} has no partition ${missing.join(', ')}`, 'unknown-topic', {
            partitions: missing.map((partition) => ({ topic, partition })),
          });
        }
      }
      answered = await cluster.fetchTopicsOffset(
        [...byTopic].map(([topic, wanted]) => ({
          topic,
          partitions: wanted.map((partition) => ({ partition })),
          fromBeginning: which === 'earliest',
        })),
      );
    } catch (error) {
      throw toClientError(error, what);
    }
    const offsetOf = new Map<string, number>();
    for (const { topic, partitions: answers } of answered) {
      for (const { partition, offset } of answers) offsetOf.set(`${topic}\u0000${partition}`, Number(offset));
    }
    return partitions.map(({ topic, partition }) => {
      const offset = offsetOf.get(`${topic}\u0000${partition}`);
      if (offset === undefined) {
        throw new ClientError(`${what} failed: the broker did not answer for ${topic}-${partition}`, 'unreachable', {
          partitions: [{ topic, partition }],
        });
      }
      return { topic, partition, offset };
    });
  }

  async deleteRecords(before: readonly TopicPartitionOffset[]): Promise<void> {
    if (before.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, TopicPartitionOffset[]>();
    for (const entry of before) {
      if (!byTopic.has(entry.topic)) byTopic.set(entry.topic, []);
      byTopic.get(entry.topic)!.push(entry);
    }
    await Promise.all(
      [...byTopic].map(async ([topic, entries]) => {
        try {
          // deleteTopicRecords finds the partitions' leaders in metadata it does not load itself.
          await this.#admin.fetchTopicMetadata({ topics: [topic] });
          await this.#admin.deleteTopicRecords({
            topic,
            partitions: entries.map(({ partition, offset }) => ({ partition, offset: String(offset) })),
          });
        } catch (error) {
          const failed = partitionErrors(error)
            .filter((p) => reasonOf(p.error).reason === 'offset-out-of-range')
            .map((p) => ({ topic, partition: p.partition }));
          const mapped = toClientError(error, `Deleting records of ${describePartitions(entries)}`);
          if (failed.length === 0) throw mapped;
          throw new ClientError(mapped.message, 'offset-out-of-range', { partitions: failed, cause: error });
        }
      }),
    );
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
    try {
      // Only those the broker has: kafkajs fails the whole request on a topic that does not exist.
      const existing = new Set(await this.#admin.listTopics());
      const present = topics.filter((name) => existing.has(name));
      if (present.length > 0) await this.#admin.deleteTopics({ topics: present, timeout: CREATE_TIMEOUT_MS });
    } catch (error) {
      throw toClientError(error, `Deleting topics ${topics.join(', ')}`);
    }
    await awaitTopicsGone(() => this.listTopics(), topics, CREATE_TIMEOUT_MS);
  }

  async committedOffsets(groupId: string, topics: readonly string[]): Promise<readonly TopicPartitionOffset[]> {
    if (topics.length === 0) return [];
    await this.connect();
    try {
      const answered = await this.#admin.fetchOffsets({ groupId, topics: [...topics] });
      // -1: no offset committed on the partition.
      return answered.flatMap(({ topic, partitions }) =>
        partitions.filter((p) => Number(p.offset) >= 0).map((p) => ({ topic, partition: p.partition, offset: Number(p.offset) })),
      );
    } catch (error) {
      throw toClientError(error, `Reading the committed offsets of group ${groupId}`);
    }
  }

  async alterCommittedOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.connect();
    const what = `Setting the committed offsets of group ${groupId}`;
    let members: number;
    try {
      const { groups } = await this.#admin.describeGroups([groupId]);
      members = groups.find((g) => g.groupId === groupId)?.members.length ?? 0;
    } catch (error) {
      throw toClientError(error, what);
    }
    if (members > 0) {
      throw new ClientError(
        `${what} failed: the group has ${members} active member${members === 1 ? '' : 's'} (the application is running). Stop every instance of it, then try again.`,
        'fatal',
      );
    }
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const { topic, partition, offset } of offsets) {
      if (!byTopic.has(topic)) byTopic.set(topic, []);
      byTopic.get(topic)!.push({ partition, offset: String(offset) });
    }
    try {
      // As Kafka's Admin#alterConsumerGroupOffsets: an OffsetCommit outside any generation (-1, no member id), which
      // the coordinator takes only while the group is empty. (kafkajs's admin setOffsets joins the group to commit.)
      const cluster = await this.#cluster('read_uncommitted');
      const coordinator = await cluster.findGroupCoordinator({ groupId });
      await coordinator.offsetCommit({
        groupId,
        groupGenerationId: -1,
        memberId: '',
        topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
      });
    } catch (error) {
      throw toClientError(error, what);
    }
  }

  async close(): Promise<void> {
    const clusters = [...this.#clusters.values()];
    this.#clusters.clear();
    await Promise.allSettled(clusters.map(async (cluster) => (await cluster).disconnect()));
    await this.#admin.disconnect();
  }

  #cluster(isolation: 'read_uncommitted' | 'read_committed'): Promise<Cluster> {
    let cluster = this.#clusters.get(isolation);
    if (cluster === undefined) {
      const made = kafkajsCluster(this.#kafka, isolation);
      cluster = connectWithin(this.#policy, 'Connecting the admin client', () => made.connect(), () => made.disconnect()).then(() => made);
      this.#clusters.set(isolation, cluster);
      cluster.catch(() => this.#clusters.delete(isolation));
    }
    return cluster;
  }
}

/** The per-partition errors of a KafkaJSDeleteTopicRecordsError, wherever along kafkajs's wrapping it is. */
function partitionErrors(error: unknown): { partition: number; error: unknown }[] {
  for (let e = error as { partitions?: unknown; cause?: unknown; originalError?: unknown } | null, depth = 0; e && depth < 10; depth++) {
    if (Array.isArray(e.partitions)) return (e.partitions as { partition: number; error: unknown }[]).filter((p) => p?.error != null);
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return [];
}

function describePartitions(partitions: readonly TopicPartition[]): string {
  const shown = partitions.slice(0, 8).map(({ topic, partition }) => `${topic}-${partition}`);
  return partitions.length > 8 ? `${shown.join(', ')} and ${partitions.length - 8} more` : shown.join(', ');
}

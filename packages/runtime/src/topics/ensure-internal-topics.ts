import type { Topology } from '@ts-streams/dsl';
import type { KafkaAdmin, NewTopic } from '../client/kafka-admin.ts';
import { MissingSourceTopicError } from '../errors/missing-source-topic-error.ts';
import { InternalTopicError, type PartitionMismatch } from '../errors/internal-topic-error.ts';
import { StreamsError } from '../errors/streams-error.ts';
import type { TopicPlan } from './topic-plan.ts';
import { userSourceTopics } from './topic-plan.ts';

/**
 * The partition counts of the topics a topology reads that the application does not create (userSourceTopics),
 * for planTopics. Any that do not exist: a MissingSourceTopicError naming them all — nothing is created for them.
 */
export async function describeSourceTopics(admin: KafkaAdmin, topology: Topology): Promise<Map<string, number>> {
  const topics = userSourceTopics(topology);
  const described = await admin.describeTopics(topics);
  const missing = topics.filter((t) => described.get(t) === undefined);
  if (missing.length > 0) throw new MissingSourceTopicError(missing);
  return new Map(topics.map((t) => [t, described.get(t)!.partitions]));
}

/**
 * The partition counts of the topics a topology writes that are not in `known` (its inputs, described already, and
 * its internal topics, planned), for the producer's partitioner. Any that do not exist: a StreamsError naming them all, before
 * anything is created (Kafka Streams would find out only when its producer gives up on the first send to it).
 */
export async function describeSinkTopics(admin: KafkaAdmin, topology: Topology, known: ReadonlyMap<string, number>): Promise<Map<string, number>> {
  const topics = [...new Set(topology.graph.nodes.flatMap((n) => (n.kind === 'sink' && !n.internal && typeof n.topic === 'string' && !known.has(n.topic) ? [n.topic] : [])))];
  const described = await admin.describeTopics(topics);
  const missing = topics.filter((t) => described.get(t) === undefined);
  if (missing.length > 0) {
    throw new StreamsError(
      `The topology writes to ${missing.map((t) => `'${t}'`).join(', ')}, which the broker does not have; create ` +
        `${missing.length === 1 ? 'it' : 'them'}, then start again (only internal topics are created by the application).`,
    );
  }
  return new Map(topics.map((t) => [t, described.get(t)!.partitions]));
}

/** What ensureInternalTopics found and did. */
export interface InternalTopicsReady {
  /** Topics it created (their state starts empty: nothing to restore). */
  readonly created: readonly string[];
  /** Topics that were there with the planned partition count. */
  readonly existing: readonly string[];
}

/**
 * Makes the plan's internal topics exist as planned (InternalTopicManager#makeReady): creates the missing ones with
 * their partitions and configs, and checks the existing ones' partition counts — every mismatch in one
 * InternalTopicError naming topic, expected and actual count, and the fix. Like Kafka, it does not check the configs
 * of a topic that exists (an operator may have changed them on purpose). A topic another instance created meanwhile
 * (createTopics leaves it out) is described and checked like any existing one; one that still does not show (being
 * deleted) is a retriable error: start again in a moment.
 */
export async function ensureInternalTopics(
  admin: KafkaAdmin,
  plan: TopicPlan,
  options: { readonly replicationFactor?: number } = {},
): Promise<InternalTopicsReady> {
  const planned = [...plan.repartitionTopics, ...plan.changelogTopics];
  const names = planned.map((t) => t.name);
  const described = await admin.describeTopics(names);
  const mismatches: PartitionMismatch[] = [];
  const existing: string[] = [];
  const toCreate: NewTopic[] = [];
  for (const t of planned) {
    const found = described.get(t.name);
    if (found === undefined) {
      toCreate.push({ name: t.name, partitions: t.partitions, configs: t.configs, ...(options.replicationFactor !== undefined ? { replicationFactor: options.replicationFactor } : {}) });
    } else if (found.partitions !== t.partitions) {
      mismatches.push({ topic: t.name, expected: t.partitions, actual: found.partitions });
    } else {
      existing.push(t.name);
    }
  }
  if (mismatches.length > 0) throw new InternalTopicError(mismatches);
  if (toCreate.length === 0) return { created: [], existing };

  const created = await admin.createTopics(toCreate);
  const raced = toCreate.filter((t) => !created.includes(t.name));
  if (raced.length > 0) {
    const again = await admin.describeTopics(raced.map((t) => t.name));
    const gone = raced.filter((t) => again.get(t.name) === undefined).map((t) => `'${t.name}'`);
    if (gone.length > 0) {
      throw new StreamsError(
        `Internal topics ${gone.join(', ')} could neither be created (they exist) nor described (they do not): ` +
          `probably being deleted. Start the application again once the deletion is done.`,
        { retriable: true },
      );
    }
    for (const t of raced) {
      const actual = again.get(t.name)!.partitions;
      if (actual !== t.partitions) mismatches.push({ topic: t.name, expected: t.partitions, actual });
      else existing.push(t.name);
    }
    if (mismatches.length > 0) throw new InternalTopicError(mismatches);
  }
  return { created: [...created], existing };
}

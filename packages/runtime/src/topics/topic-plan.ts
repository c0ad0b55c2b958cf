import { TopologyError, type Topology, type GraphNode } from '@ts-streams/dsl';
import { MissingSourceTopicError } from '../errors/missing-source-topic-error.ts';
import { changelogTopic, repartitionTopic } from './internal-topic-names.ts';
import {
  DEFAULT_WINDOW_CHANGELOG_ADDITIONAL_RETENTION_MS,
  bufferChangelogTopicConfigs,
  changelogTopicConfigs,
  repartitionTopicConfigs,
} from './internal-topic-configs.ts';
import { copartitionGroups, enforceCopartitioning } from './copartitioning.ts';

/** An internal topic the application needs, with the partitions and configs Kafka Streams gives it. */
export interface PlannedTopic {
  readonly name: string;
  readonly kind: 'repartition' | 'changelog';
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string>>;
  /** The sub-topology that reads it (repartition) or whose tasks own it (changelog). */
  readonly subtopology: number;
  /** The store (or suppress buffer) a changelog belongs to. */
  readonly store?: string;
}

/** A sub-topology's tasks: one per partition of its input (the max over its source topics, as Kafka's grouper). */
export interface SubtopologyTasks {
  readonly subtopology: number;
  readonly tasks: number;
  /** Its source topics by their names on the broker (repartition topics with the application id). */
  readonly sourceTopics: readonly string[];
}

/** What Kafka Streams' RepartitionTopics and ChangelogTopics compute for a topology, before any topic is touched. */
export interface TopicPlan {
  readonly applicationId: string;
  readonly subtopologies: readonly SubtopologyTasks[];
  readonly repartitionTopics: readonly PlannedTopic[];
  readonly changelogTopics: readonly PlannedTopic[];
}

export interface TopicPlanOptions {
  readonly applicationId: string;
  /** The partition count of every topic the topology reads that is not its own (see userSourceTopics). */
  readonly sourcePartitions: ReadonlyMap<string, number>;
  /** The application's `topic.*` settings: configs for every internal topic, below a store's own logConfig. */
  readonly topicDefaults?: Readonly<Record<string, string>>;
  /** windowstore.changelog.additional.retention.ms (default one day). */
  readonly windowChangelogAdditionalRetentionMs?: number;
}

/**
 * The topics a topology reads that the application does not create: sources that are not repartition topics,
 * global tables' topics included, each once, in the order of the graph. They must exist before it starts.
 */
export function userSourceTopics(topology: Topology): string[] {
  const topics = new Set<string>();
  for (const n of topology.graph.nodes) if (n.kind === 'source' && !n.internal) for (const t of n.topics) topics.add(t);
  return [...topics];
}

/**
 * The internal topics of a topology and their partition counts, as Kafka Streams' assignor computes them
 * (RepartitionTopics#setup, then ChangelogTopics#setup):
 * - a repartition topic has the count its repartition() gave (Repartitioned.numberOfPartitions), or else the max
 *   partition count over the source topics of the sub-topologies writing it, resolved through chains of repartition
 *   topics until every count is known;
 * - then co-partitioned groups (the inputs of a join) are made equal (CopartitionedTopicsEnforcer): to the count
 *   of the user topics in the group, which must agree, or, when all are repartition topics, to the explicit count,
 *   or else to the max. A disagreement is a TopologyError naming the topics and counts;
 * - a changelog has one partition per task of the sub-topology that owns its store, and Kafka's configs.
 * One difference from Kafka: a repartition topic's count is taken once every upstream count is known (Kafka takes
 * the max of those known when it looks, which depends on its HashMap order); both agree on every DSL topology
 * whose counts do not depend on that order.
 * Pure: the partition counts of the user's topics come in `options.sourcePartitions`; a missing one is a
 * MissingSourceTopicError naming every missing topic.
 */
export function planTopics(topology: Topology, options: TopicPlanOptions): TopicPlan {
  const { applicationId, sourcePartitions } = options;
  const topicDefaults = options.topicDefaults ?? {};
  const additionalRetentionMs = options.windowChangelogAdditionalRetentionMs ?? DEFAULT_WINDOW_CHANGELOG_ADDITIONAL_RETENTION_MS;
  const graph = topology.graph;

  const missing = userSourceTopics(topology).filter((t) => !sourcePartitions.has(t));
  if (missing.length > 0) throw new MissingSourceTopicError(missing);

  // Each sub-topology's sources and internal sinks, by broker name; each repartition topic's reader and explicit count.
  const subs = topology.subtopologies.map((s) => {
    const nodes = s.nodes.map((n) => graph.node(n));
    return {
      id: s.id,
      nodes,
      sources: [...s.sourceTopics, ...s.internalSourceTopics.map((t) => repartitionTopic(applicationId, t))],
      sinks: nodes.flatMap((n) => (n.kind === 'sink' && n.internal && typeof n.topic === 'string' ? [repartitionTopic(applicationId, n.topic)] : [])),
    };
  });
  const repartitions = new Map<string, { reader: number; explicit: number | undefined; partitions: number | undefined }>();
  for (const sub of subs) {
    for (const n of sub.nodes) {
      if (n.kind !== 'source' || !n.internal) continue;
      for (const t of n.topics) repartitions.set(repartitionTopic(applicationId, t), { reader: sub.id, explicit: n.partitions, partitions: n.partitions });
    }
  }

  const countOf = (topic: string): number | undefined => (repartitions.has(topic) ? repartitions.get(topic)!.partitions : sourcePartitions.get(topic));
  // RepartitionTopics#setRepartitionSourceTopicPartitionCount: iterate until every count is known.
  for (;;) {
    let unresolved = 0;
    let progress = false;
    for (const [topic, r] of repartitions) {
      if (r.partitions !== undefined) continue;
      const upstream = subs.filter((s) => s.sinks.includes(topic)).flatMap((s) => s.sources);
      const counts = upstream.map(countOf);
      if (upstream.length === 0 || counts.some((c) => c === undefined)) {
        unresolved++;
        continue;
      }
      r.partitions = Math.max(...(counts as number[]));
      progress = true;
    }
    if (unresolved === 0) break;
    if (!progress) {
      const open = [...repartitions].filter(([, r]) => r.partitions === undefined).map(([t]) => `'${t}'`);
      throw new TopologyError(`Cannot tell the partition count of repartition topics ${open.join(', ')}: no sub-topology with known inputs writes them.`);
    }
  }

  const resolved = (t: string, internal: boolean) => (internal ? repartitionTopic(applicationId, t) : t);
  for (const group of copartitionGroups(graph, resolved)) enforceCopartitioning(group, repartitions, sourcePartitions);

  const subtopologies: SubtopologyTasks[] = subs.map((s) => ({
    subtopology: s.id,
    tasks: Math.max(...s.sources.map((t) => countOf(t)!)),
    sourceTopics: s.sources,
  }));

  const repartitionTopics: PlannedTopic[] = [...repartitions].map(([name, r]) => ({
    name, kind: 'repartition' as const, partitions: r.partitions!, configs: repartitionTopicConfigs(topicDefaults), subtopology: r.reader,
  }));
  repartitionTopics.sort((a, b) => a.subtopology - b.subtopology);

  const changelogTopics: PlannedTopic[] = [];
  subs.forEach((sub, i) => {
    const partitions = subtopologies[i]!.tasks;
    const add = (store: string, configs: Record<string, string>) =>
      changelogTopics.push({ name: changelogTopic(applicationId, store), kind: 'changelog', partitions, configs, subtopology: sub.id, store });
    for (const name of topology.subtopologies[i]!.stores) {
      const spec = graph.stores.get(name);
      if (spec?.logging && !graph.globalStores.has(name)) add(name, changelogTopicConfigs(spec, topicDefaults, additionalRetentionMs));
    }
    // A suppress() buffer is logged as Kafka's (its BufferConfig logs by default), though ours keeps it in memory.
    for (const n of sub.nodes) if (isSuppress(n)) add(n.bufferName, bufferChangelogTopicConfigs(topicDefaults));
  });
  return { applicationId, subtopologies, repartitionTopics, changelogTopics };
}

function isSuppress(n: GraphNode): n is Extract<GraphNode, { op: 'tableSuppress' }> {
  return n.kind === 'processor' && n.op === 'tableSuppress';
}

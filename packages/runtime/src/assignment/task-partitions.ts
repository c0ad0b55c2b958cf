import type { Topology } from '@ts-streams/dsl';
import type { TopicPartition } from '../io/topic-partition.ts';
import { StreamsError } from '../errors/streams-error.ts';
import { TaskId } from './task-id.ts';

/** A task and the partitions of its sub-topology's source topics it reads. */
export interface TaskPartitions {
  readonly task: TaskId;
  /** Sorted by topic. */
  readonly partitions: readonly TopicPartition[];
}

/** The partition count of a topic as the cluster reports it; undefined when the topic does not exist. */
export type PartitionCount = (topic: string) => number | undefined;

/**
 * The topics each sub-topology reads, by sub-topology id, with the names they have on the cluster: repartition
 * topics get the `<applicationId>-` prefix, as compileTask resolves them. Global stores' topics are not here:
 * every instance reads them whole, outside the consumer group.
 */
export function subtopologySourceTopics(topology: Topology, applicationId: string): Map<number, readonly string[]> {
  const out = new Map<number, readonly string[]>();
  for (const st of topology.subtopologies) {
    out.set(st.id, [...st.sourceTopics, ...st.internalSourceTopics.map((t) => `${applicationId}-${t}`)]);
  }
  return out;
}

/** Every topic the consumer group subscribes to (the sub-topologies' sources), sorted. */
export function groupSourceTopics(topology: Topology, applicationId: string): string[] {
  return [...new Set([...subtopologySourceTopics(topology, applicationId).values()].flat())].sort();
}

/** The group's source topics that the cluster does not have, sorted. */
export function missingSourceTopics(topology: Topology, applicationId: string, partitionCount: PartitionCount): string[] {
  return groupSourceTopics(topology, applicationId).filter((t) => partitionCount(t) === undefined);
}

/**
 * The tasks of the topology and the partitions each reads, in TaskId order (Kafka Streams' PartitionGrouper): a
 * sub-topology has as many tasks as its source topic with the most partitions, and task `s_p` reads partition p
 * of each of its source topics that has one. Co-partitioned topics (a join's two sides) have the same count —
 * checked where the application starts, not here — so a task holds the same partition of each.
 * A missing source topic is an error naming it.
 */
export function taskPartitions(topology: Topology, applicationId: string, partitionCount: PartitionCount): TaskPartitions[] {
  const missing = missingSourceTopics(topology, applicationId, partitionCount);
  if (missing.length > 0) {
    throw new StreamsError(
      `Source topic${missing.length > 1 ? 's' : ''} ${missing.map((t) => `'${t}'`).join(', ')} of application '${applicationId}' ` +
        `${missing.length > 1 ? 'do' : 'does'} not exist; create ${missing.length > 1 ? 'them' : 'it'} (only internal topics are created by the application).`,
    );
  }
  const out: TaskPartitions[] = [];
  for (const [subtopology, sources] of subtopologySourceTopics(topology, applicationId)) {
    const topics = [...sources].sort();
    const counts = topics.map((t) => partitionCount(t)!);
    const max = Math.max(...counts);
    for (let p = 0; p < max; p++) {
      const partitions: TopicPartition[] = [];
      topics.forEach((topic, i) => {
        if (p < counts[i]!) partitions.push({ topic, partition: p });
      });
      out.push({ task: new TaskId(subtopology, p), partitions });
    }
  }
  return out.sort((a, b) => TaskId.compare(a.task, b.task));
}

/**
 * The tasks that assigned partitions make up, on the member's side: partition p of a topic belongs to task
 * `s_p` of the one sub-topology reading the topic (a topic has one source), so no cluster metadata is needed.
 * A partition of a topic the topology does not read is an error (the assignment is not this topology's).
 */
export function tasksOfPartitions(topology: Topology, applicationId: string, partitions: Iterable<TopicPartition>): TaskPartitions[] {
  const subtopologyOf = new Map<string, number>();
  for (const [s, topics] of subtopologySourceTopics(topology, applicationId)) for (const t of topics) subtopologyOf.set(t, s);
  const byTask = new Map<string, { task: TaskId; partitions: TopicPartition[] }>();
  for (const tp of partitions) {
    const s = subtopologyOf.get(tp.topic);
    if (s === undefined) {
      throw new StreamsError(`Partition ${tp.topic}-${tp.partition} was assigned to this instance, but no sub-topology of application '${applicationId}' reads topic '${tp.topic}'; do all instances run the same topology?`);
    }
    const task = new TaskId(s, tp.partition);
    let entry = byTask.get(task.toString());
    if (!entry) byTask.set(task.toString(), (entry = { task, partitions: [] }));
    entry.partitions.push({ topic: tp.topic, partition: tp.partition });
  }
  const out = [...byTask.values()];
  for (const e of out) e.partitions.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  return out.sort((a, b) => TaskId.compare(a.task, b.task));
}

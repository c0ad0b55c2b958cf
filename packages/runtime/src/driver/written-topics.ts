import type { Topology } from '@ts-streams/dsl';
import { changelogTopic, repartitionTopic } from '../topics/internal-topic-names.ts';

/**
 * Every topic the topology can write, by the name the driver captures it under: sink topics (repartition topics
 * prefixed with `<applicationId>-`) and the changelog topics of logged stores, in the order the topology declares
 * them. Undefined when a sink chooses its topic per record (a TopicNameExtractor): then any topic may be written.
 */
export function writtenTopics(topology: Topology, applicationId: string): readonly string[] | undefined {
  const topics = new Set<string>();
  for (const n of topology.graph.nodes) {
    if (n.kind !== 'sink') continue;
    if (typeof n.topic !== 'string') return undefined;
    topics.add(n.internal ? repartitionTopic(applicationId, n.topic) : n.topic);
  }
  for (const store of topology.graph.stores.values()) if (store.logging) topics.add(changelogTopic(applicationId, store.name));
  return [...topics];
}

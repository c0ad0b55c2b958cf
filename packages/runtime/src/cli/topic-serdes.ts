import { Serdes, type Serde, type Topology } from '@ts-streams/dsl';

export interface TopicSerdes {
  readonly key: Serde<unknown>;
  readonly value: Serde<unknown>;
}

/**
 * The serdes a topology declares for one of its topics: those of a sink writing it (what the application writes
 * there), else those of a source reading it; a side left undeclared takes the topology's default serde, else String.
 * undefined when the topology neither reads nor writes the topic.
 */
export function topicSerdes(topology: Topology, topic: string): TopicSerdes | undefined {
  const nodes = topology.graph.nodes;
  const node =
    nodes.find((n) => n.kind === 'sink' && !n.internal && n.topic === topic) ??
    nodes.find((n) => n.kind === 'source' && !n.internal && n.topics.includes(topic));
  if (node === undefined || (node.kind !== 'sink' && node.kind !== 'source')) return undefined;
  const fallback = Serdes.String() as Serde<unknown>;
  return {
    key: node.keySerde ?? topology.defaultKeySerde ?? fallback,
    value: node.valueSerde ?? topology.defaultValueSerde ?? fallback,
  };
}

/** The topics a topology writes to by name (its sinks'), in graph order. */
export function sinkTopics(topology: Topology): string[] {
  const topics = new Set<string>();
  for (const n of topology.graph.nodes) if (n.kind === 'sink' && !n.internal && typeof n.topic === 'string') topics.add(n.topic);
  return [...topics];
}

import type { LogicalGraph } from '../graph/logical-graph.ts';
import { MinHeap } from './min-heap.ts';

/**
 * The order Kafka Streams writes the nodes into its topology (InternalStreamsBuilder#buildAndOptimizeTopology):
 * starting from the sources, it repeatedly takes the offered node of lowest build priority and writes it once all
 * its parents are written, then offers its children. A repartition topic's source counts as a child of the sink
 * writing it (both belong to one repartition step in Kafka's graph: LogicalGraph.downstream). Sub-topologies are numbered in this order.
 */
export function kafkaWriteOrder(graph: LogicalGraph): string[] {
  const writers = new Map<string, string[]>();
  for (const n of graph.nodes) {
    if (n.kind === 'sink' && n.internal && typeof n.topic === 'string') (writers.get(n.topic) ?? writers.set(n.topic, []).get(n.topic)!).push(n.name);
  }
  const parents = new Map<string, readonly string[]>();
  for (const n of graph.nodes) parents.set(n.name, n.kind === 'source' && n.internal ? n.topics.flatMap((t) => writers.get(t) ?? []) : n.parents);
  const queue = new MinHeap<string>((a, b) => graph.buildPriority(a) - graph.buildPriority(b));
  for (const n of graph.nodes) if (parents.get(n.name)!.length === 0) queue.push(n.name);
  const written = new Set<string>();
  const order: string[] = [];
  while (queue.size > 0) {
    const name = queue.pop();
    if (written.has(name) || !parents.get(name)!.every((p) => written.has(p))) continue;
    written.add(name);
    order.push(name);
    for (const c of graph.downstream(name)) queue.push(c.name);
  }
  return order;
}

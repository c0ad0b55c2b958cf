import type { LogicalGraph } from '../graph/logical-graph.ts';
import type { GraphNode } from '../graph/graph-node.ts';
import { splitSubtopologies, compareJava } from './subtopologies.ts';

/**
 * Renders the topology as Kafka Streams' TopologyDescription#toString does: sub-topologies and global
 * stores by id; within one, nodes by descending sub-tree size then name; children and parents likewise.
 */
export function describeTopology(graph: LogicalGraph, resolveTopic: (topic: string, internal: boolean) => string = (t) => t): string {
  const { subtopologies, globals } = splitSubtopologies(graph);
  const children = new Map<string, string[]>();
  for (const n of graph.nodes) for (const p of n.parents) (children.get(p) ?? children.set(p, []).get(p)!).push(n.name);
  const size = new Map<string, number>();
  const sizeOf = (name: string): number => {
    const cached = size.get(name);
    if (cached !== undefined) return cached;
    // Kafka adds each node's size to all its ancestors (paths counted once per path).
    let s = 1;
    for (const c of children.get(name) ?? []) s += sizeOf(c);
    size.set(name, s);
    return s;
  };
  const byNodeOrder = (a: string, b: string) => sizeOf(b) - sizeOf(a) || compareJava(a, b);
  const names = (xs: readonly string[]) => (xs.length === 0 ? 'none' : [...xs].sort(byNodeOrder).join(', '));
  const line = (n: GraphNode): string => {
    const kids = children.get(n.name) ?? [];
    switch (n.kind) {
      case 'source':
        return `Source: ${n.name} (topics: [${n.topics.map((t) => resolveTopic(t, n.internal)).join(', ')}])\n      --> ${names(kids)}`;
      case 'sink':
        return typeof n.topic === 'string'
          ? `Sink: ${n.name} (topic: ${resolveTopic(n.topic, n.internal)})\n      <-- ${names(n.parents)}`
          : `Sink: ${n.name} (extractor class: ${n.topic.name || 'TopicNameExtractor'})\n      <-- ${names(n.parents)}`;
      case 'processor':
        return `Processor: ${n.name} (stores: [${n.stores.join(', ')}])\n      --> ${names(kids)}\n      <-- ${names(n.parents)}`;
    }
  };
  const blocks: { id: number; text: string }[] = [];
  for (const st of subtopologies) {
    const nodes = [...st.nodes].sort(byNodeOrder);
    blocks.push({ id: st.id, text: `Sub-topology: ${st.id}\n${nodes.map((n) => '    ' + line(graph.node(n)) + '\n').join('')}\n` });
  }
  for (const g of globals) {
    blocks.push({
      id: g.id,
      text: `Sub-topology: ${g.id} for global store (will not generate tasks)\n    ${line(graph.node(g.source))}\n    ${line(graph.node(g.processor))}\n`,
    });
  }
  blocks.sort((a, b) => a.id - b.id);
  return 'Topologies:\n ' + blocks.map((b) => '  ' + b.text).join('');
}

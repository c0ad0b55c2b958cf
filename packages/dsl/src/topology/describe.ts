import type { LogicalGraph } from '../graph/logical-graph.ts';
import type { GraphNode } from '../graph/graph-node.ts';
import type { ProcessorNode } from '../graph/nodes/processor-node.ts';
import { splitSubtopologies, compareJava } from './subtopologies.ts';
import { kafkaWriteOrder } from './write-order.ts';
import { JavaTreeSet } from './java-tree-set.ts';
import { javaHashOrder, grownCapacity, copiedCapacity } from './java-hash-order.ts';

/** A node as Kafka Streams' describe() builds it: its sub-tree size and its neighbours in TreeSets. */
interface DescribedNode {
  readonly node: GraphNode;
  size: number;
  readonly predecessors: JavaTreeSet<DescribedNode>;
  readonly successors: JavaTreeSet<DescribedNode>;
}

/** Kafka's NodeComparator: larger sub-tree first, then by name; compares the sizes as they are at that moment. */
const byNodeOrder = (a: DescribedNode, b: DescribedNode): number =>
  a === b ? 0 : b.size - a.size || compareJava(a.node.name, b.node.name);

/**
 * The stores Kafka Streams lists for a processor: its stores, and for suppress() its buffer, which Kafka keeps in a
 * store (KTABLE-SUPPRESS-STATE-STORE-n or `<name>-store`) and ts-streams, for now, in the processor's memory.
 */
function describedStores(n: ProcessorNode): readonly string[] {
  return n.op === 'tableSuppress' ? [...n.stores, n.bufferName] : n.stores;
}

/**
 * Renders the topology exactly as Kafka Streams' TopologyDescription#toString (InternalTopologyBuilder#describe):
 * sub-topologies and global stores by id; within a sub-topology, nodes by descending sub-tree size then name.
 * Successors and predecessors are listed in the order Kafka's TreeSets hold them, which is not always sorted:
 * Kafka connects the nodes in the iteration order of a HashMap of names, inserting each into its neighbours'
 * TreeSets while the sub-tree sizes those compare are still growing. So this replays that: the same HashMap order,
 * the same red-black trees, the same size updates. Store and topic lists are Java HashSets, printed in their order.
 */
export function describeTopology(graph: LogicalGraph, resolveTopic: (topic: string, internal: boolean) => string = (t) => t): string {
  const { subtopologies, globals } = splitSubtopologies(graph);
  const position = new Map(kafkaWriteOrder(graph).map((name, i) => [name, i]));
  const names = (set: Iterable<DescribedNode>): string => {
    const list = [...set].map((d) => d.node.name);
    return list.length === 0 ? 'none' : list.join(', ');
  };
  const hashSet = (items: readonly string[]) => `[${javaHashOrder(items, copiedCapacity(items.length)).join(', ')}]`;
  const line = (d: DescribedNode): string => {
    const n = d.node;
    switch (n.kind) {
      case 'source':
        return `Source: ${n.name} (topics: ${hashSet(n.topics.map((t) => resolveTopic(t, n.internal)))})\n      --> ${names(d.successors)}`;
      case 'sink':
        return typeof n.topic === 'string'
          ? `Sink: ${n.name} (topic: ${resolveTopic(n.topic, n.internal)})\n      <-- ${names(d.predecessors)}`
          : `Sink: ${n.name} (extractor class: ${n.topic.name || 'TopicNameExtractor'})\n      <-- ${names(d.predecessors)}`;
      case 'processor':
        return `Processor: ${n.name} (stores: ${hashSet(describedStores(n))})\n      --> ${names(d.successors)}\n      <-- ${names(d.predecessors)}`;
    }
  };
  const blocks: { id: number; text: string }[] = [];
  for (const st of subtopologies) {
    // Kafka: a HashSet of the group's names (added in write order), copied into a HashMap name -> node.
    const inWriteOrder = [...st.nodes].sort((a, b) => position.get(a)! - position.get(b)!);
    const described = new Map<string, DescribedNode>();
    for (const name of javaHashOrder(inWriteOrder, grownCapacity(inWriteOrder.length))) {
      described.set(name, { node: graph.node(name), size: 1, predecessors: new JavaTreeSet(byNodeOrder), successors: new JavaTreeSet(byNodeOrder) });
    }
    const updateSize = (d: DescribedNode, delta: number): void => {
      d.size += delta;
      for (const p of d.predecessors) updateSize(p, delta);
    };
    for (const d of described.values()) {
      for (const parent of d.node.parents) {
        const p = described.get(parent)!;
        d.predecessors.add(p);
        p.successors.add(d);
        updateSize(p, d.size);
      }
    }
    const sorted = new JavaTreeSet(byNodeOrder);
    for (const d of described.values()) sorted.add(d);
    blocks.push({ id: st.id, text: `Sub-topology: ${st.id}\n${[...sorted].map((d) => '    ' + line(d) + '\n').join('')}\n` });
  }
  for (const g of globals) {
    const topic = resolveTopic(g.topic, false);
    blocks.push({
      id: g.id,
      text: `Sub-topology: ${g.id} for global store (will not generate tasks)\n` +
        `    Source: ${g.source} (topics: [${topic}])\n      --> ${g.processor}\n` +
        `    Processor: ${g.processor} (stores: [${g.store}])\n      --> none\n      <-- ${g.source}\n`,
    });
  }
  blocks.sort((a, b) => a.id - b.id);
  return 'Topologies:\n ' + blocks.map((b) => '  ' + b.text).join('');
}

import type { LogicalGraph } from '../graph/logical-graph.ts';
import { splitSubtopologies } from './subtopologies.ts';

/** The topology as a Mermaid flowchart: one subgraph per sub-topology, topics as stadium nodes, stores as cylinders. */
export function topologyToMermaid(graph: LogicalGraph): string {
  const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
  const out: string[] = ['flowchart TD'];
  const { subtopologies, globals } = splitSubtopologies(graph);
  const topics = new Set<string>();
  const edges: string[] = [];
  const groups = [
    ...subtopologies.map((s) => ({ title: `Sub-topology ${s.id}`, key: `sub${s.id}`, nodes: s.nodes })),
    ...globals.map((g) => ({ title: `Global store ${g.store}`, key: `global${g.id}`, nodes: [g.source, g.processor] })),
  ];
  for (const g of groups) {
    out.push(`  subgraph ${g.key}["${g.title}"]`);
    for (const name of g.nodes) {
      const n = graph.node(name);
      out.push(`    ${id(name)}["${name}"]`);
      for (const p of n.parents) edges.push(`  ${id(p)} --> ${id(name)}`);
      if (n.kind === 'source') for (const t of n.topics) { topics.add(t); edges.push(`  topic_${id(t)} --> ${id(name)}`); }
      if (n.kind === 'sink' && typeof n.topic === 'string') { topics.add(n.topic); edges.push(`  ${id(name)} --> topic_${id(n.topic)}`); }
      if (n.kind === 'processor') for (const s of n.stores) edges.push(`  ${id(name)} -.- store_${id(s)}[("${s}")]`);
    }
    out.push('  end');
  }
  for (const t of topics) out.push(`  topic_${id(t)}(["${t}"])`);
  return [...out, ...edges].join('\n') + '\n';
}

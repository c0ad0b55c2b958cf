import type { LogicalGraph } from '../graph/logical-graph.ts';
import { splitSubtopologies } from './subtopologies.ts';

/**
 * The topology as a Graphviz DOT digraph (`streams describe --format dot | dot -Tsvg`), drawn as toMermaid draws it:
 * one cluster per sub-topology and global store, topics as ellipses, stores as cylinders, a dashed edge between a
 * processor and each store it uses.
 */
export function topologyToDot(graph: LogicalGraph): string {
  const out: string[] = ['digraph topology {', '  rankdir=TB;', '  node [shape=box, fontname="Helvetica"];'];
  const { subtopologies, globals } = splitSubtopologies(graph);
  const topics = new Set<string>();
  const stores = new Set<string>();
  const edges: string[] = [];
  const groups = [
    ...subtopologies.map((s) => ({ title: `Sub-topology ${s.id}`, key: `sub${s.id}`, nodes: s.nodes })),
    ...globals.map((g) => ({ title: `Global store ${g.store}`, key: `global${g.id}`, nodes: [g.source, g.processor] })),
  ];
  for (const g of groups) {
    out.push(`  subgraph ${quote(`cluster_${g.key}`)} {`, `    label=${quote(g.title)};`);
    for (const name of g.nodes) {
      const n = graph.node(name);
      out.push(`    ${quote(name)};`);
      for (const p of n.parents) edges.push(`  ${quote(p)} -> ${quote(name)};`);
      if (n.kind === 'source') for (const t of n.topics) { topics.add(t); edges.push(`  ${quote(`topic:${t}`)} -> ${quote(name)};`); }
      if (n.kind === 'sink' && typeof n.topic === 'string') { topics.add(n.topic); edges.push(`  ${quote(name)} -> ${quote(`topic:${n.topic}`)};`); }
      if (n.kind === 'processor') for (const s of n.stores) { stores.add(s); edges.push(`  ${quote(name)} -> ${quote(`store:${s}`)} [style=dashed, dir=none];`); }
    }
    out.push('  }');
  }
  for (const t of topics) out.push(`  ${quote(`topic:${t}`)} [shape=ellipse, label=${quote(t)}];`);
  for (const s of stores) out.push(`  ${quote(`store:${s}`)} [shape=cylinder, label=${quote(s)}];`);
  return [...out, ...edges, '}'].join('\n') + '\n';
}

/** A DOT ID as a quoted string: any name (dots, dashes, spaces) is a valid ID that way. */
function quote(id: string): string {
  return `"${id.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

import type { LogicalGraph } from '../graph/logical-graph.ts';
import type { GraphNode, SourceNode } from '../graph/graph-node.ts';
import { kafkaWriteOrder } from './write-order.ts';

/** A connected part of the topology: the unit that becomes one task per input partition. */
export interface Subtopology {
  readonly id: number;
  /** Node names in the order they were added to the graph. */
  readonly nodes: readonly string[];
  readonly sourceTopics: readonly string[];
  /** Sources reading repartition topics written by this application. */
  readonly internalSourceTopics: readonly string[];
  readonly stores: readonly string[];
}

/** Global tables: a source and the processor updating the global store; no tasks. */
export interface GlobalStoreGroup {
  readonly id: number;
  readonly source: string;
  readonly processor: string;
  readonly store: string;
  readonly topic: string;
}

/**
 * Splits the graph into sub-topologies as Kafka Streams does (InternalTopologyBuilder#makeNodeGroups):
 * nodes joined by an edge or by a shared store belong together; repartition topics separate them.
 * Ids are assigned in the order Kafka Streams writes the nodes (the first node of each group), global stores
 * included.
 */
export function splitSubtopologies(graph: LogicalGraph): { subtopologies: Subtopology[]; globals: GlobalStoreGroup[] } {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const n of graph.nodes) parent.set(n.name, n.name);
  const storeOwner = new Map<string, string>();
  for (const n of graph.nodes) {
    for (const p of n.parents) union(n.name, p);
    const stores = n.kind === 'processor' ? n.stores : [];
    for (const s of stores) {
      const o = storeOwner.get(s);
      if (o) union(n.name, o);
      else storeOwner.set(s, n.name);
    }
  }
  const groups = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    const r = find(n.name);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = []));
    g.push(n);
  }
  const idOf = new Map<string, number>();
  let next = 0;
  for (const name of kafkaWriteOrder(graph)) {
    const r = find(name);
    if (!idOf.has(r)) idOf.set(r, next++);
  }
  const subtopologies: Subtopology[] = [];
  const globals: GlobalStoreGroup[] = [];
  for (const [root, nodes] of groups) {
    const id = idOf.get(root);
    if (id === undefined) continue; // nodes never written (cannot happen for DSL graphs)
    const srcs = nodes.filter((n): n is SourceNode => n.kind === 'source');
    let global: { readonly source: string; readonly topic: string; readonly store: string } | undefined;
    for (const s of srcs) if (global === undefined && s.table?.global === true) global = { source: s.name, topic: s.topics[0]!, store: s.table.store };
    const stores = [...new Set(nodes.flatMap((n) => (n.kind === 'processor' ? n.stores : [])))];
    if (global) {
      const proc = nodes.find((n) => n.kind === 'processor')!;
      globals.push({ id, source: global.source, processor: proc.name, store: global.store, topic: global.topic });
      continue;
    }
    subtopologies.push({
      id,
      nodes: nodes.map((n) => n.name),
      sourceTopics: srcs.filter((s) => !s.internal).flatMap((s) => s.topics),
      internalSourceTopics: srcs.filter((s) => s.internal).flatMap((s) => s.topics),
      stores,
    });
  }
  subtopologies.sort((a, b) => a.id - b.id);
  globals.sort((a, b) => a.id - b.id);
  return { subtopologies, globals };
}

/** Java's String#compareTo order (UTF-16 code units), which JS's default comparison also uses. */
export function compareJava(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

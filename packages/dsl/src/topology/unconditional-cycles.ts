import type { LogicalGraph } from '../graph/logical-graph.ts';
import type { GraphNode } from '../graph/graph-node.ts';
import type { ProcessorOp } from '../graph/nodes/processor-node.ts';
import { TopologyError } from '../errors/topology-error.ts';

/** Operators that forward every record they get exactly once: a record cannot leave a cycle through them. */
const ONE_TO_ONE: ReadonlySet<ProcessorOp> = new Set<ProcessorOp>(['map', 'mapValues', 'selectKey', 'peek', 'passThrough']);

/** A way from the source of one topic to a sink of another (or the same) that every record takes. */
interface Hop {
  readonly from: string;
  readonly to: string;
  /** Node names, source first, sink last. */
  readonly steps: readonly string[];
}

/**
 * Fails build() on a cycle of topics that no record can leave: a topic whose every record is written back to it,
 * directly or through other topics of the topology, by steps that all forward every record (`stream('a').to('a')`).
 * Kafka Streams accepts such a topology, and each record then goes round forever (the test driver too, in one
 * call). A cycle through a filter, split, flatMap, join or aggregation is left alone: records may leave it, and
 * the driver bounds the rounds of those that do not (its maxFeedbackRounds).
 */
export function checkUnconditionalCycles(graph: LogicalGraph): void {
  const hops = new Map<string, Hop[]>();
  for (const n of graph.nodes) {
    if (n.kind !== 'sink' || n.internal || typeof n.topic !== 'string') continue;
    for (const path of unconditionalPaths(graph, n)) {
      const source = graph.node(path[0]!);
      if (source.kind !== 'source') continue;
      for (const from of source.topics) {
        let list = hops.get(from);
        if (!list) hops.set(from, (list = []));
        list.push({ from, to: n.topic, steps: path });
      }
    }
  }
  for (const start of hops.keys()) {
    const cycle = findCycle(hops, start);
    if (cycle === undefined) continue;
    const through = cycle.slice(0, -1).map((h) => h.to);
    const steps = cycle.map((h, i) => (i === 0 ? '' : ` → '${h.from}' → `) + h.steps.join(' → ')).join('');
    throw new TopologyError(
      `Every record read from '${start}' is written back to '${start}'${through.length > 0 ? ` through ${through.map((t) => `'${t}'`).join(', ')}` : ''} ` +
        `(${steps}), so each one goes round forever. ` +
        'Write to a topic this topology does not read, or let records leave the cycle (filter(), split(), flatMap() ...).',
      { step: cycle[cycle.length - 1]!.steps[cycle[cycle.length - 1]!.steps.length - 1] },
    );
  }
}

/** The paths from a (non-internal) source to `sink` through one-to-one steps only, each source first. */
function unconditionalPaths(graph: LogicalGraph, sink: GraphNode): string[][] {
  const out: string[][] = [];
  const walk = (node: GraphNode, below: string[], seen: Set<string>): void => {
    for (const p of node.parents) {
      if (seen.has(p)) continue;
      const parent = graph.node(p);
      if (parent.kind === 'source') {
        if (!parent.internal) out.push([p, ...below]);
      } else if (parent.kind === 'processor' && ONE_TO_ONE.has(parent.op)) {
        walk(parent, [p, ...below], new Set(seen).add(p));
      }
    }
  };
  walk(sink, [sink.name], new Set([sink.name]));
  return out;
}

/** A chain of hops from `start` back to `start`, if there is one. */
function findCycle(hops: ReadonlyMap<string, Hop[]>, start: string): Hop[] | undefined {
  const visited = new Set<string>();
  const dfs = (topic: string, chain: Hop[]): Hop[] | undefined => {
    for (const h of hops.get(topic) ?? []) {
      if (h.to === start) return [...chain, h];
      if (visited.has(h.to)) continue;
      visited.add(h.to);
      const found = dfs(h.to, [...chain, h]);
      if (found) return found;
    }
    return undefined;
  };
  return dfs(start, []);
}

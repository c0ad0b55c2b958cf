import type { LogicalGraph } from '@ts-streams/dsl';

/**
 * Decides per repartition filter whether it keeps records with a null key (Kafka Streams'
 * InternalStreamsBuilder#rewriteRepartitionNodes with NodesWithRelaxedNullKeyJoinDownstream, KIP-962): a
 * repartition keeps them when a join that accepts null keys (graph.nullKeyJoins) lies anywhere downstream of it —
 * across later steps, and across further repartition topics, which Kafka's graph links as parent and child — and
 * drops them otherwise. User topics written and read again (to() + stream()) do not link, as in Kafka.
 */
export function repartitionsKeepingNullKeys(graph: LogicalGraph): (filterNode: string) => boolean {
  const children = new Map<string, string[]>();
  const readersOfInternalTopic = new Map<string, string[]>();
  for (const n of graph.nodes) {
    for (const p of n.parents) {
      let list = children.get(p);
      if (list === undefined) children.set(p, (list = []));
      list.push(n.name);
    }
    if (n.kind === 'source' && n.internal) {
      for (const t of n.topics) {
        let list = readersOfInternalTopic.get(t);
        if (list === undefined) readersOfInternalTopic.set(t, (list = []));
        list.push(n.name);
      }
    }
  }
  const next = (name: string): readonly string[] => {
    const n = graph.node(name);
    if (n.kind === 'sink') return n.internal && typeof n.topic === 'string' ? readersOfInternalTopic.get(n.topic) ?? [] : [];
    return children.get(name) ?? [];
  };
  const memo = new Map<string, boolean>();
  const joinDownstream = (name: string): boolean => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    memo.set(name, false); // the graph has no cycles; this only guards against revisiting
    let found = false;
    for (const child of next(name)) {
      if (graph.nullKeyJoins.has(child) || joinDownstream(child)) {
        found = true;
        break;
      }
    }
    memo.set(name, found);
    return found;
  };
  return joinDownstream;
}

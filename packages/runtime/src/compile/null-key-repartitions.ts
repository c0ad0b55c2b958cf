import type { LogicalGraph } from '@ts-streams/dsl';

/**
 * Decides per repartition filter whether it keeps records with a null key (Kafka Streams'
 * InternalStreamsBuilder#rewriteRepartitionNodes with NodesWithRelaxedNullKeyJoinDownstream, KIP-962): a
 * repartition keeps them when a join that accepts null keys (graph.nullKeyJoins) lies anywhere downstream of it —
 * across later steps, and across further repartition topics, which Kafka's graph links as parent and child
 * (LogicalGraph.downstream) — and drops them otherwise. User topics written and read again (to() + stream()) do
 * not link, as in Kafka.
 */
export function repartitionsKeepingNullKeys(graph: LogicalGraph): (filterNode: string) => boolean {
  const memo = new Map<string, boolean>();
  const joinDownstream = (name: string): boolean => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    memo.set(name, false); // the graph has no cycles; this only guards against revisiting
    let found = false;
    for (const child of graph.downstream(name)) {
      if (graph.nullKeyJoins.has(child.name) || joinDownstream(child.name)) {
        found = true;
        break;
      }
    }
    memo.set(name, found);
    return found;
  };
  return joinDownstream;
}

import type { LogicalGraph } from './logical-graph.ts';
import { sendOldValuesFor } from './send-old-values.ts';

/**
 * Decides at build() which table sources (builder.table, KStream#toTable) keep a store, as Kafka Streams' KTableSource
 * does by the time it writes the topology: a table is materialized when its store is named (Materialized.as), when a
 * later step reads it by key (a join's value getter lists the store) or needs its old values (groupBy, a left or outer
 * join, a filter over it that sends old values). Otherwise it only forwards each update: its generated store name is
 * taken (Kafka's numbering) but the node's store becomes undefined, no store exists, describe() lists none, and no
 * changelog topic is created for it. Global tables always keep theirs.
 */
export function materializeTables(graph: LogicalGraph): void {
  const sendsOldValues = sendOldValuesFor(graph);
  for (const n of [...graph.nodes]) {
    if (n.kind !== 'processor' || (n.op !== 'tableSource' && n.op !== 'streamToTable')) continue;
    const store = n.store;
    if (store === undefined || n.queryable || graph.globalStores.has(store) || sendsOldValues(n.name)) continue;
    const readElsewhere = graph.nodes.some((m) => m !== n && m.kind === 'processor' && m.stores.includes(store));
    if (readElsewhere) continue;
    graph.replace({ ...n, stores: [], store: undefined });
    graph.stores.delete(store);
  }
}

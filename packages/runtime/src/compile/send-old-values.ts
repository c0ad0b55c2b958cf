import type { LogicalGraph } from '@ts-streams/dsl';

/** Table steps that need the old value of each update (to subtract it, or to re-evaluate a join). */
export const OPS_NEEDING_OLD_VALUES = new Set<string>(['tableGroupBy']);
/** Table steps that pass changes through and so need old values from upstream when their downstream does. */
export const TABLE_PASS_THROUGH_OPS = new Set<string>(['tableFilter', 'tableMapValues', 'tableSuppress', 'tableJoin', 'tableJoinMerge']);
/** Pass-through ops that, when materialized (params.store), read old values from their own store instead. */
const OLD_VALUES_FROM_OWN_STORE = new Set<string>(['tableFilter', 'tableMapValues']);

/**
 * Decides per node whether it forwards old values (Kafka Streams' enableSendingOldValues, computed once
 * from the graph instead of by a call walking up the chain).
 */
export function sendOldValuesFor(graph: LogicalGraph): (node: string) => boolean {
  const memo = new Map<string, boolean>();
  // Kafka Streams' enableSendingOldValues(forceMaterialization = false): true when the table can send old
  // values without being materialized for it (it has a store anyway).
  const canSend = (name: string): boolean => {
    const n = graph.node(name);
    if (n.kind !== 'processor') return false;
    if (n.op === 'tableSource' || n.op === 'streamToTable') return n.params['queryable'] === true;
    if (n.op === 'tableJoinMerge') return true;
    if (typeof n.params['store'] === 'string') return true;
    if (TABLE_PASS_THROUGH_OPS.has(n.op)) return canSend(n.parents[0]!);
    return false;
  };
  // KTableFilter's constructor: "if upstream is already materialized, enable sending old values to avoid
  // sending unnecessary tombstones".
  const filterOverMaterialized = (n: import('@ts-streams/dsl').GraphNode): boolean =>
    n.kind === 'processor' && n.op === 'tableFilter' && canSend(n.parents[0]!);
  const needs = (name: string): boolean => {
    const m = memo.get(name);
    if (m !== undefined) return m;
    memo.set(name, false);
    let result = filterOverMaterialized(graph.node(name));
    for (const child of graph.children(name)) {
      if (child.kind !== 'processor') continue;
      // params.requiresOldValues: a node asking for its parent's old values itself (left/outer table joins).
      if (OPS_NEEDING_OLD_VALUES.has(child.op) || child.params['requiresOldValues'] === true || filterOverMaterialized(child)) {
        result = true;
        break;
      }
      const ownStore = OLD_VALUES_FROM_OWN_STORE.has(child.op) && typeof child.params['store'] === 'string';
      if (TABLE_PASS_THROUGH_OPS.has(child.op) && !ownStore && needs(child.name)) {
        result = true;
        break;
      }
    }
    memo.set(name, result);
    return result;
  };
  return needs;
}

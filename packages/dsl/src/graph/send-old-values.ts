import type { LogicalGraph } from './logical-graph.ts';
import type { GraphNode } from './graph-node.ts';
import type { ProcessorNode, ProcessorOp } from './nodes/processor-node.ts';
import { tableStore } from './table-store.ts';

/** Table steps that need the old value of each update (to subtract it, or to re-evaluate a join). */
const OPS_NEEDING_OLD_VALUES: ReadonlySet<ProcessorOp> = new Set<ProcessorOp>(['tableGroupBy']);
/** Table steps that pass changes through and so need old values from upstream when their downstream does. */
const TABLE_PASS_THROUGH_OPS: ReadonlySet<ProcessorOp> = new Set<ProcessorOp>(['tableFilter', 'tableMapValues', 'tableSuppress', 'tableJoin', 'tableJoinMerge']);
/** Pass-through ops that, when materialized (their own store), read old values from that store instead. */
const OLD_VALUES_FROM_OWN_STORE: ReadonlySet<ProcessorOp> = new Set<ProcessorOp>(['tableFilter', 'tableMapValues']);

/** A node asking for its parent's old values itself (a left or outer table join's side). */
const requiresOldValues = (n: ProcessorNode): boolean => n.op === 'tableJoin' && n.requiresOldValues;

/**
 * Decides per node whether it forwards old values (Kafka Streams' enableSendingOldValues, computed once
 * from the graph instead of by a call walking up the chain). The DSL decides with it which tables keep a store
 * (materializeTables); the runtime which processors forward old values.
 */
export function sendOldValuesFor(graph: LogicalGraph): (node: string) => boolean {
  const memo = new Map<string, boolean>();
  // Kafka Streams' enableSendingOldValues(forceMaterialization = false): true when the table can send old
  // values without being materialized for it (it has a store anyway).
  const canSend = (name: string): boolean => {
    const n = graph.node(name);
    if (n.kind !== 'processor') return false;
    if (n.op === 'tableSource' || n.op === 'streamToTable') return n.queryable;
    if (n.op === 'tableJoinMerge') return true;
    if (tableStore(n) !== undefined) return true;
    if (TABLE_PASS_THROUGH_OPS.has(n.op)) return canSend(n.parents[0]!);
    return false;
  };
  // KTableFilter's constructor: "if upstream is already materialized, enable sending old values to avoid
  // sending unnecessary tombstones".
  const filterOverMaterialized = (n: GraphNode): boolean =>
    n.kind === 'processor' && n.op === 'tableFilter' && canSend(n.parents[0]!);
  const needs = (name: string): boolean => {
    const m = memo.get(name);
    if (m !== undefined) return m;
    memo.set(name, false);
    let result = filterOverMaterialized(graph.node(name));
    for (const child of graph.children(name)) {
      if (child.kind !== 'processor') continue;
      if (OPS_NEEDING_OLD_VALUES.has(child.op) || requiresOldValues(child) || filterOverMaterialized(child)) {
        result = true;
        break;
      }
      const ownStore = OLD_VALUES_FROM_OWN_STORE.has(child.op) && tableStore(child) !== undefined;
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

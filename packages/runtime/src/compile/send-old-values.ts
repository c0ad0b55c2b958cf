import type { LogicalGraph } from '@ts-streams/dsl';

/** Table steps that need the old value of each update (to subtract it, or to re-evaluate a join). */
export const OPS_NEEDING_OLD_VALUES = new Set<string>(['tableGroupBy']);
/** Table steps that pass changes through and so need old values from upstream when their downstream does. */
export const TABLE_PASS_THROUGH_OPS = new Set<string>(['tableFilter', 'tableMapValues', 'tableSuppress']);

/**
 * Decides per node whether it forwards old values (Kafka Streams' enableSendingOldValues, computed once
 * from the graph instead of by a call walking up the chain).
 */
export function sendOldValuesFor(graph: LogicalGraph): (node: string) => boolean {
  const memo = new Map<string, boolean>();
  const needs = (name: string): boolean => {
    const m = memo.get(name);
    if (m !== undefined) return m;
    memo.set(name, false);
    let result = false;
    for (const child of graph.children(name)) {
      if (child.kind !== 'processor') continue;
      if (OPS_NEEDING_OLD_VALUES.has(child.op) || (TABLE_PASS_THROUGH_OPS.has(child.op) && needs(child.name))) {
        result = true;
        break;
      }
    }
    memo.set(name, result);
    return result;
  };
  return needs;
}

import type { TableJoinNode, TableJoinMergeNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext } from '../internal-types.ts';
import { change, type Change } from '../task/change.ts';
import { createValueGetter, type ValueGetter } from '../state/value-getter.ts';
import { TableOutput } from './table-output.ts';

/**
 * One side of a table-table join (Kafka Streams' KTableKTableInnerJoin / LeftJoin / RightJoin / OuterJoin):
 * joins each change of its table with the other table's current value. `joinKind` is from this side's view:
 * the right side of a left join is 'right' (its joiner is reversed: joiner(thisValue, leftValue)).
 */
export const tableJoin: ProcessorFactory<TableJoinNode> = (node, env) => {
  const { joiner, joinKind: kind, other: otherNode } = node;
  const sendOldValues = env.sendOldValues(node.name);
  let ctx: ProcessorContext<any, any>;
  let other: ValueGetter;
  const isNull = (v: unknown) => v === null || v === undefined;
  return {
    init(c) {
      ctx = c;
      other = createValueGetter(env.topology.graph, otherNode, c);
    },
    process(r) {
      if (isNull(r.key)) {
        env.metrics.drop('null-key', node.name);
        return;
      }
      const ch = r.value as Change<unknown>;
      const vt = other(r.key);
      const v2 = vt === null || isNull(vt.value) ? null : vt.value;
      let newValue: unknown = null;
      let oldValue: unknown = null;
      let timestamp: number;
      switch (kind) {
        case 'inner':
          if (v2 === null) return;
          timestamp = Math.max(r.timestamp, vt!.timestamp);
          if (!isNull(ch.newValue)) newValue = joiner(ch.newValue, v2);
          if (sendOldValues && !isNull(ch.oldValue)) oldValue = joiner(ch.oldValue, v2);
          break;
        case 'left':
          if (v2 === null && isNull(ch.newValue) && isNull(ch.oldValue)) return;
          timestamp = v2 === null ? r.timestamp : Math.max(r.timestamp, vt!.timestamp);
          if (!isNull(ch.newValue)) newValue = joiner(ch.newValue, v2);
          if (sendOldValues && !isNull(ch.oldValue)) oldValue = joiner(ch.oldValue, v2);
          break;
        case 'right':
          if (v2 === null) return;
          timestamp = Math.max(r.timestamp, vt!.timestamp);
          newValue = joiner(ch.newValue ?? null, v2);
          if (sendOldValues) oldValue = joiner(ch.oldValue ?? null, v2);
          break;
        default: // outer
          if (v2 === null && isNull(ch.newValue) && isNull(ch.oldValue)) return;
          timestamp = v2 === null ? r.timestamp : Math.max(r.timestamp, vt!.timestamp);
          if (v2 !== null || !isNull(ch.newValue)) newValue = joiner(ch.newValue ?? null, v2);
          if (sendOldValues && (v2 !== null || !isNull(ch.oldValue))) oldValue = joiner(ch.oldValue ?? null, v2);
      }
      ctx.forward({ key: r.key, value: change(newValue ?? null, oldValue ?? null), timestamp, headers: r.headers });
    },
  };
};

/**
 * Merges both sides of a table-table join (Kafka Streams' KTableKTableJoinMerger); stores the result when
 * the join is materialized.
 */
export const tableJoinMerge: ProcessorFactory<TableJoinMergeNode> = (node, env) => {
  const sendOldValues = env.sendOldValues(node.name);
  const output = new TableOutput(node.store, sendOldValues);
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) {
      ctx = c;
      output.init(c);
    },
    process(r) {
      const ch = r.value as Change<unknown>;
      if (output.materialized) output.emit(r.key, ch.newValue, ch.oldValue, r.timestamp, r.headers);
      // Not materialized: the change goes on as it came, without its old value unless downstream wants it.
      else ctx.forward(sendOldValues ? r : { key: r.key, value: change(ch.newValue, null), timestamp: r.timestamp, headers: r.headers });
    },
  };
};

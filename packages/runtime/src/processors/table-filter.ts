import type { TableFilterNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { Change } from '../task/change.ts';
import { TableOutput } from './table-output.ts';

/**
 * KTable#filter / #filterNot (Kafka Streams' KTableFilter). A value the predicate rejects becomes null, so a
 * record that no longer passes is forwarded as a delete. With old values on, a change that is null on both
 * sides is not forwarded. Materialized: the result is stored and old values come from the store.
 */
export const tableFilter: ProcessorFactory<TableFilterNode> = (node, env) => {
  const { predicate, not } = node;
  const sendOldValues = env.sendOldValues(node.name);
  const output = new TableOutput(node.store, sendOldValues);
  const compute = (key: unknown, value: unknown) =>
    value !== null && value !== undefined && predicate(key, value) !== not ? value : null;
  return {
    init(c) {
      output.init(c);
    },
    process(r) {
      const ch = r.value as Change<unknown>;
      const newValue = compute(r.key, ch.newValue);
      const oldValue = !sendOldValues ? null : output.materialized ? output.stored(r.key) : compute(r.key, ch.oldValue);
      if (sendOldValues && oldValue === null && newValue === null) return;
      output.emit(r.key, newValue, oldValue, r.timestamp, r.headers);
    },
  };
};

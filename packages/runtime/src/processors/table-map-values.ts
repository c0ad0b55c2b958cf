import type { TableMapValuesNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { Change } from '../task/change.ts';
import { TableOutput } from './table-output.ts';

/**
 * KTable#mapValues (Kafka Streams' KTableMapValues): maps new (and, when needed, old) values; null stays null
 * (the mapper never sees a delete). Materialized: the result is stored and old values come from the store.
 */
export const tableMapValues: ProcessorFactory<TableMapValuesNode> = (node, env) => {
  const mapper = node.mapper;
  const sendOldValues = env.sendOldValues(node.name);
  const output = new TableOutput(node.store, sendOldValues);
  const compute = (key: unknown, value: unknown) => (value === null || value === undefined ? null : (mapper(value, key) ?? null));
  return {
    init(c) {
      output.init(c);
    },
    process(r) {
      const ch = r.value as Change<unknown>;
      const newValue = compute(r.key, ch.newValue);
      const oldValue = !sendOldValues ? null : output.materialized ? output.stored(r.key) : compute(r.key, ch.oldValue);
      output.emit(r.key, newValue, oldValue, r.timestamp, r.headers);
    },
  };
};

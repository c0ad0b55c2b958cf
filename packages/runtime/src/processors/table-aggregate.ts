import type { ProcessorFactory } from '../compile/compile-env.ts';
import { tableAggregationProcessor } from './table-aggregation.ts';

/**
 * KGroupedTable#aggregate and #count (Kafka Streams' KTableAggregate): subtracts the old value (if any and
 * if there is an aggregate), then adds the new value (starting from the initializer). The aggregate is
 * never deleted (a count goes down to 0).
 */
export const tableAggregate: ProcessorFactory = (node, env) => {
  const initializer = node.params['initializer'] as () => unknown;
  const adder = node.params['adder'] as (k: unknown, v: unknown, agg: unknown) => unknown;
  const subtractor = node.params['subtractor'] as (k: unknown, v: unknown, agg: unknown) => unknown;
  return tableAggregationProcessor(node, env, {
    operator: 'aggregate',
    subtract: (key, value, agg) => subtractor(key, value, agg),
    add: (key, value, agg) => adder(key, value, agg === null ? initializer() : agg),
  });
};

import type { TableAggregateNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import { tableAggregationProcessor } from './table-aggregation.ts';

/**
 * KGroupedTable#aggregate and #count (Kafka Streams' KTableAggregate): subtracts the old value (if any and
 * if there is an aggregate), then adds the new value (starting from the initializer). The aggregate is
 * never deleted (a count goes down to 0).
 */
export const tableAggregate: ProcessorFactory<TableAggregateNode> = (node, env) => {
  const { initializer, adder, subtractor } = node;
  return tableAggregationProcessor(node, env, {
    operator: 'aggregate',
    subtract: (key, value, agg) => subtractor(key, value, agg),
    add: (key, value, agg) => adder(key, value, agg === null ? initializer() : agg),
  });
};

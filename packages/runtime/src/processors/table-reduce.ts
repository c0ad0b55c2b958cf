import type { TableReduceNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import { tableAggregationProcessor } from './table-aggregation.ts';

/**
 * KGroupedTable#reduce (Kafka Streams' KTableReduce): subtracts the old value (if any and if there is an
 * aggregate), then adds the new one (the first value is the aggregate).
 */
export const tableReduce: ProcessorFactory<TableReduceNode> = (node, env) => {
  const { adder, subtractor } = node;
  return tableAggregationProcessor(node, env, {
    operator: 'reduce',
    subtract: (_key, value, agg) => subtractor(agg, value),
    add: (_key, value, agg) => (agg === null ? value : adder(agg, value)),
  });
};

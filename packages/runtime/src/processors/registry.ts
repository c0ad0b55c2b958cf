import type { ProcessorNode, Processor } from '@ts-streams/dsl';
import type { CompileEnv, ProcessorFactory } from '../compile/compile-env.ts';
import { StreamsError } from '../errors/streams-error.ts';
import { filter } from './filter.ts';
import { map } from './map.ts';
import { mapValues } from './map-values.ts';
import { flatMap } from './flat-map.ts';
import { flatMapValues } from './flat-map-values.ts';
import { selectKey } from './select-key.ts';
import { peek } from './peek.ts';
import { passThrough } from './pass-through.ts';
import { repartitionFilter } from './repartition-filter.ts';
import { branch } from './branch.ts';
import { process } from './process.ts';
import { tableToStream } from './table-to-stream.ts';
import { streamAggregation } from './stream-aggregation.ts';
import { tableSource } from './table-source.ts';
import { windowAggregate } from './window-aggregate.ts';
import { slidingWindowAggregate } from './sliding-window-aggregate.ts';
import { sessionWindowAggregate } from './session-window-aggregate.ts';
import { tableSuppress } from './table-suppress.ts';
import { tableFilter } from './table-filter.ts';
import { tableMapValues } from './table-map-values.ts';
import { tableGroupBy } from './table-group-by.ts';
import { tableAggregate } from './table-aggregate.ts';
import { tableReduce } from './table-reduce.ts';
import { tableJoin, tableJoinMerge } from './table-table-join.ts';
import { streamToTable } from './stream-to-table.ts';
import { streamJoinWindow, streamStreamJoin } from './stream-stream-join.ts';
import { streamTableJoin } from './stream-table-join.ts';
import { streamGlobalJoin } from './stream-global-join.ts';

/**
 * One factory per operator, each taking its own node kind: a mapped type over the graph's node union `N` (the DSL's
 * ProcessorNode), so an operator without a factory, a factory under another operator's name, or a factory reading a
 * field its node lacks does not compile. Generic in `N` so a type test can check it against altered nodes.
 */
export type ProcessorFactories<N extends { readonly op: string } = ProcessorNode> = {
  readonly [Op in N['op']]: ProcessorFactory<Extract<N, { readonly op: Op }>>;
};

/** Graph node `op` → the factory of its processor. One entry per operator file in this folder. */
export const processorFactories: ProcessorFactories = {
  filter,
  map,
  mapValues,
  flatMap,
  flatMapValues,
  selectKey,
  peek,
  passThrough,
  repartitionFilter,
  branch,
  process,
  processValues: process,
  tableToStream,
  aggregate: streamAggregation,
  reduce: streamAggregation,
  tableSource,
  windowAggregate,
  slidingWindowAggregate,
  sessionWindowAggregate,
  tableSuppress,
  tableFilter,
  tableMapValues,
  tableGroupBy,
  tableAggregate,
  tableReduce,
  tableJoin,
  tableJoinMerge,
  streamToTable,
  streamJoinWindow,
  streamStreamJoin,
  streamTableJoin,
  streamGlobalJoin,
};

/** The processor of `node`, from its operator's factory. */
export function createProcessor(node: ProcessorNode, env: CompileEnv): Processor<any, any, any, any> {
  // The registry pairs each op with a factory of that op's node; TypeScript cannot follow the pairing through the
  // indexed access (it sees a union of factories), hence the one widening here.
  const factory = processorFactories[node.op] as ProcessorFactory<ProcessorNode> | undefined;
  if (!factory) throw new StreamsError(`No runtime implementation for step '${node.name}' (op '${node.op}').`);
  return factory(node, env);
}

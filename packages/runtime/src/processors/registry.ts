import type { ProcessorFactory } from '../compile/compile-env.ts';
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
import { aggregate } from './aggregate.ts';
import { reduce } from './reduce.ts';
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

/** Graph node `op` → the factory of its processor. One entry per operator file in this folder. */
export const processorFactories: Readonly<Record<string, ProcessorFactory>> = {
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
  aggregate,
  reduce,
  tableSource,
  // operator families add their entries below this line
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

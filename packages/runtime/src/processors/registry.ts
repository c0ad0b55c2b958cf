import type { ProcessorFactory } from '../compile/compile-env.ts';
import { filter } from './filter.ts';
import { map } from './map.ts';
import { mapValues } from './map-values.ts';
import { flatMap } from './flat-map.ts';
import { flatMapValues } from './flat-map-values.ts';
import { selectKey } from './select-key.ts';
import { peek } from './peek.ts';
import { passThrough } from './pass-through.ts';
import { branch } from './branch.ts';
import { process } from './process.ts';
import { tableToStream } from './table-to-stream.ts';
import { aggregate } from './aggregate.ts';
import { reduce } from './reduce.ts';
import { tableSource } from './table-source.ts';

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
  repartitionFilter: passThrough,
  branch,
  process,
  processValues: process,
  tableToStream,
  aggregate,
  reduce,
  tableSource,
  // operator families add their entries below this line
};

import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorSupplier } from '@ts-streams/dsl';

/** KStream#process / processValues: the user's processor, a fresh one per task. */
export const process: ProcessorFactory = (node) => {
  const supplier = node.params['supplier'] as ProcessorSupplier<any, any, any, any>;
  return supplier();
};

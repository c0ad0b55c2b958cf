import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext } from '@ts-streams/dsl';

/** Forwards every record unchanged: merge, split branches, sources, and the repartition filter. */
export const passThrough: ProcessorFactory = () => {
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      ctx.forward(r);
    },
  };
};

import type { Processor, ProcessorContext } from '@ts-streams/dsl';

/** Forwards every record unchanged: merge, split branches, sources. Reads nothing of its node. */
export const passThrough = (): Processor<any, any> => {
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      ctx.forward(r);
    },
  };
};

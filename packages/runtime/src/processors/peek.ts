import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { PeekNode, ProcessorContext } from '@ts-streams/dsl';

/** KStream#peek (forwards) and KStream#foreach (terminal). */
export const peek: ProcessorFactory<PeekNode> = (node) => {
  const { action, forward } = node;
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      action(r.key, r.value);
      if (forward) ctx.forward(r);
    },
  };
};

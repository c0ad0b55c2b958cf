import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext } from '@ts-streams/dsl';

/** KStream#peek (forwards) and KStream#foreach (terminal). */
export const peek: ProcessorFactory = (node) => {
  const action = node.params['action'] as (k: unknown, v: unknown) => void;
  const forward = node.params['forward'] === true;
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      action(r.key, r.value);
      if (forward) ctx.forward(r);
    },
  };
};

import type { FilterNode, ProcessorContext } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';

/** KStream#filter / filterNot: forwards records whose predicate result differs from `not`. */
export const filter: ProcessorFactory<FilterNode> = (node) => {
  const { predicate, not } = node;
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      if (predicate(r.key, r.value) !== not) ctx.forward(r);
    },
  };
};

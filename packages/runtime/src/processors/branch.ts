import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { BranchNode, ProcessorContext } from '@ts-streams/dsl';

/** KStream#split: each record goes to the first branch whose predicate matches, else to the default branch. */
export const branch: ProcessorFactory<BranchNode> = (node) => {
  const { predicates, childNames, hasDefault } = node;
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      for (let i = 0; i < predicates.length; i++) {
        if (predicates[i]!(r.key, r.value)) {
          ctx.forward(r, childNames[i]);
          return;
        }
      }
      if (hasDefault) ctx.forward(r, childNames[predicates.length]);
    },
  };
};

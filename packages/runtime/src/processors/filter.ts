import type { ProcessorFactory } from '../compile/compile-env.ts';

/** KStream#filter / filterNot: forwards records whose predicate result differs from `not`. */
export const filter: ProcessorFactory = (node) => {
  const predicate = node.params['predicate'] as (k: unknown, v: unknown) => boolean;
  const not = node.params['not'] === true;
  let ctx: import('@ts-streams/dsl').ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      if (predicate(r.key, r.value) !== not) ctx.forward(r);
    },
  };
};

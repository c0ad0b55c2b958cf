import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext } from '@ts-streams/dsl';

/** KStream#mapValues: a new value, same key. */
export const mapValues: ProcessorFactory = (node) => {
  const mapper = node.params['mapper'] as (v: unknown, k: unknown) => unknown;
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      ctx.forward({ key: r.key, value: mapper(r.value, r.key), timestamp: r.timestamp, headers: r.headers });
    },
  };
};

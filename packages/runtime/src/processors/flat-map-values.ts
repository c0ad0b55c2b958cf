import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext } from '@ts-streams/dsl';

/** KStream#flatMapValues: zero or more values per record, same key. */
export const flatMapValues: ProcessorFactory = (node) => {
  const mapper = node.params['mapper'] as (v: unknown, k: unknown) => Iterable<unknown>;
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      for (const v of mapper(r.value, r.key)) ctx.forward({ key: r.key, value: v, timestamp: r.timestamp, headers: r.headers });
    },
  };
};

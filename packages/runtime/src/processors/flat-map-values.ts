import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { FlatMapValuesNode, ProcessorContext } from '@ts-streams/dsl';

/** KStream#flatMapValues: zero or more values per record, same key. */
export const flatMapValues: ProcessorFactory<FlatMapValuesNode> = (node) => {
  const mapper = node.mapper;
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      for (const v of mapper(r.value, r.key)) ctx.forward({ key: r.key, value: v, timestamp: r.timestamp, headers: r.headers });
    },
  };
};

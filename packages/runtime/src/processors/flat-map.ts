import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { FlatMapNode, ProcessorContext } from '@ts-streams/dsl';

/** KStream#flatMap: zero or more records per record, each with a new key and value. */
export const flatMap: ProcessorFactory<FlatMapNode> = (node) => {
  const mapper = node.mapper;
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      for (const kv of mapper(r.key, r.value)) ctx.forward({ key: kv.key, value: kv.value, timestamp: r.timestamp, headers: r.headers });
    },
  };
};

import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { MapValuesNode, ProcessorContext } from '@ts-streams/dsl';

/** KStream#mapValues: a new value, same key. */
export const mapValues: ProcessorFactory<MapValuesNode> = (node) => {
  const mapper = node.mapper;
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      ctx.forward({ key: r.key, value: mapper(r.value, r.key), timestamp: r.timestamp, headers: r.headers });
    },
  };
};

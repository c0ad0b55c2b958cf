import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { SelectKeyNode, ProcessorContext } from '@ts-streams/dsl';

/** KStream#selectKey (and the key selection of groupBy): a new key, same value. */
export const selectKey: ProcessorFactory<SelectKeyNode> = (node) => {
  const mapper = node.mapper;
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      ctx.forward({ key: mapper(r.key, r.value), value: r.value, timestamp: r.timestamp, headers: r.headers });
    },
  };
};

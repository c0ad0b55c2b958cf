import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { MapNode, ProcessorContext } from '@ts-streams/dsl';
import { StreamsError } from '../errors/streams-error.ts';

/** KStream#map: a new key and value per record. */
export const map: ProcessorFactory<MapNode> = (node) => {
  const mapper = node.mapper;
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      const kv = mapper(r.key, r.value);
      if (kv === null || typeof kv !== 'object') throw new StreamsError(`map() mapper of '${node.name}' must return { key, value }; got ${String(kv)}.`);
      ctx.forward({ key: kv.key, value: kv.value, timestamp: r.timestamp, headers: r.headers });
    },
  };
};

import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { TableToStreamNode, ProcessorContext } from '@ts-streams/dsl';
import type { Change } from '../task/change.ts';

/** KTable#toStream: each change becomes a record carrying the new value (null for a delete). */
export const tableToStream: ProcessorFactory<TableToStreamNode> = () => {
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      const c = r.value as Change<unknown>;
      ctx.forward({ key: r.key, value: c.newValue, timestamp: r.timestamp, headers: r.headers });
    },
  };
};

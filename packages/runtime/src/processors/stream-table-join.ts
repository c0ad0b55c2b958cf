import type { StreamTableJoinNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, KeyValueStore } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';

/**
 * KStream-KTable join (Kafka Streams' KStreamKTableJoin): each stream record looks its key up in the table's
 * store; table updates emit nothing. Inner: no table value → no output. Left: the joiner gets null. Records
 * with a null value are dropped; a null key is dropped by inner joins and joined with null by left joins.
 * The output keeps the stream record's key, timestamp and headers.
 */
export const streamTableJoin: ProcessorFactory<StreamTableJoinNode> = (node, env) => {
  const { joiner, store: storeName, leftJoin } = node;
  let ctx: ProcessorContext<any, any>;
  let store: KeyValueStore<unknown, ValueAndTimestamp<unknown>>;
  return {
    init(c) {
      ctx = c;
      store = c.getStateStore(storeName);
    },
    process(r) {
      const keyMissing = r.key === null || r.key === undefined;
      if (r.value === null || r.value === undefined || (keyMissing && !leftJoin)) {
        env.metrics.drop('null-key-or-value', node.name);
        return;
      }
      const tableValue = keyMissing ? null : (store.get(r.key)?.value ?? null);
      if (!leftJoin && tableValue === null) return;
      ctx.forward({ key: r.key, value: joiner(r.value, tableValue, r.key), timestamp: r.timestamp, headers: r.headers });
    },
  };
};

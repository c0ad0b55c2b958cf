import type { StreamTableJoinNode, StreamGlobalJoinNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, KeyValueStore } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';

/**
 * KStream-KTable join (Kafka Streams' KStreamKTableJoin), and the KStream-GlobalKTable join, which Kafka runs on the
 * same KStreamKTableJoinProcessor with its key selector: each stream record looks a key up in the table's store —
 * its own key, or the one the key selector maps it to — and goes out as joiner(value, tableValue, key) with its own
 * key, timestamp and headers; table updates emit nothing. Records with a null value are dropped. A null lookup key
 * is dropped by an inner join and joins with null in a left join (a globalTable join's stream record may itself
 * have a null key). Inner: no table value → no output. Left: the joiner gets null.
 */
export const streamTableJoin: ProcessorFactory<StreamTableJoinNode | StreamGlobalJoinNode> = (node, env) => {
  const { joiner, store: storeName, leftJoin } = node;
  const keySelector = node.op === 'streamGlobalJoin' ? node.keySelector : undefined;
  let ctx: ProcessorContext<any, any>;
  let store: KeyValueStore<unknown, ValueAndTimestamp<unknown>>;
  return {
    init(c) {
      ctx = c;
      store = c.getStateStore(storeName);
    },
    process(r) {
      if (r.value === null || r.value === undefined) {
        env.metrics.drop('null-key-or-value', node.name);
        return;
      }
      const lookupKey = keySelector === undefined ? r.key : keySelector(r.key, r.value);
      const keyMissing = lookupKey === null || lookupKey === undefined;
      if (keyMissing && !leftJoin) {
        env.metrics.drop('null-key-or-value', node.name);
        return;
      }
      const tableValue = keyMissing ? null : (store.get(lookupKey)?.value ?? null);
      if (!leftJoin && tableValue === null) return;
      ctx.forward({ key: r.key, value: joiner(r.value, tableValue, r.key), timestamp: r.timestamp, headers: r.headers });
    },
  };
};

import type { StreamGlobalJoinNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, KeyValueStore } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';

/**
 * KStream-GlobalKTable join (Kafka Streams' KStreamGlobalKTableJoin → KStreamKTableJoinProcessor, 4.4
 * semantics as recorded in conformance/cases/join-global-table-*.json): the key selector maps each stream
 * record to the global table key to look up; the stream record's own key may be null. A null stream value
 * is dropped. Inner: a null mapped key is dropped and only found global values emit. Left: a null mapped key
 * or a missing global value joins with null.
 */
export const streamGlobalJoin: ProcessorFactory<StreamGlobalJoinNode> = (node, env) => {
  const { joiner, keySelector, store: storeName, leftJoin } = node;
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
      const mappedKey = keySelector(r.key, r.value);
      const mappedMissing = mappedKey === null || mappedKey === undefined;
      if (mappedMissing && !leftJoin) {
        env.metrics.drop('null-key-or-value', node.name);
        return;
      }
      const globalValue = mappedMissing ? null : (store.get(mappedKey)?.value ?? null);
      if (!leftJoin && globalValue === null) return;
      ctx.forward({ key: r.key, value: joiner(r.value, globalValue, r.key), timestamp: r.timestamp, headers: r.headers });
    },
  };
};

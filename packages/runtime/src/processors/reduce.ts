import type { ReduceNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, KeyValueStore } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import { TableForwarder } from '../state/table-forwarder.ts';
import { storeHooks } from '../state/task-stores.ts';

/** KGroupedStream#reduce (Kafka Streams' KStreamReduce): the first value is the aggregate; null keys/values dropped. */
export const reduce: ProcessorFactory<ReduceNode> = (node, env) => {
  const { reducer, store: storeName } = node;
  const sendOldValues = env.sendOldValues(node.name);
  let store: KeyValueStore<unknown, ValueAndTimestamp<unknown>>;
  let forwarder: TableForwarder<unknown, unknown>;
  return {
    init(ctx: ProcessorContext<any, any>) {
      store = ctx.getStateStore(storeName);
      forwarder = new TableForwarder(ctx, storeName, storeHooks(ctx), sendOldValues);
    },
    process(r) {
      if (r.key === null || r.key === undefined || r.value === null || r.value === undefined) {
        env.metrics.drop('null-key-or-value', node.name);
        return;
      }
      const old = store.get(r.key);
      let newAgg: unknown;
      let timestamp: number;
      const oldAgg = old?.value ?? null;
      if (oldAgg === null) {
        newAgg = r.value;
        timestamp = r.timestamp;
      } else {
        newAgg = reducer(oldAgg, r.value);
        timestamp = Math.max(r.timestamp, old!.timestamp);
      }
      store.put(r.key, { value: newAgg, timestamp });
      forwarder.maybeForward(r.key, newAgg, oldAgg, timestamp, r.headers);
    },
  };
};

import type { AggregateNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, KeyValueStore } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import { TableForwarder } from '../state/table-forwarder.ts';
import { storeHooks } from '../state/task-stores.ts';

/**
 * KGroupedStream#aggregate and #count (Kafka Streams' KStreamAggregate): records with a null key or value
 * are dropped and counted; the result's timestamp is the largest timestamp that went into it.
 */
export const aggregate: ProcessorFactory<AggregateNode> = (node, env) => {
  const { initializer, aggregator, store: storeName } = node;
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
      let oldAgg: unknown;
      let timestamp: number;
      if (old === undefined || old === null || old.value === null) {
        oldAgg = initializer();
        timestamp = r.timestamp;
      } else {
        oldAgg = old.value;
        timestamp = Math.max(r.timestamp, old.timestamp);
      }
      const newAgg = aggregator(r.key, r.value, oldAgg);
      store.put(r.key, { value: newAgg, timestamp });
      forwarder.maybeForward(r.key, newAgg, oldAgg, timestamp, r.headers);
    },
  };
};

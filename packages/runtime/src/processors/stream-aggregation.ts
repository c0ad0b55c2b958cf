import type { AggregateNode, ReduceNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, KeyValueStore } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import { TableForwarder } from '../state/table-forwarder.ts';
import { storeHooks } from '../state/task-stores.ts';

/**
 * KGroupedStream#aggregate, #count and #reduce (Kafka Streams' KStreamAggregate and KStreamReduce): records with a
 * null key or value are dropped and counted; each record is folded into its key's aggregate, which is stored with the
 * largest timestamp that went into it, and the change is forwarded. The two differ only in the fold: an aggregate
 * starts a key from the initializer (and forwards that as the old value), a reduce takes the key's first value as is.
 */
export const streamAggregation: ProcessorFactory<AggregateNode | ReduceNode> = (node, env) => {
  // The fold is picked by a branch per record, not through a closure, so the hot path calls only the user's function.
  const reducer = node.op === 'reduce' ? node.reducer : undefined;
  const initializer = node.op === 'aggregate' ? node.initializer : undefined;
  const aggregator = node.op === 'aggregate' ? node.aggregator : undefined;
  const storeName = node.store;
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
      let newAgg: unknown;
      let timestamp: number;
      if (reducer === undefined) {
        if (old === undefined || old === null || old.value === null) {
          oldAgg = initializer!();
          timestamp = r.timestamp;
        } else {
          oldAgg = old.value;
          timestamp = Math.max(r.timestamp, old.timestamp);
        }
        newAgg = aggregator!(r.key, r.value, oldAgg);
      } else {
        oldAgg = old?.value ?? null;
        if (oldAgg === null) {
          newAgg = r.value;
          timestamp = r.timestamp;
        } else {
          newAgg = reducer(oldAgg, r.value);
          timestamp = Math.max(r.timestamp, old!.timestamp);
        }
      }
      store.put(r.key, { value: newAgg, timestamp });
      forwarder.maybeForward(r.key, newAgg, oldAgg, timestamp, r.headers);
    },
  };
};

import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, KeyValueStore } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import type { Change } from '../task/change.ts';
import { TableForwarder } from '../state/table-forwarder.ts';
import { storeHooks } from '../state/task-stores.ts';
import { StreamsError } from '../errors/streams-error.ts';

/**
 * KGroupedTable#aggregate and #count (Kafka Streams' KTableAggregate): subtracts the old value (if any and
 * if there is an aggregate), then adds the new value (starting from the initializer). The aggregate is
 * never deleted (a count goes down to 0).
 */
export const tableAggregate: ProcessorFactory = (node, env) => {
  const initializer = node.params['initializer'] as () => unknown;
  const adder = node.params['adder'] as (k: unknown, v: unknown, agg: unknown) => unknown;
  const subtractor = node.params['subtractor'] as (k: unknown, v: unknown, agg: unknown) => unknown;
  const storeName = node.params['store'] as string;
  const sendOldValues = env.sendOldValues(node.name);
  let store: KeyValueStore<unknown, ValueAndTimestamp<unknown>>;
  let forwarder: TableForwarder<unknown, unknown>;
  return {
    init(ctx: ProcessorContext<any, any>) {
      store = ctx.getStateStore(storeName);
      forwarder = new TableForwarder(ctx, storeName, storeHooks(ctx), sendOldValues);
    },
    process(r) {
      if (r.key === null || r.key === undefined) {
        throw new StreamsError(`Record key for KTable aggregate operator with state ${storeName} should not be null.`);
      }
      const ch = r.value as Change<unknown>;
      const old = store.get(r.key) ?? null;
      const oldAgg = old?.value ?? null;
      let timestamp = r.timestamp;
      let intermediate: unknown;
      if (ch.oldValue !== null && ch.oldValue !== undefined && oldAgg !== null) {
        intermediate = subtractor(r.key, ch.oldValue, oldAgg);
        timestamp = Math.max(r.timestamp, old!.timestamp);
      } else {
        intermediate = oldAgg;
      }
      let newAgg: unknown;
      if (ch.newValue !== null && ch.newValue !== undefined) {
        newAgg = adder(r.key, ch.newValue, intermediate === null || intermediate === undefined ? initializer() : intermediate);
        if (old !== null) timestamp = Math.max(r.timestamp, old.timestamp);
      } else {
        newAgg = intermediate;
      }
      const value = newAgg ?? null;
      store.put(r.key, value === null ? null : { value, timestamp });
      forwarder.maybeForward(r.key, value, oldAgg, timestamp, r.headers);
    },
  };
};

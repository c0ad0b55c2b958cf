import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, KeyValueStore } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import type { Change } from '../task/change.ts';
import { TableForwarder } from '../state/table-forwarder.ts';
import { storeHooks } from '../state/task-stores.ts';
import { StreamsError } from '../errors/streams-error.ts';

/**
 * KGroupedTable#reduce (Kafka Streams' KTableReduce): subtracts the old value (if any and if there is an
 * aggregate), then adds the new one (the first value is the aggregate).
 */
export const tableReduce: ProcessorFactory = (node, env) => {
  const adder = node.params['adder'] as (agg: unknown, v: unknown) => unknown;
  const subtractor = node.params['subtractor'] as (agg: unknown, v: unknown) => unknown;
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
        throw new StreamsError(`Record key for KTable reduce operator with state ${storeName} should not be null.`);
      }
      const ch = r.value as Change<unknown>;
      const old = store.get(r.key) ?? null;
      const oldAgg = old?.value ?? null;
      let timestamp: number;
      let intermediate: unknown;
      if (ch.oldValue !== null && ch.oldValue !== undefined && oldAgg !== null) {
        intermediate = subtractor(oldAgg, ch.oldValue);
        timestamp = Math.max(r.timestamp, old!.timestamp);
      } else {
        intermediate = oldAgg;
        timestamp = r.timestamp;
      }
      let newAgg: unknown;
      if (ch.newValue !== null && ch.newValue !== undefined) {
        if (intermediate === null || intermediate === undefined) {
          newAgg = ch.newValue;
        } else {
          newAgg = adder(intermediate, ch.newValue);
          if (old !== null) timestamp = Math.max(r.timestamp, old.timestamp);
        }
      } else {
        newAgg = intermediate;
      }
      const value = newAgg ?? null;
      store.put(r.key, value === null ? null : { value, timestamp });
      forwarder.maybeForward(r.key, value, oldAgg, timestamp, r.headers);
    },
  };
};

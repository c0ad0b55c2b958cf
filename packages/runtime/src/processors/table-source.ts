import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, KeyValueStore } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import { TableForwarder } from '../state/table-forwarder.ts';
import { storeHooks } from '../state/task-stores.ts';

/**
 * A KTable/GlobalKTable source (Kafka Streams' KTableSource): upserts each record into the table's store
 * (a null value deletes) and forwards { newValue, oldValue }. Records with a null key are dropped and counted.
 */
export const tableSource: ProcessorFactory = (node, env) => {
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
        env.metrics.drop('null-key', node.name);
        return;
      }
      const old = store.get(r.key);
      const oldValue = old?.value ?? null;
      store.put(r.key, r.value === null || r.value === undefined ? null : { value: r.value, timestamp: r.timestamp });
      forwarder.maybeForward(r.key, r.value ?? null, oldValue, r.timestamp, r.headers);
    },
  };
};

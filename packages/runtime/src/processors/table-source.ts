import type { TableSourceNode, StreamToTableNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, KeyValueStore } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import { TableForwarder } from '../state/table-forwarder.ts';
import { storeHooks } from '../state/task-stores.ts';
import { change } from '../task/change.ts';

/**
 * A KTable/GlobalKTable source (Kafka Streams' KTableSource): upserts each record into the table's store
 * (a null value deletes) and forwards { newValue, oldValue }. Records with a null key are dropped and counted.
 *
 * As in Kafka, the store is used only when the table is materialized: it has a queryable name, a downstream step
 * needs old values, or another step reads the store (a join's value getter). The DSL decides that at build()
 * (materializeTables) and leaves the node without a store otherwise. Then each record is forwarded
 * as { newValue, oldValue: null } at once — with caching on too, so a tombstone for a key the table never had
 * still goes downstream (a materialized, cached table drops it: nothing to delete).
 */
export const tableSource: ProcessorFactory<TableSourceNode | StreamToTableNode> = (node, env) => {
  const storeName = node.store;
  const sendOldValues = env.sendOldValues(node.name);
  const materialized = storeName !== undefined;
  let ctx: ProcessorContext<any, any>;
  let store: KeyValueStore<unknown, ValueAndTimestamp<unknown>>;
  let forwarder: TableForwarder<unknown, unknown>;
  return {
    init(c: ProcessorContext<any, any>) {
      ctx = c;
      if (storeName === undefined) return;
      store = c.getStateStore(storeName);
      forwarder = new TableForwarder(c, storeName, storeHooks(c), sendOldValues);
    },
    process(r) {
      if (r.key === null || r.key === undefined) {
        env.metrics.drop('null-key', node.name);
        return;
      }
      if (!materialized) {
        ctx.forward({ key: r.key, value: change(r.value ?? null, null), timestamp: r.timestamp, headers: r.headers });
        return;
      }
      const old = store.get(r.key);
      const oldValue = old?.value ?? null;
      store.put(r.key, r.value === null || r.value === undefined ? null : { value: r.value, timestamp: r.timestamp });
      forwarder.maybeForward(r.key, r.value ?? null, oldValue, r.timestamp, r.headers);
    },
  };
};

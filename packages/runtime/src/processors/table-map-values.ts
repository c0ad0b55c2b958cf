import type { TableMapValuesNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, KeyValueStore } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import { change, type Change } from '../task/change.ts';
import { TableForwarder } from '../state/table-forwarder.ts';
import { storeHooks } from '../state/task-stores.ts';

/**
 * KTable#mapValues (Kafka Streams' KTableMapValues): maps new (and, when needed, old) values; null stays null
 * (the mapper never sees a delete). Materialized: the result is stored and old values come from the store.
 */
export const tableMapValues: ProcessorFactory<TableMapValuesNode> = (node, env) => {
  const { mapper, store: storeName } = node;
  const sendOldValues = env.sendOldValues(node.name);
  let ctx: ProcessorContext<any, any>;
  let store: KeyValueStore<unknown, ValueAndTimestamp<unknown>> | undefined;
  let forwarder: TableForwarder<unknown, unknown>;
  const compute = (key: unknown, value: unknown) => (value === null || value === undefined ? null : (mapper(value, key) ?? null));
  return {
    init(c) {
      ctx = c;
      if (storeName !== undefined) {
        store = c.getStateStore(storeName);
        forwarder = new TableForwarder(c, storeName, storeHooks(c), sendOldValues);
      }
    },
    process(r) {
      const ch = r.value as Change<unknown>;
      const newValue = compute(r.key, ch.newValue);
      const oldValue = !sendOldValues ? null : store ? (store.get(r.key)?.value ?? null) : compute(r.key, ch.oldValue);
      if (store) {
        store.put(r.key, newValue === null ? null : { value: newValue, timestamp: r.timestamp });
        forwarder.maybeForward(r.key, newValue, oldValue, r.timestamp, r.headers);
      } else {
        ctx.forward({ key: r.key, value: change(newValue, oldValue), timestamp: r.timestamp, headers: r.headers });
      }
    },
  };
};

import type { TableFilterNode } from '@ts-streams/dsl';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { ProcessorContext, KeyValueStore } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import { change, type Change } from '../task/change.ts';
import { TableForwarder } from '../state/table-forwarder.ts';
import { storeHooks } from '../state/task-stores.ts';

/**
 * KTable#filter / #filterNot (Kafka Streams' KTableFilter). A value the predicate rejects becomes null, so a
 * record that no longer passes is forwarded as a delete. With old values on, a change that is null on both
 * sides is not forwarded. Materialized: the result is stored and old values come from the store.
 */
export const tableFilter: ProcessorFactory<TableFilterNode> = (node, env) => {
  const { predicate, not, store: storeName } = node;
  const sendOldValues = env.sendOldValues(node.name);
  let ctx: ProcessorContext<any, any>;
  let store: KeyValueStore<unknown, ValueAndTimestamp<unknown>> | undefined;
  let forwarder: TableForwarder<unknown, unknown>;
  const compute = (key: unknown, value: unknown) =>
    value !== null && value !== undefined && predicate(key, value) !== not ? value : null;
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
      if (sendOldValues && oldValue === null && newValue === null) return;
      if (store) {
        store.put(r.key, newValue === null ? null : { value: newValue, timestamp: r.timestamp });
        forwarder.maybeForward(r.key, newValue, oldValue, r.timestamp, r.headers);
      } else {
        ctx.forward({ key: r.key, value: change(newValue, oldValue), timestamp: r.timestamp, headers: r.headers });
      }
    },
  };
};

import { isDeepStrictEqual } from 'node:util';
import type { ProcessorFactory } from '../compile/compile-env.ts';
import type { TableGroupByNode, ProcessorContext, KeyValue } from '@ts-streams/dsl';
import { change, type Change } from '../task/change.ts';
import { StreamsError } from '../errors/streams-error.ts';

const present = (kv: KeyValue<unknown, unknown> | null): kv is KeyValue<unknown, unknown> =>
  kv !== null && kv !== undefined && kv.key !== null && kv.key !== undefined && kv.value !== null && kv.value !== undefined;

/**
 * KTable#groupBy (Kafka Streams' KTableRepartitionMap): maps the old and the new value to (key, value) pairs.
 * Same new key: one record { new, old }. Else the old pair is sent first as a subtraction { null, old },
 * then the new pair as an addition { new, null }. Pairs with a null key or value are skipped.
 */
export const tableGroupBy: ProcessorFactory<TableGroupByNode> = (node) => {
  const selector = node.selector;
  let ctx: ProcessorContext<any, any>;
  return {
    init(c) { ctx = c; },
    process(r) {
      if (r.key === null || r.key === undefined) {
        throw new StreamsError(`Record key for the grouping KTable should not be null (step '${node.name}').`);
      }
      const ch = r.value as Change<unknown>;
      const newPair = ch.newValue === null || ch.newValue === undefined ? null : selector(r.key, ch.newValue);
      const oldPair = ch.oldValue === null || ch.oldValue === undefined ? null : selector(r.key, ch.oldValue);
      const oldOk = present(oldPair);
      const newOk = present(newPair);
      if (oldOk && newOk && (oldPair.key === newPair.key || isDeepStrictEqual(oldPair.key, newPair.key))) {
        ctx.forward({ key: oldPair.key, value: change(newPair.value, oldPair.value), timestamp: r.timestamp, headers: r.headers });
        return;
      }
      if (oldOk) ctx.forward({ key: oldPair.key, value: change(null, oldPair.value), timestamp: r.timestamp, headers: r.headers });
      if (newOk) ctx.forward({ key: newPair!.key, value: change(newPair!.value, null), timestamp: r.timestamp, headers: r.headers });
    },
  };
};

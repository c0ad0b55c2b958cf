import type { Processor, TableAggregateNode, TableReduceNode } from '@ts-streams/dsl';
import type { CompileEnv } from '../compile/compile-env.ts';
import type { ProcessorContext, KeyValueStore } from '../internal-types.ts';
import type { ValueAndTimestamp } from '../state/value-and-timestamp.ts';
import type { Change } from '../task/change.ts';
import { TableForwarder } from '../state/table-forwarder.ts';
import { storeHooks } from '../state/task-stores.ts';
import { StreamsError } from '../errors/streams-error.ts';

/** How a KGroupedTable aggregation folds a value in or out of the aggregate. */
export interface TableAggregation {
  /** 'aggregate' or 'reduce', for the null-key error (Kafka's wording). */
  readonly operator: string;
  /** The aggregate without `value` (only called with an aggregate). */
  subtract(key: unknown, value: unknown, agg: unknown): unknown;
  /** The aggregate with `value`; `agg` null when there is none yet. */
  add(key: unknown, value: unknown, agg: unknown): unknown;
}

/**
 * The processor of KGroupedTable#aggregate / #count / #reduce (Kafka Streams' KTableAggregate / KTableReduce):
 * subtracts the update's old value (if any and if there is an aggregate), then adds its new value. The result's
 * timestamp is the record's, or the larger of it and the aggregate's when the aggregate took part.
 */
export function tableAggregationProcessor(node: TableAggregateNode | TableReduceNode, env: CompileEnv, agg: TableAggregation): Processor<any, any, any, any> {
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
      if (r.key === null || r.key === undefined) {
        throw new StreamsError(`Record key for KTable ${agg.operator} operator with state ${storeName} should not be null.`);
      }
      const ch = r.value as Change<unknown>;
      const old = store.get(r.key) ?? null;
      const oldAgg = old?.value ?? null;
      let timestamp = r.timestamp;
      let intermediate: unknown;
      if (ch.oldValue !== null && ch.oldValue !== undefined && oldAgg !== null) {
        intermediate = agg.subtract(r.key, ch.oldValue, oldAgg);
        timestamp = Math.max(r.timestamp, old!.timestamp);
      } else {
        intermediate = oldAgg;
      }
      let newAgg: unknown;
      if (ch.newValue !== null && ch.newValue !== undefined) {
        newAgg = agg.add(r.key, ch.newValue, intermediate ?? null);
        if (old !== null) timestamp = Math.max(r.timestamp, old.timestamp);
      } else {
        newAgg = intermediate;
      }
      const value = newAgg ?? null;
      store.put(r.key, value === null ? null : { value, timestamp });
      forwarder.maybeForward(r.key, value, oldAgg, timestamp, r.headers);
    },
  };
}

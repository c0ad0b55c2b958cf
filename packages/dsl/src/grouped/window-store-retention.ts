import type { Materialized } from '../options/materialized.ts';
import { toMillis } from '../window/duration.ts';
import { TopologyError } from '../errors/topology-error.ts';

/**
 * The retention of a windowed aggregation's store: the user's Materialized retention, which must be at least
 * `minimumMs` (Kafka Streams' WindowStoreMaterializer / SlidingWindowStoreMaterializer / SessionStoreMaterializer
 * checks), else `minimumMs`.
 */
export function windowStoreRetention(materialized: Materialized<any, any> | undefined, minimumMs: number, what: string): number {
  if (materialized?.retention === undefined) return minimumMs;
  const store = materialized.storeName !== undefined ? ` '${materialized.storeName}'` : '';
  const retention = toMillis(materialized.retention, `retention of store${store}`);
  if (retention < minimumMs) {
    throw new TopologyError(
      `The retention period of the ${what.startsWith('session') ? 'session' : 'window'} store${store} must be no smaller than ${what} (${minimumMs} ms), got retention=${retention} ms.`,
    );
  }
  return retention;
}

/** Checks an emit strategy given at runtime (plain JS callers). */
export function checkEmitStrategy(strategy: string): void {
  if (strategy !== 'on-window-update' && strategy !== 'on-window-close') {
    throw new TopologyError(`Unknown emit strategy '${strategy}': use 'on-window-update' or 'on-window-close'.`);
  }
}

/** Kafka Streams' reduce adapters: a reduce is an aggregate whose initial aggregate is null. */
export const reduceInitializer = (): null => null;
export function aggregatorForReducer<K, V>(reducer: (agg: V, value: V) => V): (key: K, value: V, agg: V | null) => V {
  return (_key, value, agg) => (agg === null || agg === undefined ? value : reducer(agg, value));
}

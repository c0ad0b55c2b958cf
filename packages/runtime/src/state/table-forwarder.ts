import type { ProcessorContext, Headers } from '@ts-streams/dsl';
import { change } from '../task/change.ts';
import type { StoreFlushHooks } from './task-stores.ts';

/**
 * Forwards a table update ({ newValue, oldValue }) downstream the way Kafka Streams'
 * TimestampedTupleForwarder does: immediately when the store does not cache, else when the record
 * cache flushes the key (on commit or eviction) — then only the latest value per key goes out.
 */
export class TableForwarder<K, V> {
  private readonly cached: boolean;
  constructor(
    private readonly ctx: ProcessorContext<K, any>,
    storeName: string,
    hooks: StoreFlushHooks,
    private readonly sendOldValues: boolean,
  ) {
    this.cached = hooks.isCaching(storeName);
    if (this.cached) {
      hooks.onFlush(storeName, (key: K, newValue: V | null, oldValue: V | null, timestamp: number, headers: Headers) => {
        ctx.forward({ key, value: change(newValue, this.sendOldValues ? oldValue : null), timestamp, headers });
      }, sendOldValues);
    }
  }

  maybeForward(key: K, newValue: V | null, oldValue: V | null, timestamp: number, headers: Headers): void {
    if (this.cached) return;
    this.ctx.forward({ key, value: change(newValue, this.sendOldValues ? oldValue : null), timestamp, headers });
  }
}

import type { Bytes } from '../api/bytes.ts';
import type { ChangelogRecord, RestorableStore } from '../api/state-store.ts';
import { StreamsError } from '@ts-streams/dsl/errors';

/**
 * Called for each dirty entry a caching layer writes down (on flush or eviction), after writing it, with the
 * write's timestamp and context (what the caching layer's `context` option gave at write time: the runtime keeps
 * the record's headers there).
 */
export type BytesFlushListener = (key: Bytes, newValue: Bytes | null, oldValue: Bytes | null, timestamp: number, context?: unknown) => void;

/** Typed form of BytesFlushListener, as the metered layers expose it. */
export type FlushListener<K, V> = (key: K, newValue: V | null, oldValue: V | null, timestamp: number, context?: unknown) => void;

/** A store layer that may sit above a caching layer: the metered layers look for it to set the flush listener. */
export interface FlushListenerHost {
  /**
   * sendOldValues false (default true): the listener does not need old values, so the layer reads the value below
   * only for deletes (to skip deleting a key that was never written down), as Kafka's caching stores.
   */
  setFlushListener(listener: BytesFlushListener | null, sendOldValues?: boolean): boolean;
}

export function isRestorable(store: object): store is RestorableStore {
  return typeof (store as Partial<RestorableStore>).restoreBatch === 'function';
}

/** Passes a restore batch down to the first layer that can apply it (the change-logging layer). */
export function restoreDown(storeName: string, inner: object, records: readonly ChangelogRecord[]): void {
  if (!isRestorable(inner)) {
    throw new StreamsError(`Store ${storeName} cannot be restored: it has no change-logging layer, so no changelog to restore from. Build it with the logging option to restore it.`);
  }
  inner.restoreBatch(records);
}

export function setFlushListenerDown(inner: object, listener: BytesFlushListener | null, sendOldValues = true): boolean {
  const host = inner as Partial<FlushListenerHost>;
  return typeof host.setFlushListener === 'function' ? host.setFlushListener(listener, sendOldValues) : false;
}

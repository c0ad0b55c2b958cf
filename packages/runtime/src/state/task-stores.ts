import type { StoreSpec, Serde, Headers, ProcessorContext } from '@ts-streams/dsl';
import type { StateStore, ChangelogSink, KeyValueBytesStore, WindowBytesStore, SessionBytesStore } from '@ts-streams/state';
import type { InnerStore } from './persistent-stores.ts';
import {
  buildKeyValueStore, buildWindowStore, buildSessionStore,
  InMemoryKeyValueStore, InMemoryWindowStore, InMemorySessionStore, RecordCache,
} from '@ts-streams/state';
import { valueAndTimestampSerde, type ValueAndTimestamp } from './value-and-timestamp.ts';
import { windowStoreLayout } from './window-store-layout.ts';
import { StreamsError } from '../errors/streams-error.ts';
import { changelogTopic } from '../topics/internal-topic-names.ts';

export type TableFlushListener = (key: any, newValue: any, oldValue: any, timestamp: number, headers: Headers) => void;

/** How table processors learn whether a store caches, and get called when its cache flushes. */
export interface StoreFlushHooks {
  isCaching(store: string): boolean;
  /**
   * Forwards what the store's cache writes down to `listener`: (key, new, old, timestamp, headers of the write).
   * Window keys are Windowed<K>; timestamped stores give plain values, the timestamp being the new value's
   * (session stores: the session's end, as Kafka's SessionCacheFlushListener). sendOldValues false lets window
   * and session caches skip reading old values (the listener then gets null as old value, deletes aside).
   */
  onFlush(store: string, listener: TableFlushListener, sendOldValues?: boolean): void;
}

const HOOKS = Symbol('ts-streams.storeHooks');

/** The store hooks of the task a processor context belongs to. */
export function storeHooks(ctx: ProcessorContext<any, any>): StoreFlushHooks {
  const hooks = (ctx as unknown as { [HOOKS]?: StoreFlushHooks })[HOOKS];
  if (!hooks) throw new StreamsError('This processor context has no store hooks (not created by a ts-streams task).');
  return hooks;
}

export function attachStoreHooks(ctx: ProcessorContext<any, any>, hooks: StoreFlushHooks): ProcessorContext<any, any> {
  Object.defineProperty(ctx, HOOKS, { value: hooks, enumerable: false });
  return ctx;
}

export interface TaskStoreOptions {
  readonly taskId: string;
  readonly applicationId: string;
  /** Shared by every task of the process (Kafka Streams' statestore.cache.max.bytes). */
  readonly cache: RecordCache;
  readonly changelog: ChangelogSink;
  /** Timestamp of the record being processed (stamps changelog records). */
  readonly timestamp: () => number;
  /** Headers of the record being processed (kept with window/session cache entries, forwarded on flush). */
  readonly headers?: () => Headers;
  /** Opened persistent (RocksDB) bytes stores by store name; a store not in it is kept in memory. */
  readonly inner?: ReadonlyMap<string, InnerStore>;
  readonly keySerde: (s: Serde<any> | undefined, step: string) => Serde<any>;
  readonly valueSerde: (s: Serde<any> | undefined, step: string) => Serde<any>;
}

/**
 * The store-level flush listener handing a table processor what a cache wrote down: plain values (a timestamped
 * store's value carries the timestamp the update goes out with; a delete goes out with its write's timestamp)
 * and the headers of the write (Kafka: the cache entry's record context).
 */
function unwrapFlushed(l: TableFlushListener, timestamped: boolean) {
  return (key: unknown, nv: unknown, ov: unknown, ts: number, context: unknown): void => {
    if (timestamped) {
      const n = nv as ValueAndTimestamp<unknown> | null;
      const o = ov as ValueAndTimestamp<unknown> | null;
      l(key, n?.value ?? null, o?.value ?? null, n ? n.timestamp : ts, headersOf(context));
    } else {
      l(key, nv, ov, ts, headersOf(context));
    }
  };
}

const headersOf = (context: unknown): Headers => (context as Headers | undefined) ?? [];

/** The task's part of the shared record cache for a caching store (unique across the tasks of a process). */
export function cacheNameOf(taskId: string, store: string): string {
  return `${taskId}-${store}`;
}

/** Builds a task's stores from their specs, and the flush hooks for its caching stores. */
export function createTaskStores(specs: readonly StoreSpec[], opts: TaskStoreOptions): { stores: Map<string, StateStore>; hooks: StoreFlushHooks } {
  const stores = new Map<string, StateStore>();
  const caching = new Set<string>();
  const listeners = new Map<string, (l: TableFlushListener, sendOldValues: boolean) => void>();
  for (const spec of specs) {
    const keySerde = opts.keySerde(spec.keySerde, spec.name);
    const plainValueSerde = opts.valueSerde(spec.valueSerde, spec.name);
    const timestamped = spec.type === 'timestamped-key-value' || spec.type === 'timestamped-window';
    const valueSerde: Serde<any> = timestamped ? valueAndTimestampSerde(plainValueSerde) : plainValueSerde;
    const topic = changelogTopic(opts.applicationId, spec.name);
    // A timestamped store logs Kafka's format: the plain value, its timestamp as the record's.
    const logging = spec.logging ? { sink: opts.changelog, timestamp: opts.timestamp, timestampedValues: timestamped } : undefined;
    const common = { keySerde, valueSerde, topic, timestamp: opts.timestamp, ...(logging ? { logging } : {}) };
    switch (spec.type) {
      case 'key-value':
      case 'timestamped-key-value': {
        const useCache = spec.caching && opts.cache.maxBytes > 0;
        const store = buildKeyValueStore<any, any>({
          ...common,
          inner: (opts.inner?.get(spec.name) as KeyValueBytesStore | undefined) ?? new InMemoryKeyValueStore(spec.name),
          ...(useCache ? { caching: { cache: opts.cache, cacheName: cacheNameOf(opts.taskId, spec.name), context: opts.headers } } : {}),
        });
        if (useCache) {
          caching.add(spec.name);
          listeners.set(spec.name, (l, sendOldValues) =>
            store.setFlushListener(unwrapFlushed(l, timestamped), sendOldValues),
          );
        }
        stores.set(spec.name, store);
        break;
      }
      case 'window':
      case 'timestamped-window': {
        const { retentionPeriod } = windowStoreLayout(spec);
        // Stores retaining duplicates (stream-stream joins) are never cached, as in Kafka.
        const useCache = spec.caching && opts.cache.maxBytes > 0 && !spec.retainDuplicates;
        const store = buildWindowStore<any, any>({
          ...common,
          inner: (opts.inner?.get(spec.name) as WindowBytesStore | undefined) ??
            new InMemoryWindowStore({ name: spec.name, retentionPeriod, windowSize: spec.windowSizeMs ?? 0, retainDuplicates: spec.retainDuplicates ?? false }),
          ...(useCache ? { caching: { cache: opts.cache, cacheName: cacheNameOf(opts.taskId, spec.name), context: opts.headers, timeOrdered: spec.timeOrdered ?? false } } : {}),
        });
        if (useCache) {
          caching.add(spec.name);
          listeners.set(spec.name, (l, sendOldValues) =>
            store.setFlushListener(unwrapFlushed(l, timestamped), sendOldValues),
          );
        }
        stores.set(spec.name, store);
        break;
      }
      case 'session': {
        const useCache = spec.caching && opts.cache.maxBytes > 0;
        const store = buildSessionStore<any, any>({
          ...common,
          inner: (opts.inner?.get(spec.name) as SessionBytesStore | undefined) ?? new InMemorySessionStore({ name: spec.name, retentionPeriod: spec.retentionMs ?? 0, timeOrdered: spec.timeOrdered ?? false }),
          ...(useCache ? { caching: { cache: opts.cache, cacheName: cacheNameOf(opts.taskId, spec.name), context: opts.headers } } : {}),
        });
        if (useCache) {
          caching.add(spec.name);
          listeners.set(spec.name, (l, sendOldValues) =>
            store.setFlushListener((key, nv, ov, _ts, context) => l(key, nv, ov, key.window.end, headersOf(context)), sendOldValues),
          );
        }
        stores.set(spec.name, store);
        break;
      }
    }
  }
  return {
    stores,
    hooks: {
      isCaching: (s) => caching.has(s),
      onFlush: (s, l, sendOldValues = true) => listeners.get(s)?.(l, sendOldValues),
    },
  };
}

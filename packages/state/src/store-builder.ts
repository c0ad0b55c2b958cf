import type { ChangelogSink } from './api/state-store.ts';
import type { KeyValueBytesStore } from './api/key-value-store.ts';
import type { WindowBytesStore } from './api/window-store.ts';
import type { SessionBytesStore } from './api/session-store.ts';
import type { RecordCache } from './cache/record-cache.ts';
import type { StoreSerde } from './layers/store-serde.ts';
import type { FlushListener } from './layers/layer-support.ts';
import type { WindowedFlushListener } from './layers/windowed-cache-support.ts';
import { MeteredKeyValueStore } from './layers/metered-key-value-store.ts';
import { MeteredWindowStore } from './layers/metered-window-store.ts';
import { MeteredSessionStore } from './layers/metered-session-store.ts';
import { CachingKeyValueStore } from './layers/caching-key-value-store.ts';
import { CachingWindowStore } from './layers/caching-window-store.ts';
import { CachingSessionStore } from './layers/caching-session-store.ts';
import { ChangeLoggingKeyValueStore } from './layers/change-logging-key-value-store.ts';
import { ChangeLoggingWindowStore } from './layers/change-logging-window-store.ts';
import { ChangeLoggingSessionStore } from './layers/change-logging-session-store.ts';
import { StreamsError } from '@ts-streams/dsl/errors';

export interface LoggingOptions {
  readonly sink: ChangelogSink;
  /** Timestamp of changelog records (the runtime: the current record's). Default: the builder's `timestamp`. */
  readonly timestamp?: () => number;
  /**
   * Key-value and window stores: the values are Kafka Streams' timestamped format ([8-byte timestamp][value], the
   * DSL's tables and windowed aggregates); the changelog gets the plain value, stamped with that timestamp, as Kafka
   * Streams' ChangeLoggingTimestamped*BytesStore writes it, and restoring puts the timestamp back. Default false.
   */
  readonly timestampedValues?: boolean;
}

export interface CachingOptions<K, V> {
  readonly cache: RecordCache;
  /** Unique name within the cache (e.g. `${taskId}-${storeName}`). Default: the store name. */
  readonly cacheName?: string;
  /** Called for each entry the cache writes down; can also be set later with store.setFlushListener(). */
  readonly onFlush?: FlushListener<K, V>;
  /** Context of the current write (the runtime: the record's headers), handed to the flush listener with the entry. */
  readonly context?: () => unknown;
}

/** Caching of a window or session store (the flush listener gets the windowed key and the write's context). */
export interface WindowedCachingOptions<K, V> {
  readonly cache: RecordCache;
  /** Unique name within the cache (e.g. `${taskId}-${storeName}`). Default: the store name. */
  readonly cacheName?: string;
  /** Called for each window/session the cache writes down; can also be set later with store.setFlushListener(). */
  readonly onFlush?: WindowedFlushListener<K, V>;
  /** Default true; false: old values are read below only for deletes (and passed to onFlush as null). */
  readonly sendOldValues?: boolean;
  /** Context of the current write (the runtime: the record's headers), kept with each dirty entry and passed to onFlush. */
  readonly context?: () => unknown;
  /** Window stores: Kafka Streams' time-ordered cache reads (CachingWindowStoreOptions.timeOrdered). */
  readonly timeOrdered?: boolean;
}

interface CommonOptions<K, V> {
  /** Store name; default: the inner store's name. */
  readonly name?: string;
  readonly keySerde: StoreSerde<K>;
  readonly valueSerde: StoreSerde<V>;
  /** Topic passed to the serdes; default: the store name (pass the changelog topic when there is one). */
  readonly topic?: string;
  /** The current record's timestamp (stamps cache entries and changelog records). Default () => -1. */
  readonly timestamp?: () => number;
  readonly logging?: LoggingOptions;
}

export interface KeyValueStoreOptions<K, V> extends CommonOptions<K, V> {
  readonly inner: KeyValueBytesStore;
  readonly caching?: CachingOptions<K, V>;
}

export interface WindowStoreOptions<K, V> extends CommonOptions<K, V> {
  readonly inner: WindowBytesStore;
  /** Ignored when the inner store retains duplicates (as Kafka's WindowStoreBuilder: such stores are never cached). */
  readonly caching?: WindowedCachingOptions<K, V>;
}

export interface SessionStoreOptions<K, V> extends CommonOptions<K, V> {
  readonly inner: SessionBytesStore;
  readonly caching?: WindowedCachingOptions<K, V>;
}

const noTimestamp = (): number => -1;

function checkName(name: string | undefined, inner: { name: string }): void {
  if (name !== undefined && name !== inner.name) {
    throw new StreamsError(
      `Store name '${name}' differs from the inner store's name '${inner.name}': the layers and their changelog would name another store than the one below. ` +
        'Leave the name out (it is the inner store\'s) or give the inner store that name.',
    );
  }
}

/**
 * Stacks a key-value store: metered (typed) → caching (optional) → change-logging (optional) → inner.
 * While the cache writes an entry down, the change-logging layer stamps it with that entry's write timestamp.
 */
export function buildKeyValueStore<K, V>(options: KeyValueStoreOptions<K, V>): MeteredKeyValueStore<K, V> {
  const { inner, logging, caching } = options;
  checkName(options.name, inner);
  const timestamp = options.timestamp ?? logging?.timestamp ?? noTimestamp;
  const logTimestamp = logging?.timestamp ?? timestamp;
  let cachingLayer: CachingKeyValueStore | undefined;
  let store: KeyValueBytesStore = inner;
  if (logging !== undefined) {
    store = new ChangeLoggingKeyValueStore(store, logging.sink, caching === undefined ? logTimestamp : () => (cachingLayer !== undefined ? cachingLayer.currentTimestamp() : logTimestamp()), logging.timestampedValues);
  }
  if (caching !== undefined) {
    cachingLayer = new CachingKeyValueStore(store, caching.cache, { cacheName: caching.cacheName, timestamp: logTimestamp, ...(caching.context ? { context: caching.context } : {}) });
    store = cachingLayer;
  }
  const metered = new MeteredKeyValueStore<K, V>(store, options.keySerde, options.valueSerde, options.topic);
  if (caching?.onFlush !== undefined) metered.setFlushListener(caching.onFlush);
  return metered;
}

/**
 * Stacks a window store: metered (typed) → caching (optional; never for stores retaining duplicates) →
 * change-logging (optional) → inner. While the cache writes an entry down, the change-logging layer stamps it
 * with that entry's write timestamp.
 */
export function buildWindowStore<K, V>(options: WindowStoreOptions<K, V>): MeteredWindowStore<K, V> {
  const { inner, logging } = options;
  checkName(options.name, inner);
  const caching = inner.retainDuplicates ? undefined : options.caching;
  const timestamp = options.timestamp ?? logging?.timestamp ?? noTimestamp;
  const logTimestamp = logging?.timestamp ?? timestamp;
  let cachingLayer: CachingWindowStore | undefined;
  let store: WindowBytesStore = inner;
  if (logging !== undefined) {
    store = new ChangeLoggingWindowStore(store, logging.sink, caching === undefined ? logTimestamp : () => (cachingLayer !== undefined ? cachingLayer.currentTimestamp() : logTimestamp()), logging.timestampedValues);
  }
  if (caching !== undefined) {
    cachingLayer = new CachingWindowStore(store, caching.cache, { cacheName: caching.cacheName, timestamp: logTimestamp, context: caching.context, timeOrdered: caching.timeOrdered ?? false });
    store = cachingLayer;
  }
  const metered = new MeteredWindowStore<K, V>(store, options.keySerde, options.valueSerde, options.topic);
  if (caching?.onFlush !== undefined) metered.setFlushListener(caching.onFlush, caching.sendOldValues ?? true);
  return metered;
}

/**
 * Stacks a session store: metered (typed) → caching (optional) → change-logging (optional) → inner. While the
 * cache writes an entry down, the change-logging layer stamps it with that entry's write timestamp.
 */
export function buildSessionStore<K, V>(options: SessionStoreOptions<K, V>): MeteredSessionStore<K, V> {
  const { inner, logging, caching } = options;
  checkName(options.name, inner);
  const timestamp = options.timestamp ?? logging?.timestamp ?? noTimestamp;
  const logTimestamp = logging?.timestamp ?? timestamp;
  let cachingLayer: CachingSessionStore | undefined;
  let store: SessionBytesStore = inner;
  if (logging !== undefined) {
    store = new ChangeLoggingSessionStore(store, logging.sink, caching === undefined ? logTimestamp : () => (cachingLayer !== undefined ? cachingLayer.currentTimestamp() : logTimestamp()));
  }
  if (caching !== undefined) {
    cachingLayer = new CachingSessionStore(store, caching.cache, { cacheName: caching.cacheName, timestamp: logTimestamp, context: caching.context });
    store = cachingLayer;
  }
  const metered = new MeteredSessionStore<K, V>(store, options.keySerde, options.valueSerde, options.topic);
  if (caching?.onFlush !== undefined) metered.setFlushListener(caching.onFlush, caching.sendOldValues ?? true);
  return metered;
}


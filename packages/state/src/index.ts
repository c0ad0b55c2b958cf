export type { Bytes, KeyValue } from './api/bytes.ts';
export { compareBytes } from './api/bytes.ts';
export type { StateStore, ChangelogRecord, ChangelogSink, RestorableStore } from './api/state-store.ts';
export type { KeyValueStore, ReadOnlyKeyValueStore, KeyValueBytesStore, BytesWrite } from './api/key-value-store.ts';
export type { WindowStore, ReadOnlyWindowStore, WindowBytesStore, TimeWindow, Windowed, WindowedBytes } from './api/window-store.ts';
export type { SessionStore, ReadOnlySessionStore, SessionBytesStore } from './api/session-store.ts';

export { InMemoryKeyValueStore } from './memory/in-memory-key-value-store.ts';
export { InMemoryWindowStore, defaultSegmentInterval, windowEnd } from './memory/in-memory-window-store.ts';
export type { InMemoryWindowStoreOptions } from './memory/in-memory-window-store.ts';
export { InMemorySessionStore } from './memory/in-memory-session-store.ts';
export type { InMemorySessionStoreOptions } from './memory/in-memory-session-store.ts';

export type { StoreSerde } from './layers/store-serde.ts';
export { StoreSerdeError } from './layers/store-serde.ts';
export { StoreMetrics, SAMPLE_EVERY } from './layers/store-metrics.ts';
export type { BytesFlushListener, FlushListener, FlushListenerHost } from './layers/layer-support.ts';
export { MeteredKeyValueStore } from './layers/metered-key-value-store.ts';
export { MeteredWindowStore } from './layers/metered-window-store.ts';
export { MeteredSessionStore } from './layers/metered-session-store.ts';
export { ChangeLoggingKeyValueStore } from './layers/change-logging-key-value-store.ts';
export { ChangeLoggingWindowStore } from './layers/change-logging-window-store.ts';
export { ChangeLoggingSessionStore } from './layers/change-logging-session-store.ts';
export { windowChangelogKey, parseWindowChangelogKey, sessionChangelogKey, parseSessionChangelogKey } from './layers/changelog-keys.ts';
export { CachingKeyValueStore } from './layers/caching-key-value-store.ts';
export type { CachingKeyValueStoreOptions } from './layers/caching-key-value-store.ts';
export { CachingWindowStore } from './layers/caching-window-store.ts';
export type { CachingWindowStoreOptions } from './layers/caching-window-store.ts';
export { CachingSessionStore } from './layers/caching-session-store.ts';
export type { CachingSessionStoreOptions } from './layers/caching-session-store.ts';
export type { WindowedBytesFlushListener, WindowedFlushListener, WindowedFlushListenerHost } from './layers/windowed-cache-support.ts';

export { RecordCache, NamedCache, CACHE_ENTRY_OVERHEAD } from './cache/record-cache.ts';
export type { DirtyEntry, DirtyEntryHandler, CachedValue } from './cache/record-cache.ts';

export { buildKeyValueStore, buildWindowStore, buildSessionStore } from './store-builder.ts';
export type { KeyValueStoreOptions, WindowStoreOptions, SessionStoreOptions, LoggingOptions, CachingOptions, WindowedCachingOptions } from './store-builder.ts';
export { StoreClosedError, keyString, keyBytes, printableBytes, writeLong, readLong } from './util/key-string.ts';

export { StateStoreError, StoreLockedError, StoreCorruptedError, StoreLayoutChangedError, StateDirectoryLockedError, CheckpointCorruptedError } from './util/state-errors.ts';
export { RocksDatabase, RocksBatch, DEFAULT_PAGE_SIZE } from './rocksdb/rocks-database.ts';
export type { RocksDatabaseOptions, RocksRange, RocksWrite } from './rocksdb/rocks-database.ts';
export { RocksDbKeyValueStore } from './rocksdb/rocksdb-key-value-store.ts';
export type { RocksDbKeyValueStoreOptions } from './rocksdb/rocksdb-key-value-store.ts';
export { RocksDbWindowStore } from './rocksdb/rocksdb-window-store.ts';
export type { RocksDbWindowStoreOptions } from './rocksdb/rocksdb-window-store.ts';
export { RocksDbSessionStore } from './rocksdb/rocksdb-session-store.ts';
export type { RocksDbSessionStoreOptions } from './rocksdb/rocksdb-session-store.ts';
export type { SegmentedRocksDbStoreOptions } from './rocksdb/segmented-rocksdb-store.ts';
export { StateDirectory, LOCK_FILE } from './directory/state-directory.ts';
export type { StateDirectoryLockInfo } from './directory/state-directory.ts';
export { CheckpointFile, checkpointKey, parseCheckpointKey } from './directory/checkpoint-file.ts';
export { openPersistentStore, openPersistentKeyValueStore } from './directory/open-persistent-store.ts';
export type { OpenedPersistentStore, OpenPersistentStoreOptions } from './directory/open-persistent-store.ts';

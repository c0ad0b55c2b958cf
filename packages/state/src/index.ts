// The public entry point of @ts-streams/state: the store interfaces, the byte stores (in memory, RocksDB), the
// store builders that stack the layers over them, the record cache they share, the state directory, and the
// errors. The layers themselves and the key encodings are internal (this package's tests import them from their
// files); of the RocksDB binding only its synchronous wrapper, RocksDatabase, is public (the runtime's embedded log).
export type { Bytes, KeyValue } from './api/bytes.ts';
export { compareBytes } from './api/bytes.ts';
export type { StateStore, ChangelogRecord, ChangelogSink, RestorableStore } from './api/state-store.ts';
export type { KeyValueStore, ReadOnlyKeyValueStore, KeyValueBytesStore, BytesWrite } from './api/key-value-store.ts';
export type { WindowStore, ReadOnlyWindowStore, WindowBytesStore, TimeWindow, Windowed, WindowedBytes } from './api/window-store.ts';
export type { SessionStore, ReadOnlySessionStore, SessionBytesStore } from './api/session-store.ts';

export { InMemoryKeyValueStore } from './memory/in-memory-key-value-store.ts';
export { InMemoryWindowStore } from './memory/in-memory-window-store.ts';
export type { InMemoryWindowStoreOptions } from './memory/in-memory-window-store.ts';
export { InMemorySessionStore } from './memory/in-memory-session-store.ts';
export type { InMemorySessionStoreOptions } from './memory/in-memory-session-store.ts';
export { RocksDbKeyValueStore } from './rocksdb/rocksdb-key-value-store.ts';
export type { RocksDbKeyValueStoreOptions } from './rocksdb/rocksdb-key-value-store.ts';
export { RocksDbWindowStore } from './rocksdb/rocksdb-window-store.ts';
export type { RocksDbWindowStoreOptions } from './rocksdb/rocksdb-window-store.ts';
export { RocksDbSessionStore } from './rocksdb/rocksdb-session-store.ts';
export type { RocksDbSessionStoreOptions } from './rocksdb/rocksdb-session-store.ts';
// The synchronous RocksDB database under the stores: the runtime's embedded log keeps its topics in one.
export { RocksDatabase, RocksBatch } from './rocksdb/rocks-database.ts';
export type { RocksDatabaseOptions, RocksRange, RocksWrite } from './rocksdb/rocks-database.ts';

export type { StoreSerde } from './layers/store-serde.ts';
export type { FlushListener } from './layers/layer-support.ts';
// What the store builders return (built by them only).
export type { MeteredKeyValueStore } from './layers/metered-key-value-store.ts';
export type { MeteredWindowStore } from './layers/metered-window-store.ts';
export type { MeteredSessionStore } from './layers/metered-session-store.ts';
export type { WindowedFlushListener } from './layers/windowed-cache-support.ts';

export { RecordCache } from './cache/record-cache.ts';

export { buildKeyValueStore, buildWindowStore, buildSessionStore } from './store-builder.ts';
export type { KeyValueStoreOptions, WindowStoreOptions, SessionStoreOptions, LoggingOptions, CachingOptions, WindowedCachingOptions } from './store-builder.ts';
// keyString, writeLong and readLong: the runtime's suppress buffer and timestamped values use them.
export { keyString, writeLong, readLong } from './util/key-string.ts';

// The state directory (lock, checkpoints) and opening a persistent store in it
export { StateDirectory } from './directory/state-directory.ts';
export { isProcessAlive } from './directory/is-process-alive.ts';
export type { StateDirectoryLockInfo } from './directory/state-directory.ts';
export { CheckpointFile, checkpointKey } from './directory/checkpoint-file.ts';
export { openPersistentStore, openPersistentKeyValueStore } from './directory/open-persistent-store.ts';
export type { OpenedPersistentStore, OpenPersistentStoreOptions } from './directory/open-persistent-store.ts';

// Errors: all are StreamsErrors (@ts-streams/dsl/errors), with `retriable` and `cause`
export { StateStoreError } from './errors/state-store-error.ts';
export { StoreLockedError } from './errors/store-locked-error.ts';
export { StoreCorruptedError } from './errors/store-corrupted-error.ts';
export { StoreLayoutChangedError } from './errors/store-layout-changed-error.ts';
export { StateDirectoryLockedError } from './errors/state-directory-locked-error.ts';
export { CheckpointCorruptedError } from './errors/checkpoint-corrupted-error.ts';
export { StoreClosedError } from './errors/store-closed-error.ts';
export { StoreSerdeError } from './errors/store-serde-error.ts';

export type { Bytes, KeyValue } from './api/bytes.ts';
export { compareBytes } from './api/bytes.ts';
export type { StateStore, ChangelogRecord, ChangelogSink, RestorableStore } from './api/state-store.ts';
export type { KeyValueStore, ReadOnlyKeyValueStore, KeyValueBytesStore } from './api/key-value-store.ts';
export type { WindowStore, ReadOnlyWindowStore, WindowBytesStore, TimeWindow, Windowed, WindowedBytes } from './api/window-store.ts';
export type { SessionStore, ReadOnlySessionStore, SessionBytesStore } from './api/session-store.ts';

// Every store implementation the contract suites run against. Adding an implementation (e.g. RocksDB) is one
// line in the matching `*_IMPLEMENTATIONS` array; every layer combination is then derived from it.
// `make` may be async (RocksDB opens asynchronously); it gets an ImplContext for temp dirs and cleanup, which
// runs when the test ends (StackFactory.make(t) registers it as the test's teardown).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { KeyValueBytesStore, RestorableStore, SessionBytesStore, WindowBytesStore } from '../../src/index.ts';
import {
  InMemoryKeyValueStore,
  InMemorySessionStore,
  InMemoryWindowStore,
  RecordCache,
  RocksDbKeyValueStore,
  RocksDbSessionStore,
  RocksDbWindowStore,
} from '../../src/index.ts';
import { CachingKeyValueStore } from '../../src/layers/caching-key-value-store.ts';
import { CachingSessionStore } from '../../src/layers/caching-session-store.ts';
import { CachingWindowStore } from '../../src/layers/caching-window-store.ts';
import { ChangeLoggingKeyValueStore } from '../../src/layers/change-logging-key-value-store.ts';
import { ChangeLoggingSessionStore } from '../../src/layers/change-logging-session-store.ts';
import { ChangeLoggingWindowStore } from '../../src/layers/change-logging-window-store.ts';
import { CollectingSink } from './helpers.ts';

/** What an implementation's `make` may use: temp dirs and cleanup, both scoped to the test. */
export interface ImplContext {
  /** A new empty directory, removed when the test ends. */
  tempDir(): string;
  /** Runs `fn` when the test ends (in reverse order of registration; awaited). */
  defer(fn: () => unknown): void;
}

/** The ImplContext of one test: cleanups run (LIFO) at the test's teardown. */
export function implContext(a: ExecutionContext): ImplContext {
  const cleanups: (() => unknown)[] = [];
  a.teardown(async () => {
    for (let i = cleanups.length - 1; i >= 0; i--) await cleanups[i]!();
  });
  return {
    tempDir() {
      const dir = mkdtempSync(join(tmpdir(), 'ts-streams-state-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
    defer(fn) {
      cleanups.push(fn);
    },
  };
}

/** A RocksDB store for a test: opened in a temp dir; closed (and the close awaited) and removed at the end. */
async function rocksKeyValue(name: string, ctx: ImplContext, options: { maxBufferBytes?: number } = {}): Promise<KeyValueBytesStore> {
  const store = await RocksDbKeyValueStore.open({ name, dir: join(ctx.tempDir(), name), ...options });
  ctx.defer(async () => {
    store.close();
    await store.closed;
  });
  return store;
}

/** A RocksDB window or session store for a test: as rocksKeyValue. */
async function rocksSegmented<S extends { close(): void; readonly closed: Promise<void> | null }>(name: string, ctx: ImplContext, open: (dir: string) => Promise<S>): Promise<S> {
  const store = await open(join(ctx.tempDir(), name));
  ctx.defer(async () => {
    store.close();
    await store.closed;
  });
  return store;
}

type Made<S> = S | Promise<S>;

export interface WindowParams {
  readonly retentionPeriod: number;
  readonly windowSize: number;
  readonly retainDuplicates?: boolean;
  readonly segmentInterval?: number;
}

export interface SessionParams {
  readonly retentionPeriod: number;
  readonly segmentInterval?: number;
  readonly timeOrdered?: boolean;
}

export const KEY_VALUE_IMPLEMENTATIONS: { label: string; make: (name: string, ctx: ImplContext) => Made<KeyValueBytesStore> }[] = [
  { label: 'in-memory', make: (name) => new InMemoryKeyValueStore(name) },
  { label: 'rocksdb', make: (name, ctx) => rocksKeyValue(name, ctx) },
  // a 200-byte write buffer: writes reach RocksDB mid-test and mid-scan (exercises the scan's re-reads)
  { label: 'rocksdb/buffer=200', make: (name, ctx) => rocksKeyValue(name, ctx, { maxBufferBytes: 200 }) },
];

export const WINDOW_IMPLEMENTATIONS: { label: string; make: (name: string, p: WindowParams, ctx: ImplContext) => Made<WindowBytesStore> }[] = [
  { label: 'in-memory', make: (name, p) => new InMemoryWindowStore({ name, ...p }) },
  // a segment per ms: expiry exactly at the boundary exercises segment dropping
  { label: 'in-memory/segment=1', make: (name, p) => new InMemoryWindowStore({ name, ...p, segmentInterval: 1 }) },
  { label: 'rocksdb', make: (name, p, ctx) => rocksSegmented(name, ctx, (dir) => RocksDbWindowStore.open({ name, dir, ...p })) },
  // a segment per ms (many DeleteRanges, expiry at the boundary) and a 200-byte write buffer (writes reach RocksDB mid-test)
  { label: 'rocksdb/segment=1,buffer=200', make: (name, p, ctx) => rocksSegmented(name, ctx, (dir) => RocksDbWindowStore.open({ name, dir, ...p, segmentInterval: 1, maxBufferBytes: 200 })) },
];

export const SESSION_IMPLEMENTATIONS: { label: string; make: (name: string, p: SessionParams, ctx: ImplContext) => Made<SessionBytesStore> }[] = [
  { label: 'in-memory', make: (name, p) => new InMemorySessionStore({ name, ...p }) },
  { label: 'in-memory/segment=7', make: (name, p) => new InMemorySessionStore({ name, ...p, segmentInterval: 7 }) },
  { label: 'rocksdb', make: (name, p, ctx) => rocksSegmented(name, ctx, (dir) => RocksDbSessionStore.open({ name, dir, ...p })) },
  { label: 'rocksdb/segment=7,buffer=200', make: (name, p, ctx) => rocksSegmented(name, ctx, (dir) => RocksDbSessionStore.open({ name, dir, ...p, segmentInterval: 7, maxBufferBytes: 200 })) },
];

/** A store under test plus what the tests need to see around it. */
export interface Stack<S> {
  readonly store: S;
  /** The changelog records written so far (undefined without a logging layer). */
  readonly sink?: CollectingSink;
  /** Makes a fresh, empty store of the same kind and name (for restore tests); cleaned up with the test. */
  readonly fresh: () => Promise<S & Partial<RestorableStore>>;
  readonly cache?: RecordCache;
}

export interface StackFactory<S> {
  readonly label: string;
  readonly logging: boolean;
  readonly caching: boolean;
  /** Builds a stack for test `t`; whatever it opened is closed and removed when `t` ends. */
  make(t: ExecutionContext): Promise<Stack<S & Partial<RestorableStore>>>;
}

let counter = 0;
const uniqueName = (): string => `store-${++counter}`;

export function keyValueStacks(): StackFactory<KeyValueBytesStore>[] {
  const out: StackFactory<KeyValueBytesStore>[] = [];
  for (const impl of KEY_VALUE_IMPLEMENTATIONS) {
    for (const logging of [false, true]) {
      for (const cacheBytes of [undefined, 0, 1 << 20, 300]) {
        const caching = cacheBytes !== undefined;
        const label = `${impl.label}${logging ? '+logging' : ''}${caching ? `+cache(${cacheBytes})` : ''}`;
        const build = async (name: string, sink: CollectingSink | undefined, ctx: ImplContext): Promise<{ store: KeyValueBytesStore; cache?: RecordCache }> => {
          let store: KeyValueBytesStore = await impl.make(name, ctx);
          if (sink) store = new ChangeLoggingKeyValueStore(store, sink, () => 42);
          if (!caching) return { store };
          const cache = new RecordCache(cacheBytes!);
          return { store: new CachingKeyValueStore(store, cache, { timestamp: () => 42 }), cache };
        };
        out.push({
          label,
          logging,
          caching,
          async make(t) {
            const ctx = implContext(t);
            const name = uniqueName();
            const sink = logging ? new CollectingSink() : undefined;
            const built = await build(name, sink, ctx);
            return { store: built.store, sink, cache: built.cache, fresh: async () => (await build(name, logging ? new CollectingSink() : undefined, ctx)).store };
          },
        });
      }
    }
  }
  return out;
}

export function windowStacks(p: WindowParams): StackFactory<WindowBytesStore>[] {
  const out: StackFactory<WindowBytesStore>[] = [];
  for (const impl of WINDOW_IMPLEMENTATIONS) {
    for (const logging of [false, true]) {
      // caching: none / 0 bytes (write-through) / 1 MiB / 300 bytes (a few entries: evictions mid-test).
      // Stores retaining duplicates are never cached (as Kafka's builder): those stacks test the plain store.
      for (const cacheBytes of [undefined, 0, 1 << 20, 300]) {
        const caching = cacheBytes !== undefined;
        const build = async (name: string, sink: CollectingSink | undefined, ctx: ImplContext): Promise<{ store: WindowBytesStore; cache?: RecordCache }> => {
          const inner = await impl.make(name, p, ctx);
          const store = sink ? new ChangeLoggingWindowStore(inner, sink, () => 42) : inner;
          if (!caching || store.retainDuplicates) return { store };
          const cache = new RecordCache(cacheBytes!);
          return { store: new CachingWindowStore(store, cache, { timestamp: () => 42 }), cache };
        };
        out.push({
          label: `${impl.label}${logging ? '+logging' : ''}${caching ? `+cache(${cacheBytes})` : ''}`,
          logging,
          caching,
          async make(t) {
            const ctx = implContext(t);
            const name = uniqueName();
            const sink = logging ? new CollectingSink() : undefined;
            const built = await build(name, sink, ctx);
            return { store: built.store, sink, cache: built.cache, fresh: async () => (await build(name, logging ? new CollectingSink() : undefined, ctx)).store };
          },
        });
      }
    }
  }
  return out;
}

export function sessionStacks(p: SessionParams): StackFactory<SessionBytesStore>[] {
  const out: StackFactory<SessionBytesStore>[] = [];
  for (const impl of SESSION_IMPLEMENTATIONS) {
    for (const logging of [false, true]) {
      // caching: none / 0 bytes (write-through) / 1 MiB / 300 bytes (a few entries: evictions mid-test)
      for (const cacheBytes of [undefined, 0, 1 << 20, 300]) {
        const caching = cacheBytes !== undefined;
        const build = async (name: string, sink: CollectingSink | undefined, ctx: ImplContext): Promise<{ store: SessionBytesStore; cache?: RecordCache }> => {
          const inner = await impl.make(name, p, ctx);
          const store = sink ? new ChangeLoggingSessionStore(inner, sink, () => 42) : inner;
          if (!caching) return { store };
          const cache = new RecordCache(cacheBytes!);
          return { store: new CachingSessionStore(store, cache, { timestamp: () => 42 }), cache };
        };
        out.push({
          label: `${impl.label}${logging ? '+logging' : ''}${caching ? `+cache(${cacheBytes})` : ''}`,
          logging,
          caching,
          async make(t) {
            const ctx = implContext(t);
            const name = uniqueName();
            const sink = logging ? new CollectingSink() : undefined;
            const built = await build(name, sink, ctx);
            return { store: built.store, sink, cache: built.cache, fresh: async () => (await build(name, logging ? new CollectingSink() : undefined, ctx)).store };
          },
        });
      }
    }
  }
  return out;
}

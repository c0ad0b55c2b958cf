// Every store implementation the contract suites run against. Adding an implementation (e.g. RocksDB) is one
// line in the matching `*_IMPLEMENTATIONS` array; every layer combination is then derived from it.
import type { KeyValueBytesStore, RestorableStore, SessionBytesStore, WindowBytesStore } from '../../src/index.ts';
import {
  CachingKeyValueStore,
  ChangeLoggingKeyValueStore,
  ChangeLoggingSessionStore,
  ChangeLoggingWindowStore,
  InMemoryKeyValueStore,
  InMemorySessionStore,
  InMemoryWindowStore,
  RecordCache,
} from '../../src/index.ts';
import { CollectingSink } from './helpers.ts';

export interface WindowParams {
  readonly retentionPeriod: number;
  readonly windowSize: number;
  readonly retainDuplicates?: boolean;
  readonly segmentInterval?: number;
}

export interface SessionParams {
  readonly retentionPeriod: number;
  readonly segmentInterval?: number;
}

export const KEY_VALUE_IMPLEMENTATIONS: { label: string; make: (name: string) => KeyValueBytesStore }[] = [
  { label: 'in-memory', make: (name) => new InMemoryKeyValueStore(name) },
];

export const WINDOW_IMPLEMENTATIONS: { label: string; make: (name: string, p: WindowParams) => WindowBytesStore }[] = [
  { label: 'in-memory', make: (name, p) => new InMemoryWindowStore({ name, ...p }) },
  // a segment per ms: expiry exactly at the boundary exercises segment dropping
  { label: 'in-memory/segment=1', make: (name, p) => new InMemoryWindowStore({ name, ...p, segmentInterval: 1 }) },
];

export const SESSION_IMPLEMENTATIONS: { label: string; make: (name: string, p: SessionParams) => SessionBytesStore }[] = [
  { label: 'in-memory', make: (name, p) => new InMemorySessionStore({ name, ...p }) },
  { label: 'in-memory/segment=7', make: (name, p) => new InMemorySessionStore({ name, ...p, segmentInterval: 7 }) },
];

/** A store under test plus what the tests need to see around it. */
export interface Stack<S> {
  readonly store: S;
  /** The changelog records written so far (undefined without a logging layer). */
  readonly sink?: CollectingSink;
  /** Makes a fresh, empty store of the same kind (for restore tests). */
  readonly fresh: () => S & Partial<RestorableStore>;
  readonly cache?: RecordCache;
}

export interface StackFactory<S> {
  readonly label: string;
  readonly logging: boolean;
  readonly caching: boolean;
  make(): Stack<S & Partial<RestorableStore>>;
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
        const build = (name: string, sink: CollectingSink | undefined): { store: KeyValueBytesStore; cache?: RecordCache } => {
          let store: KeyValueBytesStore = impl.make(name);
          if (sink) store = new ChangeLoggingKeyValueStore(store, sink, () => 42);
          if (!caching) return { store };
          const cache = new RecordCache(cacheBytes!);
          return { store: new CachingKeyValueStore(store, cache, { timestamp: () => 42 }), cache };
        };
        out.push({
          label,
          logging,
          caching,
          make() {
            const name = uniqueName();
            const sink = logging ? new CollectingSink() : undefined;
            const built = build(name, sink);
            return { store: built.store, sink, cache: built.cache, fresh: () => build(name, logging ? new CollectingSink() : undefined).store };
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
      const build = (name: string, sink: CollectingSink | undefined): WindowBytesStore => {
        const inner = impl.make(name, p);
        return sink ? new ChangeLoggingWindowStore(inner, sink, () => 42) : inner;
      };
      out.push({
        label: `${impl.label}${logging ? '+logging' : ''}`,
        logging,
        caching: false,
        make() {
          const name = uniqueName();
          const sink = logging ? new CollectingSink() : undefined;
          return { store: build(name, sink), sink, fresh: () => build(name, logging ? new CollectingSink() : undefined) };
        },
      });
    }
  }
  return out;
}

export function sessionStacks(p: SessionParams): StackFactory<SessionBytesStore>[] {
  const out: StackFactory<SessionBytesStore>[] = [];
  for (const impl of SESSION_IMPLEMENTATIONS) {
    for (const logging of [false, true]) {
      const build = (name: string, sink: CollectingSink | undefined): SessionBytesStore => {
        const inner = impl.make(name, p);
        return sink ? new ChangeLoggingSessionStore(inner, sink, () => 42) : inner;
      };
      out.push({
        label: `${impl.label}${logging ? '+logging' : ''}`,
        logging,
        caching: false,
        make() {
          const name = uniqueName();
          const sink = logging ? new CollectingSink() : undefined;
          return { store: build(name, sink), sink, fresh: () => build(name, logging ? new CollectingSink() : undefined) };
        },
      });
    }
  }
  return out;
}

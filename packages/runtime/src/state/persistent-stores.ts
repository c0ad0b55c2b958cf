import type { StoreSpec } from '@ts-streams/dsl';
import type { KeyValueBytesStore, SessionBytesStore, WindowBytesStore, StateDirectory } from '@ts-streams/state';
import {
  CheckpointFile, checkpointKey, openPersistentStore,
  RocksDbKeyValueStore, RocksDbWindowStore, RocksDbSessionStore,
} from '@ts-streams/state';
import { windowStoreLayout } from './window-store-layout.ts';

/** The innermost (bytes) store of a store stack. */
export type InnerStore = KeyValueBytesStore | WindowBytesStore | SessionBytesStore;

/** A task's persistent stores, opened, and where each one's restoration from its changelog starts. */
export interface OpenedStores {
  readonly inner: Map<string, InnerStore>;
  /** Changelog offset to restore from, per store (0 = the beginning). */
  readonly restoreFrom: Map<string, number>;
}

export interface PersistentStoreOptions {
  readonly stateDir: StateDirectory;
  readonly taskId: string;
  readonly applicationId: string;
  /** The task's partition: the changelog partition of its stores. */
  readonly partition: number;
  /** Where one warning line goes when a store is wiped and rebuilt. Default console.warn. */
  readonly warn?: (line: string) => void;
}

/** True for stores kept on disk: the DSL default (as Kafka Streams' RocksDB default), unless Materialized says in-memory. */
export function isPersistent(spec: StoreSpec): boolean {
  return spec.backend !== 'in-memory';
}

/**
 * Opens the RocksDB stores of a task under `<stateDir>/<taskId>/rocksdb/<store>` (the only asynchronous step of
 * building a task), applying the state package's policy: a store with a checkpoint is kept, an unclean or corrupt
 * one is wiped with one warning line and rebuilt from its changelog.
 */
export async function openPersistentStores(specs: readonly StoreSpec[], opts: PersistentStoreOptions): Promise<OpenedStores> {
  const checkpoint = new CheckpointFile(opts.stateDir.checkpointPath(opts.taskId));
  const offsets = checkpoint.exists() ? checkpoint.read() : new Map<string, number>();
  const inner = new Map<string, InnerStore>();
  const restoreFrom = new Map<string, number>();
  try {
    for (const spec of specs) {
      if (!isPersistent(spec)) continue;
      const name = spec.name;
      const dir = opts.stateDir.storeDir(opts.taskId, name);
      const changelog = checkpointKey(`${opts.applicationId}-${name}-changelog`, opts.partition);
      const open = (d: string): Promise<InnerStore> => {
        switch (spec.type) {
          case 'key-value':
          case 'timestamped-key-value':
            return RocksDbKeyValueStore.open({ name, dir: d });
          case 'window':
          case 'timestamped-window':
            return RocksDbWindowStore.open({
              name, dir: d,
              ...windowStoreLayout(spec),
              windowSize: spec.windowSizeMs ?? 0,
              retainDuplicates: spec.retainDuplicates ?? false,
            });
          case 'session':
            return RocksDbSessionStore.open({ name, dir: d, retentionPeriod: spec.retentionMs ?? 0, timeOrdered: spec.timeOrdered ?? false });
        }
      };
      const opened = await openPersistentStore<InnerStore>({ name, dir, checkpointOffset: offsets.get(changelog), open, ...(opts.warn ? { warn: opts.warn } : {}) });
      inner.set(name, opened.store);
      restoreFrom.set(name, opened.restoreFrom);
    }
  } catch (e) {
    await Promise.all([...inner.values()].map((s) => closeInner(s)));
    throw e;
  }
  return { inner, restoreFrom };
}

/** Closes a store and waits until its files are released (RocksDB closes asynchronously). */
export async function closeInner(store: { close(): void; readonly closed?: Promise<void> | null }): Promise<void> {
  store.close();
  await store.closed;
}

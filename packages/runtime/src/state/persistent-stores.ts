import type { StoreSpec, Topology } from '@ts-streams/dsl';
import type { KeyValueBytesStore, SessionBytesStore, WindowBytesStore, StateDirectory } from '@ts-streams/state';
import {
  CheckpointFile, checkpointKey, openPersistentStore,
  RocksDbKeyValueStore, RocksDbWindowStore, RocksDbSessionStore,
} from '@ts-streams/state';
import { windowStoreLayout } from './window-store-layout.ts';
import type { TopicPartition } from '../io/topic-partition.ts';
import type { TopicPartitionOffset } from '../io/topic-partition-offset.ts';
import { changelogTopic } from '../topics/internal-topic-names.ts';

/** The innermost (bytes) store of a store stack. */
export type InnerStore = KeyValueBytesStore | WindowBytesStore | SessionBytesStore;

/** A task's persistent stores, opened, and where each one's restoration from its changelog starts. */
export interface OpenedStores {
  readonly inner: Map<string, InnerStore>;
  /** Changelog offset to restore from, per store (0 = the beginning); a store restoring from several partitions: the first's. */
  readonly restoreFrom: Map<string, number>;
  /** Per store, each topic-partition it restores from with the offset restoration starts at (the checkpoint's, or 0). */
  readonly restoreOffsets: Map<string, readonly TopicPartitionOffset[]>;
  /** The task's checkpoint file (`<stateDir>/<taskId>/.checkpoint`). */
  readonly checkpoint: CheckpointFile;
}

export interface PersistentStoreOptions {
  readonly stateDir: StateDirectory;
  readonly taskId: string;
  readonly applicationId: string;
  /** The task's partition: the changelog partition of its stores. */
  readonly partition: number;
  /**
   * The topic-partitions a store restores from, and is checkpointed by. Default: its changelog
   * `<applicationId>-<store>-changelog` on the task's partition. Global stores restore from every partition of
   * their source topic: pass globalRestorePartitions(...).
   */
  readonly restorePartitions?: (store: string) => readonly TopicPartition[];
  /** Where one warning line goes when a store is wiped and rebuilt. Default console.warn. */
  readonly warn?: (line: string) => void;
}

/**
 * What the global stores of a topology restore from (Kafka Streams' GlobalStateManagerImpl): not a changelog but
 * their source topic, every partition of it; `partitionsOf` gives a topic's partition count.
 */
export function globalRestorePartitions(topology: Topology, partitionsOf: (topic: string) => number): (store: string) => TopicPartition[] {
  return (store) => {
    const g = topology.globalStores.find((s) => s.store === store);
    if (g === undefined) throw new Error(`Store '${store}' is not a global store of this topology.`);
    const n = partitionsOf(g.topic);
    return Array.from({ length: n }, (_, partition) => ({ topic: g.topic, partition }));
  };
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
  const restoreOffsets = new Map<string, readonly TopicPartitionOffset[]>();
  const partitionsOf = opts.restorePartitions ?? ((store: string) => [{ topic: changelogTopic(opts.applicationId, store), partition: opts.partition }]);
  try {
    for (const spec of specs) {
      if (!isPersistent(spec)) continue;
      const name = spec.name;
      const dir = opts.stateDir.storeDir(opts.taskId, name);
      const partitions = partitionsOf(name);
      // The store is clean only if the checkpoint vouches for every partition it restores from (a source topic that
      // gained partitions has none for the new ones: rebuilt from the start, as a store with no checkpoint).
      let checkpointOffset: number | undefined = 0;
      for (const tp of partitions) {
        const o = offsets.get(checkpointKey(tp.topic, tp.partition));
        checkpointOffset = o === undefined || checkpointOffset === undefined ? undefined : checkpointOffset + o;
      }
      if (partitions.length === 0) checkpointOffset = undefined;
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
      const opened = await openPersistentStore<InnerStore>({ name, dir, checkpointOffset, open, ...(opts.warn ? { warn: opts.warn } : {}) });
      inner.set(name, opened.store);
      // restoreFrom 0: a new, wiped or vanished store, restored from the start of every partition.
      const from = partitions.map((tp) => ({ ...tp, offset: opened.restoreFrom === 0 ? 0 : offsets.get(checkpointKey(tp.topic, tp.partition))! }));
      restoreOffsets.set(name, from);
      restoreFrom.set(name, from[0]?.offset ?? 0);
    }
  } catch (e) {
    await Promise.all([...inner.values()].map((s) => closeInner(s)));
    throw e;
  }
  return { inner, restoreFrom, restoreOffsets, checkpoint };
}

/** Closes a store and waits until its files are released (RocksDB closes asynchronously). */
export async function closeInner(store: { close(): void; readonly closed?: Promise<void> | null }): Promise<void> {
  store.close();
  await store.closed;
}

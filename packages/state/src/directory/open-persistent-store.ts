import { readdirSync, rmSync } from 'node:fs';
import type { StateStore } from '../api/state-store.ts';
import { RocksDbKeyValueStore, type RocksDbKeyValueStoreOptions } from '../rocksdb/rocksdb-key-value-store.ts';
import { StoreCorruptedError } from '../errors/store-corrupted-error.ts';
import { StoreLayoutChangedError } from '../errors/store-layout-changed-error.ts';

/** A persistent store opened for a task, and where its restoration starts. */
export interface OpenedPersistentStore<S> {
  readonly store: S;
  /** The changelog offset to restore from: the checkpoint's, or 0 (the beginning) when the store starts empty. */
  readonly restoreFrom: number;
  /** True when the store's directory was wiped (corrupt, or left by an unclean stop). */
  readonly wiped: boolean;
}

export interface OpenPersistentStoreOptions<S> {
  /** The store name (for the warning). */
  readonly name: string;
  /** The store's directory (StateDirectory.storeDir(taskId, name)). */
  readonly dir: string;
  /**
   * The task checkpoint's offset for this store's changelog partition (CheckpointFile.read().get(key)), or
   * undefined when the checkpoint has no entry for it (or there is no checkpoint).
   */
  readonly checkpointOffset: number | undefined;
  /** Opens the store in `dir` (creating it). */
  readonly open: (dir: string) => Promise<S>;
  /** Where the one warning line goes when the directory is wiped. Default console.warn. */
  readonly warn?: (line: string) => void;
}

/**
 * The policy for opening a task's persistent store at startup (the runtime calls it for each store):
 *
 * - clean (the directory opens, and the checkpoint has an offset for it) → the store as is, restore from the
 *   checkpoint's offset;
 * - new (no directory or an empty one, no checkpoint entry) → an empty store, restore from 0;
 * - unclean (the directory holds data but the checkpoint has no entry: the instance crashed or was killed, so
 *   the data may be ahead of or behind anything known) → wiped, reopened empty, restore from 0;
 * - corrupt (RocksDB cannot read its files: StoreCorruptedError) → wiped, reopened empty, restore from 0;
 * - laid out for other options (StoreLayoutChangedError: a window/session store whose retention, and so segment
 *   interval, changed; another kind of store under the name) → wiped, reopened empty, restore from 0;
 * - the directory is missing but the checkpoint has an entry (someone deleted it) → an empty store, restore
 *   from 0 (the checkpoint vouches for data that is gone).
 *
 * Each of the last four prints exactly one warning line naming the store, the directory, the reason and
 * "rebuilding from the changelog". Any other error (a locked directory: another process holds it) is thrown,
 * and nothing is wiped. An unclean directory is first opened (so RocksDB's lock is taken: a directory another
 * process uses is never wiped), then closed, wiped and reopened.
 */
export async function openPersistentStore<S extends StateStore & { readonly closed?: Promise<void> | null }>(
  options: OpenPersistentStoreOptions<S>,
): Promise<OpenedPersistentStore<S>> {
  const { name, dir, checkpointOffset, open } = options;
  const warn = options.warn ?? ((line: string) => console.warn(line));
  const hadData = hasEntries(dir);
  const rebuild = async (reason: string): Promise<OpenedPersistentStore<S>> => {
    rmSync(dir, { recursive: true, force: true });
    warn(`State store ${name}: wiped its directory ${dir} (${reason}); rebuilding from the changelog`);
    return { store: await open(dir), restoreFrom: 0, wiped: true };
  };

  let store: S;
  try {
    store = await open(dir);
  } catch (e) {
    if (e instanceof StoreCorruptedError) return rebuild(`its files are corrupted or unreadable: ${causeOf(e)}`);
    if (e instanceof StoreLayoutChangedError) return rebuild(`its files are laid out for other options: ${e.message}`);
    throw e;
  }
  if (hadData && checkpointOffset === undefined) {
    store.close();
    await store.closed;
    return rebuild('it holds data but the task checkpoint has no offset for it: the instance did not stop cleanly');
  }
  if (!hadData && checkpointOffset !== undefined && checkpointOffset > 0) {
    warn(`State store ${name}: its directory ${dir} was missing although the task checkpoint has offset ${checkpointOffset} for it; rebuilding from the changelog from the beginning`);
    return { store, restoreFrom: 0, wiped: false };
  }
  return { store, restoreFrom: checkpointOffset ?? 0, wiped: false };
}

/** openPersistentStore for a RocksDbKeyValueStore. */
export function openPersistentKeyValueStore(
  options: Omit<OpenPersistentStoreOptions<RocksDbKeyValueStore>, 'open'> & { readonly storeOptions?: Omit<RocksDbKeyValueStoreOptions, 'name' | 'dir'> },
): Promise<OpenedPersistentStore<RocksDbKeyValueStore>> {
  return openPersistentStore({
    ...options,
    open: (dir) => RocksDbKeyValueStore.open({ ...options.storeOptions, name: options.name, dir }),
  });
}

function hasEntries(dir: string): boolean {
  try {
    return readdirSync(dir).length > 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

function causeOf(e: Error): string {
  const c = (e as { cause?: { cause?: { message?: string }; message?: string } }).cause;
  return c?.cause?.message ?? c?.message ?? e.message;
}

import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import type { Bytes, KeyValue } from '../api/bytes.ts';
import { StoreClosedError } from '../errors/store-closed-error.ts';
import { StateStoreError } from '../errors/state-store-error.ts';
import { StoreCorruptedError } from '../errors/store-corrupted-error.ts';
import { StoreLockedError } from '../errors/store-locked-error.ts';
import { StreamsError } from '@ts-streams/dsl/errors';

/**
 * A thin, typed, synchronous wrapper over one `@nxtedition/rocksdb` database (`RocksLevel`), shared by every
 * RocksDB-backed store. Only open and close are asynchronous; every read and write is a synchronous native call.
 *
 * A synchronous call on a RocksLevel that is not open (still opening, closing or closed) crashes the process
 * (segfault) instead of throwing, so every method here checks `isOpen()` first and throws StoreClosedError.
 *
 * Keys and values are bytes; keys sort in unsigned byte order (RocksDB's default bytewise comparator).
 * Keys and values returned are plain Uint8Arrays (not Buffers: stores return the same type whether a value
 * comes from memory or from disk) owned by the caller.
 */

/**
 * Options of RocksDatabase.open. Defaults, measured (1M keys, 16-byte keys, 100-byte values; see the package
 * README): 'point-lookup' tables and WAL/SST compression on or off made no difference to get, write or scan
 * throughput beyond run-to-run noise, so the defaults keep the binding's plain bloom filters (the memtable bloom
 * of 'point-lookup' costs ~16 MB more memtable memory per store) and leave SST compression off (less compaction
 * CPU; stores are rebuilt from their changelogs anyway).
 *
 * Memtables follow Kafka Streams' RocksDBStore: 16 MiB write buffers and universal compaction (the binding's
 * 'universal' profile with a 64 MiB memtable budget: 16 MiB buffers, up to 6, two merged per flush). Measured
 * (1M distinct 10-byte keys, 16-byte values, batches of 100,000): the batch write costs ~0.5 µs per key against
 * ~0.7 µs with RocksDB's default single 64 MiB buffer (a smaller skiplist to insert into; flushes run on a
 * background thread). The WAL is not compressed (the binding's default is ZSTD on the write path; a store's WAL
 * only covers writes since the last flush, and the changelog is the source of truth).
 */
export interface RocksDatabaseOptions {
  /** Name for error messages (a store name). Default: the directory's base name. */
  readonly name?: string;
  /** Block cache bytes for this database (0 = no block cache). Default 8 MiB (the binding's). */
  readonly cacheSize?: number;
  /** ZSTD-compress SST files. Default false. */
  readonly compression?: boolean;
  /**
   * 'default': bloom filters (10 bits/key). 'point-lookup': hash index in data blocks, ribbon filters and a
   * memtable bloom filter. Default 'default'.
   */
  readonly optimize?: 'point-lookup' | 'default';
  /** fsync the WAL on every write. Default false: the changelog is the source of truth, not the local files. */
  readonly sync?: boolean;
  /** Create the database when missing. Default true. */
  readonly createIfMissing?: boolean;
  /** Further binding open options, passed as is (see @nxtedition/rocksdb binding.cc db_open/InitOptions). */
  readonly native?: Readonly<Record<string, unknown>>;
}

/** A key range. Bounds are byte strings; absent = unbounded. `reverse` iterates in descending key order. */
export interface RocksRange {
  readonly gte?: Bytes;
  readonly gt?: Bytes;
  readonly lte?: Bytes;
  readonly lt?: Bytes;
  readonly reverse?: boolean;
  /** At most this many entries (default: all). */
  readonly limit?: number;
}

/** One write of a batch: value null deletes the key. */
export interface RocksWrite {
  readonly key: Bytes;
  readonly value: Bytes | null;
}

/** Default number of entries fetched per native call while iterating (the first call fetches at most FIRST_PAGE). */
const DEFAULT_PAGE_SIZE = 256;
/** Entries fetched by a scan's first native call: a scan read only to its first entries copies few. */
const FIRST_PAGE = 16;

// --- the binding, typed -----------------------------------------------------------------------------------
//
// RocksLevel (abstract-level) opens and closes the database and tracks its status. The synchronous calls go
// straight to the native binding with the database's context: RocksLevel's own sync iterator and batch objects
// are abstract-level "resources" that only an async close() releases (a scan closed with _closeSync() would stay
// in the database's resource set until it closes), and its wrappers cost about as much as the native call
// (an iterator created, read and closed: ~22 µs through RocksLevel, ~12 µs direct). Native batches are freed by
// their finalizers; scans left open are closed by RocksDatabase.close().

type External = object & { readonly __external: unique symbol };
interface Binding {
  db_get_many_sync(db: External, keys: readonly Bytes[], options: object | undefined): (Buffer | undefined | null)[];
  db_clear(db: External, options: object | undefined): void;
  db_get_property(db: External, property: string): string;
  batch_init(): External;
  batch_put(batch: External, key: Bytes, value: Bytes, options: object | undefined): void;
  batch_del(batch: External, key: Bytes, options: object | undefined): void;
  batch_clear(batch: External): void;
  batch_write(db: External, batch: External, options: object | undefined): void;
  iterator_init(db: External, options: object | undefined): External;
  iterator_nextv_sync(it: External, count: number): { rows: Buffer[]; finished: boolean };
  iterator_close(it: External): void;
}
interface NativeDb {
  readonly status: string;
  open(): Promise<void>;
  close(): Promise<void>;
}
type RocksLevelCtor = new (location: string, options: object) => NativeDb;

let loaded: { RocksLevel: RocksLevelCtor; binding: Binding } | undefined;
function load(): { RocksLevel: RocksLevelCtor; binding: Binding } {
  if (loaded === undefined) {
    const require = createRequire(import.meta.url);
    const { RocksLevel } = require('@nxtedition/rocksdb') as { RocksLevel: RocksLevelCtor };
    const binding = require('@nxtedition/rocksdb/binding.js') as Binding;
    for (const fn of ['db_get_many_sync', 'db_clear', 'db_get_property', 'batch_init', 'batch_put', 'batch_del', 'batch_clear', 'batch_write', 'iterator_init', 'iterator_nextv_sync', 'iterator_close'] as const) {
      if (typeof binding[fn] !== 'function') throw wrongBinding(`the native binding has no ${fn}`);
    }
    loaded = { RocksLevel, binding };
  }
  return loaded;
}

/** The installed @nxtedition/rocksdb is not the one this code calls into (its private binding differs). */
function wrongBinding(problem: string): StreamsError {
  return new StreamsError(
    `@nxtedition/rocksdb: ${problem}; this code calls its native binding as version 12.2.12 has it. ` +
      'Install the version @ts-streams/state declares (npm ls @nxtedition/rocksdb shows which one is installed).',
  );
}

/** The native database handle RocksLevel keeps under a private symbol. */
function contextOf(db: NativeDb): External {
  const sym = Object.getOwnPropertySymbols(db).find((x) => x.description === 'context');
  const ctx = sym === undefined ? undefined : (db as unknown as Record<symbol, unknown>)[sym];
  if (ctx === undefined || ctx === null) throw wrongBinding('cannot find the native database handle');
  return ctx as External;
}

/**
 * Options argument of the binding's per-key calls: undefined, not {} — the binding then skips its property lookups
 * (each a V8 string made and looked up per call: measured ~25 % of a batch_put).
 */
const NO_OPTIONS = undefined;
const SYNC = { sync: true };

// --- the database ------------------------------------------------------------------------------------------

export class RocksDatabase {
  private closing: Promise<void> | null = null;
  private readonly writeOptions: object | undefined;
  private readonly binding: Binding;
  private readonly ctx: External;
  private readonly scratch: External;
  /** Native iterators of scans in progress: closed before the database closes (see close()). */
  private readonly iterators = new Set<External>();

  private constructor(
    /** The database directory. */
    readonly dir: string,
    /** Name used in error messages. */
    readonly name: string,
    private readonly db: NativeDb,
    sync: boolean,
  ) {
    this.writeOptions = sync ? SYNC : NO_OPTIONS;
    this.binding = load().binding;
    this.ctx = contextOf(db);
    this.scratch = this.binding.batch_init();
  }

  /**
   * Opens (creating if missing, with parent directories) the database in `dir`.
   * Throws StoreLockedError when another process (or another open handle in this process) holds the directory,
   * StoreCorruptedError when its files cannot be read, StateStoreError for anything else; all name the directory.
   */
  static async open(dir: string, options: RocksDatabaseOptions = {}): Promise<RocksDatabase> {
    const name = options.name ?? basename(dir);
    const createIfMissing = options.createIfMissing ?? true;
    if (createIfMissing) await mkdir(dir, { recursive: true });
    const openOptions = {
      keyEncoding: 'buffer',
      valueEncoding: 'buffer',
      createIfMissing,
      cacheSize: options.cacheSize ?? 8 << 20,
      compression: options.compression ?? false,
      compaction: 'universal',
      memtableMemoryBudget: 64 << 20,
      walCompression: false,
      ...(options.optimize === 'point-lookup' ? { optimize: 'point-lookup' } : {}),
      ...options.native,
    };
    const db = new (load().RocksLevel)(dir, openOptions);
    try {
      await db.open();
    } catch (e) {
      throw translateOpenError(name, dir, e);
    }
    return new RocksDatabase(dir, name, db, options.sync ?? false);
  }

  /** True while the database is open and synchronous calls are safe. False as soon as close() is called. */
  isOpen(): boolean {
    return this.closing === null && this.db.status === 'open';
  }

  private check(): void {
    if (this.closing !== null || this.db.status !== 'open') throw new StoreClosedError(this.name);
  }

  /** The value of `key`, or undefined. */
  get(key: Bytes): Bytes | undefined {
    this.check();
    const v = this.binding.db_get_many_sync(this.ctx, [key], NO_OPTIONS)[0];
    return v == null ? undefined : plain(v);
  }

  /** The values of `keys`, in order (undefined where absent): one native MultiGet. */
  getMany(keys: readonly Bytes[]): (Bytes | undefined)[] {
    this.check();
    if (keys.length === 0) return [];
    const rows = this.binding.db_get_many_sync(this.ctx, keys, NO_OPTIONS) as (Bytes | undefined | null)[];
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i];
      rows[i] = v == null ? undefined : plain(v);
    }
    return rows as (Bytes | undefined)[];
  }

  /**
   * Writes the operations atomically (one WriteBatch), in order: a later write of the same key wins.
   * `sync` fsyncs the WAL before returning (default: the database's `sync` option).
   */
  write(ops: readonly RocksWrite[], options?: { readonly sync?: boolean }): void {
    this.check();
    if (ops.length === 0) {
      if (options?.sync === true) this.syncWal();
      return;
    }
    const binding = this.binding;
    const b = this.scratch;
    try {
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i]!;
        if (op.value === null) binding.batch_del(b, op.key, NO_OPTIONS);
        else binding.batch_put(b, op.key, op.value, NO_OPTIONS);
      }
      binding.batch_write(this.ctx, b, options?.sync === undefined ? this.writeOptions : options.sync ? SYNC : NO_OPTIONS);
    } finally {
      binding.batch_clear(b);
    }
  }

  /**
   * Makes every write so far durable: fsyncs the WAL (by writing an empty batch with sync, which RocksDB
   * turns into an fdatasync of the WAL). Call before writing a checkpoint that vouches for the data.
   */
  syncWal(): void {
    this.check();
    this.binding.batch_clear(this.scratch);
    this.binding.batch_write(this.ctx, this.scratch, SYNC);
  }

  /** A reusable write batch over this database (for stores that build writes incrementally). */
  batch(): RocksBatch {
    this.check();
    return new RocksBatch(this, this.binding, this.ctx, this.writeOptions);
  }

  /**
   * Iterates the range lazily: the native iterator is created on the first next() (it sees the database as of
   * then: an implicit snapshot), pages of `pageSize` entries are fetched synchronously, and the iterator is
   * closed when iteration ends, breaks or throws (an iteration started and then dropped without return() is
   * closed when the database closes). Closing the database during iteration makes the next page throw
   * StoreClosedError.
   */
  iterate(range: RocksRange = {}, pageSize = DEFAULT_PAGE_SIZE): Iterable<KeyValue<Bytes, Bytes>> {
    this.check();
    return this.scan(range, pageSize);
  }

  /** As iterate(), keys only (values are not read). */
  iterateKeys(range: RocksRange = {}, pageSize = DEFAULT_PAGE_SIZE): Iterable<Bytes> {
    this.check();
    return this.scanKeys(range, pageSize);
  }

  /** Deletes every key in [gte, lt) (absent = unbounded) with one RocksDB DeleteRange, synchronously. */
  deleteRange(gte: Bytes | undefined, lt: Bytes | undefined): void {
    this.check();
    const options: { gte?: Bytes; lt?: Bytes } = {};
    if (gte !== undefined) options.gte = gte;
    if (lt !== undefined) options.lt = lt;
    this.binding.db_clear(this.ctx, options); // RocksDB DeleteRange(begin, end), synchronously
  }

  /** RocksDB's estimate of the number of keys (rocksdb.estimate-num-keys): exact only without overwrites/deletes. */
  approximateCount(): number {
    return Number(this.property('rocksdb.estimate-num-keys')) || 0;
  }

  /** A RocksDB property (e.g. 'rocksdb.estimate-num-keys', 'rocksdb.stats'); '' when unknown. */
  property(name: string): string {
    this.check();
    return this.binding.db_get_property(this.ctx, name);
  }

  /**
   * Closes the database (idempotent; every call returns the same promise). isOpen() is false from the call on;
   * the directory's RocksDB lock is released when the promise resolves — await it before reopening the directory.
   */
  close(): Promise<void> {
    if (this.closing === null) {
      this.binding.batch_clear(this.scratch);
      // Close scans left open (started, then abandoned without return()) here, on this thread: the native close
      // would close them on a worker thread, racing their finalizers.
      for (const it of this.iterators) this.binding.iterator_close(it);
      this.iterators.clear();
      this.closing = this.db.status === 'open' || this.db.status === 'opening' ? this.db.close() : Promise.resolve();
    }
    return this.closing;
  }

  /** The promise of a close() in progress or done, else null. */
  get closed(): Promise<void> | null {
    return this.closing;
  }

  private *scan(range: RocksRange, pageSize: number): Generator<KeyValue<Bytes, Bytes>> {
    this.check();
    const binding = this.binding;
    const it = binding.iterator_init(this.ctx, iteratorOptions(range, true));
    this.iterators.add(it);
    try {
      for (let page = Math.min(pageSize, FIRST_PAGE); ; page = pageSize) {
        this.check(); // reading an iterator of a closed database would crash
        const { rows, finished } = binding.iterator_nextv_sync(it, page);
        for (let i = 0; i < rows.length; i += 2) yield { key: plain(rows[i]!), value: plain(rows[i + 1]!) };
        if (finished) return;
      }
    } finally {
      if (this.iterators.delete(it)) binding.iterator_close(it); // else close() closed it already
    }
  }

  private *scanKeys(range: RocksRange, pageSize: number): Generator<Bytes> {
    this.check();
    const binding = this.binding;
    const it = binding.iterator_init(this.ctx, iteratorOptions(range, false));
    this.iterators.add(it);
    try {
      for (let page = Math.min(pageSize, FIRST_PAGE); ; page = pageSize) {
        this.check();
        const { rows, finished } = binding.iterator_nextv_sync(it, page);
        for (let i = 0; i < rows.length; i += 2) yield plain(rows[i]!);
        if (finished) return;
      }
    } finally {
      if (this.iterators.delete(it)) binding.iterator_close(it);
    }
  }
}

/**
 * A reusable native WriteBatch: put/delete accumulate (in native memory, independent of the database), write()
 * applies them atomically and empties the batch (it throws StoreClosedError once the database is closing).
 * Writes are applied in the order given (a later write of the same key wins).
 */
export class RocksBatch {
  private count = 0;
  private readonly native: External;

  constructor(
    private readonly owner: RocksDatabase,
    private readonly binding: Binding,
    private readonly ctx: External,
    private readonly writeOptions: object | undefined,
  ) {
    this.native = binding.batch_init();
  }

  /** Number of operations waiting. */
  get length(): number {
    return this.count;
  }

  put(key: Bytes, value: Bytes): this {
    this.binding.batch_put(this.native, key, value, NO_OPTIONS);
    this.count++;
    return this;
  }

  delete(key: Bytes): this {
    this.binding.batch_del(this.native, key, NO_OPTIONS);
    this.count++;
    return this;
  }

  /** Writes the waiting operations (atomically) and empties the batch. `sync`: fsync the WAL (default: the database's). */
  write(options?: { readonly sync?: boolean }): void {
    this.ensureOpen();
    if (this.count === 0) {
      if (options?.sync === true) this.owner.syncWal();
      return;
    }
    try {
      this.binding.batch_write(this.ctx, this.native, options?.sync === undefined ? this.writeOptions : options.sync ? SYNC : NO_OPTIONS);
    } finally {
      this.binding.batch_clear(this.native);
      this.count = 0;
    }
  }

  /** Drops the waiting operations. */
  clear(): void {
    this.binding.batch_clear(this.native);
    this.count = 0;
  }

  private ensureOpen(): void {
    if (!this.owner.isOpen()) throw new StoreClosedError(this.owner.name);
  }
}

/** A plain Uint8Array view of a Buffer's bytes (no copy). */
function plain(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function iteratorOptions(range: RocksRange, values: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = { keyEncoding: 'buffer', valueEncoding: 'buffer' };
  if (range.gte !== undefined) o.gte = range.gte;
  else if (range.gt !== undefined) o.gt = range.gt;
  if (range.lte !== undefined) o.lte = range.lte;
  else if (range.lt !== undefined) o.lt = range.lt;
  if (range.reverse === true) o.reverse = true;
  if (range.limit !== undefined && range.limit >= 0) o.limit = range.limit;
  if (!values) o.values = false;
  return o;
}

/** Turns a RocksLevel open failure into an error naming the store and the directory. */
function translateOpenError(name: string, dir: string, e: unknown): Error {
  const err = e as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const cause = err?.cause ?? err;
  const detail = cause?.message ?? String(e);
  const code = cause?.code ?? err?.code;
  if (code === 'LEVEL_LOCKED' || /While lock file|lock hold by current process/.test(detail)) {
    const inProcess = /lock hold by current process/.test(detail);
    return new StoreLockedError(
      dir,
      inProcess
        ? `Cannot open state store ${name}: its RocksDB directory ${dir} is already open in this process (close it, and await the close, before reopening) (${detail})`
        : `Cannot open state store ${name}: its RocksDB directory ${dir} is locked by another process (another instance using the same state directory?). Stop that process or give this instance another state directory (${detail})`,
      { cause: e, store: name },
    );
  }
  if (isCorruption(code, detail)) {
    return new StoreCorruptedError(dir, `Cannot open state store ${name}: its RocksDB files in ${dir} are corrupted or incomplete (${detail})`, { cause: e, store: name });
  }
  return new StateStoreError(`Cannot open state store ${name} in ${dir}: ${detail}`, { cause: e });
}

/**
 * Corruption: RocksDB says so (LEVEL_CORRUPTION), or a file the database's metadata points at is missing or
 * malformed (a CURRENT naming a MANIFEST that is not there, a bad OPTIONS file).
 */
function isCorruption(code: string | undefined, detail: string): boolean {
  if (code === 'LEVEL_CORRUPTION' || /^Corruption:/.test(detail)) return true;
  if (/MANIFEST|CURRENT|OPTIONS-|\.sst|\.log/.test(detail) && /No such file|not found|does not exist|Invalid argument|malformed|truncated/i.test(detail)) return true;
  return false;
}

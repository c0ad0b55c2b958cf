import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { BytesWrite, KeyValueBytesStore } from '../api/key-value-store.ts';
import type { ChangelogRecord, RestorableStore } from '../api/state-store.ts';
import { keyBytes, keyString, prefixUpperExclusive, KeyStringMemo } from '../util/key-string.ts';
import { KeyFilter } from './key-filter.ts';
import { RocksDatabase, type RocksBatch, type RocksDatabaseOptions } from './rocks-database.ts';
import { StoreClosedError } from '../errors/store-closed-error.ts';

export interface RocksDbKeyValueStoreOptions extends RocksDatabaseOptions {
  /** The store name. */
  readonly name: string;
  /** The store's RocksDB directory (created if missing). */
  readonly dir: string;
  /**
   * The write buffer is written to RocksDB (one batch) when it holds this many bytes of keys and values
   * (besides on flush and before scans). Default 4 MiB.
   */
  readonly maxBufferBytes?: number;
  /** Below this many keys (estimated) approximateNumEntries() counts exactly. Default 10,000. */
  readonly exactCountBelow?: number;
  /** Keep a JS Bloom filter of the keys (key-filter.ts) so gets of absent keys skip RocksDB. Default true. */
  readonly keyFilter?: boolean;
  /** No key filter for a store holding more keys than this at open (its keys are scanned to build it). Default 20M. */
  readonly keyFilterMaxKeys?: number;
}

interface Pending {
  readonly key: Bytes;
  readonly value: Bytes | null;
}

/** Per-entry overhead counted against maxBufferBytes (Map entry + record). */
const PENDING_OVERHEAD = 64;

/**
 * A scan merges up to this many buffered writes into RocksDB's rows; a bigger buffer is written down first.
 * Measured (put then a 1-key prefix scan, per record): writing a 1-write batch before each scan costs ~15-20 µs
 * (WAL write + memtable insert), about 40% of the pair; filtering and sorting a few dozen buffered keys costs ~1 µs.
 */
const MERGE_LIMIT = 64;

const NO_WRITES: readonly BytesWrite[] = [];

/** putAll of at least this many entries writes them to RocksDB at once (one batch) instead of buffering them. */
const BULK_MIN = 16;

/**
 * RocksDB key-value bytes store (Kafka Streams' RocksDBStore), with the semantics of InMemoryKeyValueStore.
 *
 * Reads are synchronous native calls; nothing on the hot path is awaited. Writes go to a JS write buffer (a Map
 * keyed by the key's binary string, latest write per key) that is written to RocksDB as one WriteBatch on
 * flush() and when it passes `maxBufferBytes`; get() reads the buffer first. flush() does not fsync;
 * makeDurable() fsyncs the WAL, so a checkpoint written after it is backed by durable data. restoreBatch()
 * writes its records as one batch.
 *
 * Scans read RocksDB lazily by pages and merge the buffered writes in their range (a buffer of more than
 * MERGE_LIMIT writes is written down first instead). As in the in-memory store, a key deleted during iteration
 * is skipped and an entry overwritten during iteration is returned with its new value (both checked against the
 * write buffer, and re-read from RocksDB once the buffer was written down under the scan); keys added or
 * re-added during iteration are not seen.
 *
 * close() writes the buffer down and starts closing the database; the directory's RocksDB lock is released
 * when `closed` resolves.
 */
export class RocksDbKeyValueStore implements KeyValueBytesStore, RestorableStore {
  readonly persistent = true;
  private buffer = new Map<string, Pending>();
  private bufferBytes = 0;
  /** Incremented each time the buffer is written down: a scan started before must re-read what it yields. */
  private epoch = 0;
  /** Unsynced writes went to RocksDB since the last fsync of the WAL. */
  private unsynced = false;
  private open = true;
  private readonly maxBufferBytes: number;
  private readonly exactCountBelow: number;
  private readonly batch: RocksBatch;
  private readonly keyMemo = new KeyStringMemo();
  /** Keys the store may hold (key-filter.ts): a get of any other key answers undefined without a native call. */
  private filter: KeyFilter | undefined;

  private constructor(
    readonly name: string,
    /** The database (for the runtime's directory management and for tests). */
    readonly db: RocksDatabase,
    options: RocksDbKeyValueStoreOptions,
  ) {
    this.maxBufferBytes = options.maxBufferBytes ?? 4 << 20;
    this.exactCountBelow = options.exactCountBelow ?? 10_000;
    this.batch = db.batch();
  }

  /** Opens (or creates) the store in `options.dir`. Errors as RocksDatabase.open (locked, corrupted...). */
  static async open(options: RocksDbKeyValueStoreOptions): Promise<RocksDbKeyValueStore> {
    const db = await RocksDatabase.open(options.dir, { ...options, name: options.name });
    const store = new RocksDbKeyValueStore(options.name, db, options);
    // The key filter starts from the keys on disk (one keys-only scan at open); a store too large for that
    // (more than keyFilterMaxKeys by RocksDB's estimate) does without it.
    const estimate = db.approximateCount();
    if (options.keyFilter !== false && estimate <= (options.keyFilterMaxKeys ?? 20_000_000)) {
      store.filter = KeyFilter.rebuildFrom(db.iterateKeys({}, 4096), estimate);
    }
    return store;
  }

  private addKey(key: Bytes): void {
    const f = this.filter;
    if (f === undefined) return;
    f.add(key);
    if (f.full) {
      this.writeBuffer(false);
      this.filter = KeyFilter.rebuildFrom(this.db.iterateKeys({}, 4096), f.capacity);
    }
  }

  /** Adds the keys of the writes that are not deletes (written in bulk: see putAll, restoreBatch). */
  private addKeys(writes: readonly BytesWrite[]): void {
    for (let i = 0; i < writes.length; i++) if (writes[i]!.value !== null) this.addKey(writes[i]!.key);
  }

  /** The directory of the store's RocksDB files. */
  get dir(): string {
    return this.db.dir;
  }

  /** Resolves when a close() has released the database (null before close()). */
  get closed(): Promise<void> | null {
    return this.db.closed;
  }

  private ks(key: Bytes): string {
    return this.keyMemo.of(key);
  }

  get(key: Bytes): Bytes | undefined {
    if (!this.open) throw new StoreClosedError(this.name);
    if (this.buffer.size > 0) {
      const p = this.buffer.get(this.ks(key));
      if (p !== undefined) return p.value ?? undefined;
    }
    if (this.filter !== undefined && !this.filter.mightContain(key)) return undefined;
    return this.db.get(key);
  }

  /** The values of `keys` (buffer first, the rest with one RocksDB MultiGet). */
  getMany(keys: readonly Bytes[]): (Bytes | undefined)[] {
    if (!this.open) throw new StoreClosedError(this.name);
    const buffer = this.buffer;
    const filter = this.filter;
    if (buffer.size === 0 && filter === undefined) return this.db.getMany(keys);
    const out = new Array<Bytes | undefined>(keys.length);
    const missIdx: number[] = [];
    const missKeys: Bytes[] = [];
    for (let i = 0; i < keys.length; i++) {
      const p = buffer.size === 0 ? undefined : buffer.get(keyString(keys[i]!));
      if (p !== undefined) out[i] = p.value ?? undefined;
      else if (filter !== undefined && !filter.mightContain(keys[i]!)) out[i] = undefined;
      else {
        missIdx.push(i);
        missKeys.push(keys[i]!);
      }
    }
    if (missKeys.length > 0) {
      const found = this.db.getMany(missKeys);
      for (let j = 0; j < missIdx.length; j++) out[missIdx[j]!] = found[j];
    }
    return out;
  }

  put(key: Bytes, value: Bytes | null): void {
    if (!this.open) throw new StoreClosedError(this.name);
    this.buffer.set(this.ks(key), { key, value });
    this.bufferBytes += key.length + (value === null ? 0 : value.length) + PENDING_OVERHEAD;
    if (value !== null) this.addKey(key);
    if (this.bufferBytes >= this.maxBufferBytes) this.writeBuffer(false);
  }

  putIfAbsent(key: Bytes, value: Bytes): Bytes | undefined {
    const old = this.get(key);
    if (old === undefined) this.put(key, value);
    return old;
  }

  /**
   * A few entries (below BULK_MIN) are buffered as puts are. More (a caching layer writing down its dirty
   * entries) go straight to RocksDB: the write buffer, then the entries, as one batch written before this returns
   * — no buffer entry, key string or Map insert per entry, and reads see them at once.
   */
  putAll(entries: readonly BytesWrite[]): void {
    if (!this.open) throw new StoreClosedError(this.name);
    if (entries.length < BULK_MIN) {
      for (let i = 0; i < entries.length; i++) this.put(entries[i]!.key, entries[i]!.value);
      return;
    }
    this.writeBuffer(false, entries);
    this.addKeys(entries);
  }

  delete(key: Bytes): Bytes | undefined {
    const old = this.get(key);
    this.put(key, null);
    return old;
  }

  range(from: Bytes | undefined, to: Bytes | undefined, reverse = false): Iterable<KeyValue<Bytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const fs = from === undefined ? undefined : keyString(from);
    const ts = to === undefined ? undefined : keyString(to);
    if (fs !== undefined && ts !== undefined && fs > ts) return [];
    const pending = this.pendingIn(fs, ts, false, reverse);
    return this.scan(this.db.iterate({ gte: from, lte: to, reverse }), pending, reverse);
  }

  prefixScan(prefix: Bytes): Iterable<KeyValue<Bytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const ps = keyString(prefix);
    const upper = prefixUpperExclusive(ps);
    const pending = this.pendingIn(ps, upper, true, false);
    return this.scan(this.db.iterate({ gte: prefix, lt: upper === undefined ? undefined : keyBytes(upper) }), pending, false);
  }

  all(reverse = false): Iterable<KeyValue<Bytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    const pending = this.pendingIn(undefined, undefined, false, reverse);
    return this.scan(this.db.iterate({ reverse }), pending, reverse);
  }

  /**
   * RocksDB's estimate (rocksdb.estimate-num-keys: overwrites and deletes make it drift), except for small
   * stores (estimate below `exactCountBelow`), which are counted exactly with a keys-only scan.
   */
  approximateNumEntries(): number {
    if (!this.open) throw new StoreClosedError(this.name);
    this.writeBuffer(false);
    const estimate = this.db.approximateCount();
    if (estimate >= this.exactCountBelow) return estimate;
    let n = 0;
    for (const _ of this.db.iterateKeys({}, 1024)) n++;
    return n;
  }

  /**
   * Writes the buffer down as one batch (the task calls it on every commit). Not fsynced: a crash may lose it, and
   * then the store has no checkpoint and is rebuilt from its changelog. Before writing a checkpoint that vouches
   * for the data, call makeDurable().
   */
  flush(): void {
    if (!this.open) throw new StoreClosedError(this.name);
    this.writeBuffer(false);
  }

  /** Writes the buffer down and fsyncs the WAL: what the store holds now survives a crash (a checkpoint may follow). */
  makeDurable(): void {
    if (!this.open) throw new StoreClosedError(this.name);
    this.writeBuffer(true);
  }

  /** Applies changelog records in order (null = delete) as one RocksDB batch, after the buffered writes. */
  restoreBatch(records: readonly ChangelogRecord[]): void {
    if (!this.open) throw new StoreClosedError(this.name);
    this.writeBuffer(false, records);
    this.addKeys(records);
  }

  /**
   * Writes the buffer down (durably) and closes the database. isOpen() is false at once; the RocksDB lock is
   * released when `closed` resolves (await it before opening the directory again).
   */
  close(): void {
    if (!this.open) return;
    try {
      if (this.db.isOpen()) this.writeBuffer(true);
    } finally {
      this.open = false;
      this.buffer = new Map();
      this.bufferBytes = 0;
      this.keyMemo.clear();
      void this.db.close();
    }
  }

  isOpen(): boolean {
    return this.open && this.db.isOpen();
  }

  /** Writes the buffer, then `extra` (putAll's bulk entries), as one batch; fsyncs the WAL if `sync`. */
  private writeBuffer(sync: boolean, extra: readonly BytesWrite[] = NO_WRITES): void {
    const buffer = this.buffer;
    if (buffer.size === 0 && extra.length === 0) {
      if (sync && this.unsynced) {
        this.db.syncWal();
        this.unsynced = false;
      }
      return;
    }
    const batch = this.batch;
    try {
      for (const p of buffer.values()) stage(batch, p);
      for (let i = 0; i < extra.length; i++) stage(batch, extra[i]!);
      batch.write({ sync });
    } finally {
      batch.clear();
    }
    this.unsynced = !sync;
    this.buffer = new Map();
    this.bufferBytes = 0;
    this.epoch++;
  }


  /**
   * The buffered writes a scan of [lo, hi] (hi exclusive if `hiExclusive`; undefined = unbounded) must merge,
   * sorted in scan order: when the buffer holds at most MERGE_LIMIT writes. A bigger buffer is written down
   * instead (one batch; the scan then reads everything from RocksDB) and [] returned.
   */
  private pendingIn(lo: string | undefined, hi: string | undefined, hiExclusive: boolean, reverse: boolean): ScanPending[] {
    const buffer = this.buffer;
    if (buffer.size === 0) return [];
    if (buffer.size > MERGE_LIMIT) {
      this.writeBuffer(false);
      return [];
    }
    const out: ScanPending[] = [];
    for (const [ks, p] of buffer) {
      if (lo !== undefined && ks < lo) continue;
      if (hi !== undefined && (hiExclusive ? ks >= hi : ks > hi)) continue;
      out.push({ ks, key: p.key, value: p.value });
    }
    if (out.length > 1) out.sort(reverse ? (a, b) => (a.ks < b.ks ? 1 : -1) : (a, b) => (a.ks < b.ks ? -1 : 1));
    return out;
  }

  /**
   * Merges RocksDB's rows with the buffered writes the scan started with (`pending`, in scan order: a pending
   * delete removes its key from the scan), yielding each key's current value: the write buffer's if it has the
   * key (a delete skips it), else — once the buffer was written down under the scan (RocksDB's iterator may show
   * an older state) — RocksDB's, read again, else the row's (or the pending write's) own.
   */
  private *scan(rows: Iterable<KeyValue<Bytes, Bytes>>, pending: readonly ScanPending[], reverse: boolean): Generator<KeyValue<Bytes, Bytes>> {
    const epoch = this.epoch;
    let c = 0;
    for (const kv of rows) {
      if (!this.open) throw new StoreClosedError(this.name);
      let ks: string | undefined;
      if (c < pending.length) {
        ks = keyString(kv.key);
        while (c < pending.length && (reverse ? pending[c]!.ks > ks : pending[c]!.ks < ks)) {
          const p = pending[c++]!;
          if (p.value === null) continue; // deleted when the scan started: not part of it
          const v = this.current(p.ks, p.key, p.value, epoch);
          if (v !== undefined) yield { key: p.key, value: v };
        }
        if (c < pending.length && pending[c]!.ks === ks) {
          const p = pending[c++]!;
          if (p.value === null) continue; // the row was deleted when the scan started
          const v = this.current(p.ks, p.key, p.value, epoch);
          if (v !== undefined) yield { key: p.key, value: v };
          continue;
        }
      }
      if (this.buffer.size === 0 && this.epoch === epoch) {
        yield kv;
        continue;
      }
      const v = this.current(ks ?? keyString(kv.key), kv.key, kv.value, epoch);
      if (v !== undefined) yield { key: kv.key, value: v };
    }
    while (c < pending.length) {
      if (!this.open) throw new StoreClosedError(this.name);
      const p = pending[c++]!;
      if (p.value === null) continue;
      const v = this.current(p.ks, p.key, p.value, epoch);
      if (v !== undefined) yield { key: p.key, value: v };
    }
  }

  /** The value of a scanned key now (undefined: deleted). `seen` is what the scan saw for it. */
  private current(ks: string, key: Bytes, seen: Bytes | null, epoch: number): Bytes | undefined {
    if (this.buffer.size > 0) {
      const p = this.buffer.get(ks);
      if (p !== undefined) return p.value ?? undefined;
    }
    if (this.epoch !== epoch) return this.db.get(key);
    return seen ?? undefined;
  }
}

/** Adds one write to the batch (null value: a delete). */
function stage(batch: RocksBatch, w: BytesWrite): void {
  if (w.value === null) batch.delete(w.key);
  else batch.put(w.key, w.value);
}

interface ScanPending {
  readonly ks: string;
  readonly key: Bytes;
  readonly value: Bytes | null;
}

import type { Bytes, KeyValue } from '../api/bytes.ts';
import { checkSegmentInterval, SegmentedStore } from '../segmented-store.ts';
import { RocksDatabase, type RocksDatabaseOptions, type RocksWrite } from './rocks-database.ts';
import { META_KEY, prefixEnd, segmentIdOf, segmentPrefix } from './segmented-keys.ts';
import { StoreCorruptedError } from '../errors/store-corrupted-error.ts';
import { StoreLayoutChangedError } from '../errors/store-layout-changed-error.ts';

/** Options shared by the segmented RocksDB stores (window, session). */
export interface SegmentedRocksDbStoreOptions extends RocksDatabaseOptions {
  /** The store name. */
  readonly name: string;
  /** The store's RocksDB directory (created if missing). */
  readonly dir: string;
  /** Data older than observedStreamTime - retentionPeriod is expired (see each store). */
  readonly retentionPeriod: number;
  /**
   * Time span of one segment, the unit in which expired data is dropped (one RocksDB DeleteRange).
   * Default defaultSegmentInterval(retentionPeriod) = max(retention / 2, 60 s), as Kafka Streams. Persisted:
   * reopening a store with another interval throws.
   */
  readonly segmentInterval?: number;
  /**
   * The write buffer is written to RocksDB (one batch) when it holds this many bytes of keys and values
   * (besides on flush, before range reads and on close). Default 4 MiB.
   */
  readonly maxBufferBytes?: number;
}

interface Pending {
  /** The stored key. */
  readonly key: Buffer;
  /** null deletes. */
  readonly value: Bytes | null;
}

/** Per-entry overhead counted against maxBufferBytes (Map entry + record + key string). */
const PENDING_OVERHEAD = 96;

/** Version of the metadata record (META_KEY). */
const META_FORMAT = 1;

interface Meta {
  readonly format: number;
  readonly kind: string;
  readonly segmentInterval: number;
  readonly streamTime: number;
  readonly seqnum: number;
}

/** What open() found on disk. */
export interface SegmentedState {
  readonly db: RocksDatabase;
  readonly streamTime: number;
  readonly seqnum: number;
  /** Ids of the segments holding keys, ascending. */
  readonly segmentIds: number[];
}

const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, s: number, e: number): string }).latin1Slice;

/** The Map key of a stored key in the write buffer (one char per byte). */
export function bufferKey(storeKey: Uint8Array): string {
  return latin1Slice.call(storeKey, 0, storeKey.length);
}

/**
 * Opens the database of a segmented store: reads its metadata (stream time, seqnum; checks the kind and the
 * segment interval) and lists its segments (one keys-only seek per segment). Unreadable metadata throws
 * StoreCorruptedError, another kind or interval StoreLayoutChangedError (openPersistentStore then wipes and restores).
 */
export async function openSegmented(options: SegmentedRocksDbStoreOptions, kind: string, segmentInterval: number): Promise<SegmentedState> {
  checkSegmentInterval(options.name, segmentInterval);
  const db = await RocksDatabase.open(options.dir, { ...options, name: options.name });
  try {
    let streamTime = -1;
    let seqnum = 0;
    const raw = db.get(META_KEY);
    if (raw !== undefined) {
      let meta: Meta;
      try {
        meta = JSON.parse(Buffer.from(raw).toString('utf8')) as Meta;
      } catch (e) {
        throw new StoreCorruptedError(options.dir, `State store ${options.name} in ${options.dir}: unreadable metadata record`, { cause: e, store: options.name });
      }
      if (meta.format !== META_FORMAT || meta.kind !== kind) {
        throw new StoreLayoutChangedError(options.dir, `State store ${options.name} in ${options.dir} holds a ${meta.kind} store (format ${meta.format}), not a ${kind} store (format ${META_FORMAT})`, { store: options.name });
      }
      if (meta.segmentInterval !== segmentInterval) {
        throw new StoreLayoutChangedError(
          options.dir,
          `State store ${options.name} in ${options.dir} was written with segmentInterval ${meta.segmentInterval}, cannot open it with ${segmentInterval} (its retention changed)`,
          { store: options.name },
        );
      }
      streamTime = meta.streamTime;
      seqnum = meta.seqnum;
    }
    const segmentIds: number[] = [];
    let from: Buffer | undefined = prefixEnd(META_KEY);
    while (from !== undefined) {
      let first: Bytes | undefined;
      for (const k of db.iterateKeys({ gte: from, limit: 1 }, 1)) first = k;
      if (first === undefined) break;
      const id = segmentIdOf(first);
      segmentIds.push(id);
      from = prefixEnd(segmentPrefix(id));
    }
    return { db, streamTime, seqnum, segmentIds };
  } catch (e) {
    await db.close();
    throw e;
  }
}

/**
 * What the RocksDB window and session stores share: the retention clock and time segments of every segmented
 * store (SegmentedStore), one database, keys prefixed by segment id (segmented-keys.ts), and a write buffer.
 *
 * Writes go to a JS write buffer (a Map keyed by the stored key's binary string, last write per key) that is
 * written to RocksDB as one WriteBatch on flush(), when it passes `maxBufferBytes`, before every range read
 * (so the RocksDB iterator sees it) and on close. Point reads look in the buffer first. The metadata record
 * (stream time, seqnum, segment interval) is written in the same batch as the data.
 *
 * Expiry: when stream time advances so that whole segments only hold expired times, they are dropped with one
 * synchronous RocksDB DeleteRange over their key range (and their buffered writes discarded); nothing is ever
 * expired record by record. Reads filter out expired records of the oldest live segment.
 */
export abstract class SegmentedRocksDbStore extends SegmentedStore {
  readonly persistent = true;
  /** The database (for the runtime's directory management and for tests). */
  readonly db: RocksDatabase;
  /** Last sequence number given (window stores with retainDuplicates). */
  protected seqnum: number;
  protected buffer = new Map<string, Pending>();
  private bufferBytes = 0;
  /** The seqnum changed since the metadata record was last written. */
  private metaDirty = false;
  /** The stream time the metadata record last written holds: the record is written again once stream time has moved. */
  private metaStreamTime: number;
  /** Unsynced writes went to RocksDB since the last fsync of the WAL. */
  private unsynced = false;
  private readonly maxBufferBytes: number;

  protected constructor(
    options: SegmentedRocksDbStoreOptions,
    segmentInterval: number,
    state: SegmentedState,
    private readonly kind: string,
  ) {
    super(options.name, options.retentionPeriod, segmentInterval, state.streamTime, state.segmentIds);
    this.maxBufferBytes = options.maxBufferBytes ?? 4 << 20;
    this.db = state.db;
    this.seqnum = state.seqnum;
    this.metaStreamTime = state.streamTime;
    this.dropExpiredSegments();
  }

  /** The directory of the store's RocksDB files. */
  get dir(): string {
    return this.db.dir;
  }

  /** Resolves when a close() has released the database (null before close()). */
  get closed(): Promise<void> | null {
    return this.db.closed;
  }

  isOpen(): boolean {
    return this.open && this.db.isOpen();
  }

  /**
   * Writes the buffer down as one batch (the task calls it on every commit). Not fsynced: a crash may lose it, and
   * then the store has no checkpoint and is rebuilt from its changelog. Before writing a checkpoint that vouches
   * for the data, call makeDurable().
   */
  flush(): void {
    this.checkOpen();
    this.writeBuffer(false);
  }

  /** Writes the buffer down and fsyncs the WAL: what the store holds now survives a crash (a checkpoint may follow). */
  makeDurable(): void {
    this.checkOpen();
    this.writeBuffer(true);
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
      void this.db.close();
    }
  }

  protected nextSeqnum(): number {
    this.seqnum = (this.seqnum + 1) >>> 0;
    this.metaDirty = true;
    return this.seqnum;
  }

  /** Buffers a write of a stored key (value null deletes it). */
  protected bufferWrite(storeKey: Buffer, ks: string, value: Bytes | null): void {
    this.buffer.set(ks, { key: storeKey, value });
    this.bufferBytes += storeKey.length + (value === null ? 0 : value.length) + PENDING_OVERHEAD;
    if (this.bufferBytes >= this.maxBufferBytes) this.writeBuffer(false);
  }

  /** The value of a stored key: the buffer's, else RocksDB's. */
  protected readPoint(storeKey: Buffer, ks: string): Bytes | undefined {
    if (this.buffer.size > 0) {
      const p = this.buffer.get(ks);
      if (p !== undefined) return p.value ?? undefined;
    }
    return this.db.get(storeKey);
  }

  /** The buffered value of a stored key: undefined when not buffered or buffered as a delete. */
  protected readBuffered(ks: string): Bytes | undefined {
    return this.buffer.get(ks)?.value ?? undefined;
  }

  /** Called once the buffer's writes went to RocksDB (the buffer is then emptied). */
  protected wroteDown(): void {}

  /** Rows of the stored key range [gte, lt), with the buffer written down first. */
  protected scan(gte: Buffer, lt: Buffer | undefined, pageSize = 256): Iterable<KeyValue<Bytes, Bytes>> {
    return this.db.iterate({ gte, lt }, pageSize);
  }

  /** Call before range reads: writes the buffer down so that RocksDB iterators see it. */
  protected prepareScan(): void {
    this.checkOpen();
    this.writeBuffer(false);
  }

  /** Drops expired segments: one DeleteRange from the oldest held segment to the first live one, and their buffered writes. */
  protected dropSegments(_count: number, firstLive: number): void {
    if (this.buffer.size > 0) {
      for (const [ks, p] of this.buffer) {
        if (segmentIdOf(p.key) < firstLive) {
          this.buffer.delete(ks);
          this.bufferBytes -= p.key.length + (p.value === null ? 0 : p.value.length) + PENDING_OVERHEAD;
        }
      }
    }
    this.db.deleteRange(segmentPrefix(this.segmentIds[0]!), segmentPrefix(firstLive));
  }

  private writeBuffer(sync: boolean): void {
    const buffer = this.buffer;
    const metaDirty = this.metaDirty || this.streamTime !== this.metaStreamTime;
    if (buffer.size === 0 && !metaDirty) {
      if (sync && this.unsynced) {
        this.db.syncWal();
        this.unsynced = false;
      }
      return;
    }
    const ops: RocksWrite[] = Array.from(buffer.values());
    if (metaDirty) ops.push({ key: META_KEY, value: this.metaValue() });
    this.db.write(ops, { sync });
    if (buffer.size > 0) this.wroteDown();
    this.unsynced = !sync;
    this.metaDirty = false;
    this.metaStreamTime = this.streamTime;
    this.buffer = new Map();
    this.bufferBytes = 0;
  }

  private metaValue(): Buffer {
    const meta: Meta = { format: META_FORMAT, kind: this.kind, segmentInterval: this.segmentInterval, streamTime: this.streamTime, seqnum: this.seqnum };
    return Buffer.from(JSON.stringify(meta), 'utf8');
  }
}

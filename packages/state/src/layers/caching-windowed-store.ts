import type { Bytes } from '../api/bytes.ts';
import type { ChangelogRecord, RestorableStore } from '../api/state-store.ts';
import type { WindowBytesStore, WindowedBytes } from '../api/window-store.ts';
import type { SessionBytesStore } from '../api/session-store.ts';
import type { DirtyEntry, NamedCache, RecordCache } from '../cache/record-cache.ts';
import { KeyStringMemo } from '../util/key-string.ts';
import { restoreDown } from './layer-support.ts';
import { CacheIndex, type WindowedBytesFlushListener, type WindowedFlushListenerHost } from './windowed-cache-support.ts';

export interface CachingWindowedStoreOptions {
  /** Name of this store's part of the shared cache; must be unique in the cache (e.g. `${taskId}-${store}`). Default: the store name. */
  readonly cacheName?: string;
  /** Timestamp of the current write (the runtime: the current record's); kept with each dirty entry. */
  readonly timestamp?: () => number;
  /** Context of the current write (the runtime: the current record's headers); kept with each dirty entry, handed to the listener. */
  readonly context?: () => unknown;
  readonly listener?: WindowedBytesFlushListener | null;
  /** Default true: the listener gets the value below as old value (else only a delete reads it, to skip no-op deletes). */
  readonly sendOldValues?: boolean;
}

/**
 * What the window and session caching layers share: their part of the shared RecordCache and its index, the
 * observed stream time (largest window start / session end put), the flush listener, the lifecycle, and the
 * write-through and write-down of entries — each kind says how an entry maps to a window and how to read and
 * write one below.
 */
export abstract class CachingWindowedStore<S extends WindowBytesStore | SessionBytesStore> implements RestorableStore, WindowedFlushListenerHost {
  readonly name: string;
  readonly cacheName: string;
  protected readonly named: NamedCache;
  protected readonly index: CacheIndex;
  protected readonly timestamp: () => number;
  protected readonly context: () => unknown;
  protected listener: WindowedBytesFlushListener | null;
  protected sendOldValues: boolean;
  /** Largest window start / session end put; -1 before any. */
  protected maxTime = -1;
  protected open = true;
  private writingDown = false;
  private writingTimestamp = -1;
  private readonly keyMemo = new KeyStringMemo();

  constructor(
    readonly inner: S,
    readonly cache: RecordCache,
    sessions: boolean,
    options: CachingWindowedStoreOptions,
  ) {
    this.name = inner.name;
    this.index = new CacheIndex(sessions);
    this.cacheName = options.cacheName ?? inner.name;
    this.timestamp = options.timestamp ?? (() => -1);
    this.context = options.context ?? (() => undefined);
    this.listener = options.listener ?? null;
    this.sendOldValues = options.sendOldValues ?? true;
    this.named = cache.namedCache(this.cacheName, (entries) => this.writeDown(entries));
  }

  /** The cache key of the window a changelog key names. */
  protected abstract cacheKeyOfChangelogKey(changelogKey: Bytes): string;
  /** The window of a dirty entry (decoded from its cache key). */
  protected abstract windowOf(e: DirtyEntry): WindowedBytes;
  /**
   * The value below (null if none), by the store's own stream time: entries are written down in write order, so
   * the store below goes through the states an uncached store would have had (it may lag behind this layer).
   */
  protected abstract fetchBelow(w: WindowedBytes): Bytes | null;
  protected abstract writeBelow(w: WindowedBytes, value: Bytes | null): void;

  protected ks(key: Bytes): string {
    return this.keyMemo.of(key);
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  get retentionPeriod(): number {
    return this.inner.retentionPeriod;
  }

  setFlushListener(listener: WindowedBytesFlushListener | null, sendOldValues = true): boolean {
    this.listener = listener;
    this.sendOldValues = sendOldValues;
    return true;
  }

  /** The timestamp a write happening now belongs to: the flushed entry's while writing down, else timestamp(). */
  currentTimestamp(): number {
    return this.writingDown ? this.writingTimestamp : this.timestamp();
  }

  /** Largest window start / session end put (cached or written down) or restored; -1 before any. */
  observedStreamTime(): number {
    const below = this.inner.observedStreamTime();
    return below > this.maxTime ? below : this.maxTime;
  }

  /** Windows starting (sessions ending) at or before this are expired. */
  protected expiredUpTo(): number {
    return this.observedStreamTime() - this.inner.retentionPeriod;
  }

  flush(): void {
    this.named.flush();
    this.inner.flush();
  }

  close(): void {
    if (!this.open) return;
    try {
      this.flush();
    } finally {
      this.cache.remove(this.cacheName);
      this.index.clear();
      this.open = false;
      this.inner.close();
    }
  }

  isOpen(): boolean {
    return this.open && this.inner.isOpen();
  }

  /** Restores below (through the change-logging layer) and drops any cached entries of the restored windows. */
  restoreBatch(records: readonly ChangelogRecord[]): void {
    restoreDown(this.name, this.inner, records);
    if (this.named.size === 0) return;
    for (let i = 0; i < records.length; i++) this.named.delete(this.cacheKeyOfChangelogKey(records[i]!.key));
  }

  /** With a cache of max bytes 0: writes below at once, the listener called as on a write-down. */
  protected writeThrough(w: WindowedBytes, value: Bytes | null): void {
    const listener = this.listener;
    if (listener === null) {
      this.writeBelow(w, value);
      return;
    }
    const old = value === null || this.sendOldValues ? this.fetchBelow(w) : null;
    this.writeBelow(w, value);
    if (value !== null || old !== null) listener(w, value, this.sendOldValues ? old : null, this.timestamp(), this.context());
  }

  private writeDown(entries: readonly DirtyEntry[]): void {
    const listener = this.listener;
    const sendOld = this.sendOldValues;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const w = this.windowOf(e);
      const old = listener !== null && (e.value === null || sendOld) ? this.fetchBelow(w) : null;
      this.writingDown = true;
      this.writingTimestamp = e.timestamp;
      try {
        this.writeBelow(w, e.value);
      } finally {
        this.writingDown = false;
      }
      if (listener !== null && (e.value !== null || old !== null)) listener(w, e.value, sendOld ? old : null, e.timestamp, e.context);
    }
  }
}

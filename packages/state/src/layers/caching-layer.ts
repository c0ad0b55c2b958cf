import type { Bytes } from '../api/bytes.ts';
import type { ChangelogRecord, RestorableStore, StateStore } from '../api/state-store.ts';
import type { DirtyEntry, NamedCache, RecordCache } from '../cache/record-cache.ts';
import { KeyStringMemo } from '../util/key-string.ts';
import { restoreDown } from './layer-support.ts';

/** What every caching layer is given besides the store below and the shared cache. */
export interface CachingLayerOptions<L> {
  /** Name of this store's part of the shared cache; must be unique in the cache (e.g. `${taskId}-${store}`). Default: the store name. */
  readonly cacheName?: string;
  /** Timestamp of the current write (the runtime: the current record's); kept with each dirty entry. */
  readonly timestamp?: () => number;
  /** Context of the current write (the runtime: the current record's headers); kept with each dirty entry, handed to the listener. */
  readonly context?: () => unknown;
  readonly listener?: L | null;
  /** Default true: the listener gets the value below as old value (else only a delete reads it, to skip no-op deletes). */
  readonly sendOldValues?: boolean;
}

/**
 * What the caching layers (key-value, window, session) share, as Kafka Streams' caching stores share their
 * ThreadCache plumbing: their part (a NamedCache) of the task's shared RecordCache, whose dirty entries it hands
 * back to writeDown on flush or eviction; the timestamp and context each write is kept with; the flush listener
 * (L: the listener type of the store kind) with its sendOldValues; and the lifecycle — flush writes the cache
 * down, then flushes below; close flushes, gives the cache its part back and closes below; a restore goes below
 * and drops the cached entries of what it restored. Each kind reads, writes and writes down in its own shape.
 */
export abstract class CachingLayer<S extends StateStore, L> implements RestorableStore {
  readonly name: string;
  readonly cacheName: string;
  protected readonly named: NamedCache;
  protected readonly timestamp: () => number;
  protected readonly context: () => unknown;
  protected listener: L | null;
  protected sendOldValues: boolean;
  protected open = true;
  private readonly keyMemo = new KeyStringMemo();

  constructor(
    readonly inner: S,
    readonly cache: RecordCache,
    options: CachingLayerOptions<L>,
  ) {
    this.name = inner.name;
    this.cacheName = options.cacheName ?? inner.name;
    this.timestamp = options.timestamp ?? (() => -1);
    this.context = options.context ?? (() => undefined);
    this.listener = options.listener ?? null;
    this.sendOldValues = options.sendOldValues ?? true;
    this.named = cache.namedCache(this.cacheName, (entries) => this.writeDown(entries));
  }

  /** Writes dirty entries down (the cache calls it on flush and eviction), the listener told of each. */
  protected abstract writeDown(entries: readonly DirtyEntry[]): void;
  /** The cache key of what a changelog key (of this store kind's changelog) names. */
  protected abstract cacheKeyOfChangelogKey(changelogKey: Bytes): string;

  /** The binary string of a key (memoised: a read-modify-write of one key object converts it once). */
  protected ks(key: Bytes): string {
    return this.keyMemo.of(key);
  }

  get persistent(): boolean {
    return this.inner.persistent;
  }

  /**
   * sendOldValues false: the listener does not need old values, so the layer reads the value below only for
   * deletes (to skip deleting what was never written down) and passes null as old value, as Kafka's caching stores.
   */
  setFlushListener(listener: L | null, sendOldValues = true): boolean {
    this.listener = listener;
    this.sendOldValues = sendOldValues;
    return true;
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
      this.open = false;
      this.inner.close();
    }
  }

  isOpen(): boolean {
    return this.open && this.inner.isOpen();
  }

  /** Restores below (through the change-logging layer) and drops any cached entries of what was restored. */
  restoreBatch(records: readonly ChangelogRecord[]): void {
    restoreDown(this.name, this.inner, records);
    if (this.named.size === 0) return;
    for (let i = 0; i < records.length; i++) this.named.delete(this.cacheKeyOfChangelogKey(records[i]!.key));
  }
}

import type { Bytes } from '../api/bytes.ts';
import type { WindowBytesStore, WindowedBytes } from '../api/window-store.ts';
import type { SessionBytesStore } from '../api/session-store.ts';
import type { DirtyEntry, RecordCache } from '../cache/record-cache.ts';
import { CachingLayer, type CachingLayerOptions } from './caching-layer.ts';
import { CacheIndex, type WindowedBytesFlushListener, type WindowedFlushListenerHost } from './windowed-cache-support.ts';

export type CachingWindowedStoreOptions = CachingLayerOptions<WindowedBytesFlushListener>;

/**
 * What the window and session caching layers share beyond every caching layer's (CachingLayer): the index of
 * their cache entries by key and time, the observed stream time (largest window start / session end put), and
 * the write-through and write-down of entries — each kind says how an entry maps to a window and how to read and
 * write one below.
 */
export abstract class CachingWindowedStore<S extends WindowBytesStore | SessionBytesStore>
  extends CachingLayer<S, WindowedBytesFlushListener>
  implements WindowedFlushListenerHost {
  protected readonly index: CacheIndex;
  /** Largest window start / session end put; -1 before any. */
  protected maxTime = -1;
  private writingDown = false;
  private writingTimestamp = -1;

  constructor(inner: S, cache: RecordCache, sessions: boolean, options: CachingWindowedStoreOptions) {
    super(inner, cache, options);
    this.index = new CacheIndex(sessions);
    // Entries of a named cache this layer did not write (none, unless a store of the name was left unclosed).
    if (this.named.size > 0) this.index.rebuild(this.named);
  }

  /** The window of a dirty entry (decoded from its cache key). */
  protected abstract windowOf(e: DirtyEntry): WindowedBytes;
  /**
   * The value below (null if none), by the store's own stream time: entries are written down in write order, so
   * the store below goes through the states an uncached store would have had (it may lag behind this layer).
   */
  protected abstract fetchBelow(w: WindowedBytes): Bytes | null;
  protected abstract writeBelow(w: WindowedBytes, value: Bytes | null): void;

  get retentionPeriod(): number {
    return this.inner.retentionPeriod;
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

  override close(): void {
    try {
      super.close();
    } finally {
      this.index.clear();
    }
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

  protected writeDown(entries: readonly DirtyEntry[]): void {
    const listener = this.listener;
    const sendOld = this.sendOldValues;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const w = this.windowOf(e);
      const old = listener !== null && (e.value === null || sendOld) ? this.fetchBelow(w) : null;
      // As Kafka's caching window/session stores: with a listener, a delete of what is not below is neither
      // written (no tombstone in the changelog) nor forwarded.
      if (listener !== null && e.value === null && old === null) continue;
      this.writingDown = true;
      this.writingTimestamp = e.timestamp;
      try {
        this.writeBelow(w, e.value);
      } finally {
        this.writingDown = false;
      }
      if (listener !== null) listener(w, e.value, sendOld ? old : null, e.timestamp, e.context);
    }
  }
}

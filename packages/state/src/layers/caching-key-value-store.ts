import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { KeyValueBytesStore } from '../api/key-value-store.ts';
import type { DirtyEntry, NamedCache, RecordCache } from '../cache/record-cache.ts';
import { keyString } from '../util/key-string.ts';
import { CachingLayer, type CachingLayerOptions } from './caching-layer.ts';
import type { BytesFlushListener, FlushListenerHost } from './layer-support.ts';
import { StoreClosedError } from '../errors/store-closed-error.ts';

export type CachingKeyValueStoreOptions = CachingLayerOptions<BytesFlushListener>;

/**
 * Write-back caching layer (Kafka Streams' CachingKeyValueStore) over a shared RecordCache.
 *
 * Writes go to the cache as dirty entries; reads hit the cache first, and a miss that finds a value below caches
 * it clean. Dirty entries are written down on flush() or when evicted (see writeDown): in last-write order, each
 * entry's old value is read from the layer below, the new ones written (each carrying its write's timestamp, which
 * a change-logging layer below stamps its record with), then the flush listener gets (key, new, old, timestamp of
 * the write) unless both are null — so downstream sees only the latest value per key per flush, with the value
 * last flushed as its old value. With a listener, a delete of a key that is not below is not written at all (nor
 * logged), as in Kafka.
 *
 * With a cache of max bytes 0 the layer writes through and calls the listener synchronously on each write
 * (Kafka with statestore.cache.max.bytes=0).
 */
export class CachingKeyValueStore extends CachingLayer<KeyValueBytesStore, BytesFlushListener> implements KeyValueBytesStore, FlushListenerHost {
  /** Counts write-downs: one that sees the count move while its listeners run knows it was re-entered. */
  private writeDowns = 0;

  constructor(inner: KeyValueBytesStore, cache: RecordCache, options: CachingKeyValueStoreOptions = {}) {
    super(inner, cache, options);
  }

  /** The timestamp a write happening now belongs to (written-down entries carry their own: see writeDown). */
  currentTimestamp(): number {
    return this.timestamp();
  }

  get(key: Bytes): Bytes | undefined {
    if (!this.open) throw new StoreClosedError(this.name);
    if (this.cache.maxBytes === 0) return this.inner.get(key);
    const ks = this.ks(key);
    const hit = this.named.get(ks);
    if (hit !== undefined) return hit.value ?? undefined;
    const v = this.inner.get(key);
    if (v !== undefined) this.named.put(ks, key, v, false, -1);
    return v;
  }

  put(key: Bytes, value: Bytes | null): void {
    if (!this.open) throw new StoreClosedError(this.name);
    if (this.cache.maxBytes === 0) {
      this.writeThrough(key, value);
      return;
    }
    this.named.put(this.ks(key), key, value, true, this.timestamp(), this.context());
  }

  putIfAbsent(key: Bytes, value: Bytes): Bytes | undefined {
    const old = this.get(key);
    if (old === undefined) this.put(key, value);
    return old;
  }

  putAll(entries: readonly KeyValue<Bytes, Bytes | null>[]): void {
    for (let i = 0; i < entries.length; i++) this.put(entries[i]!.key, entries[i]!.value);
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
    return merge(this.named, this.named.range(fs, ts), this.inner.range(from, to, reverse), reverse);
  }

  prefixScan(prefix: Bytes): Iterable<KeyValue<Bytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    return merge(this.named, this.named.prefix(keyString(prefix)), this.inner.prefixScan(prefix), false);
  }

  all(reverse = false): Iterable<KeyValue<Bytes, Bytes>> {
    if (!this.open) throw new StoreClosedError(this.name);
    return merge(this.named, this.named.range(undefined, undefined), this.inner.all(reverse), reverse);
  }

  /** The layer below's count (as Kafka: dirty new keys are not counted until flushed). */
  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  protected cacheKeyOfChangelogKey(changelogKey: Bytes): string {
    return keyString(changelogKey);
  }

  private writeThrough(key: Bytes, value: Bytes | null): void {
    const listener = this.listener;
    if (listener === null) {
      this.inner.put(key, value);
      return;
    }
    const old = this.sendOldValues || value === null ? this.inner.get(key) ?? null : null;
    this.inner.put(key, value);
    if (value !== null || old !== null) listener(key, value, this.sendOldValues ? old : null, this.timestamp(), this.context());
  }

  /**
   * Writes dirty entries down: the old values below first (only those the listener needs: all with sendOldValues,
   * else the deletes'; one `getMany` when the layer below has it — RocksDB: one MultiGet), then every entry with
   * one `putAll` (RocksDB: one write batch; the change-logging layer logs each with its own write's timestamp),
   * then the listener for each, in order. Kafka writes and forwards entry by entry; reads through this layer see
   * the same values either way (the cache still holds every entry written here, but the evicted one and deletes,
   * which are written before their listeners run in both orders). A listener that writes to this store and makes
   * it write down re-entrantly is the exception: the nested write-down sees the batch's values below as old values
   * (Kafka, writing entry by entry, would show the older ones for entries not reached yet), and the outer entries
   * after it are written again, one by one (so logged twice), their old values read at their turn — the store and
   * its changelog end as Kafka's would.
   */
  protected writeDown(entries: readonly DirtyEntry[]): void {
    const inner = this.inner;
    const listener = this.listener;
    const sendOld = this.sendOldValues;
    let olds: (Bytes | undefined)[] | null = null;
    if (listener !== null) {
      if (sendOld) {
        if (entries.length > 1 && inner.getMany !== undefined) {
          const keys = new Array<Bytes>(entries.length);
          for (let i = 0; i < entries.length; i++) keys[i] = entries[i]!.key;
          olds = inner.getMany(keys);
        } else {
          olds = new Array<Bytes | undefined>(entries.length);
          for (let i = 0; i < entries.length; i++) olds[i] = inner.get(entries[i]!.key);
        }
      } else {
        for (let i = 0; i < entries.length; i++) {
          if (entries[i]!.value !== null) continue;
          olds ??= new Array<Bytes | undefined>(entries.length);
          olds[i] = inner.get(entries[i]!.key);
        }
      }
    }
    const run = ++this.writeDowns;
    inner.putAll(listener === null ? entries : withoutVoidDeletes(entries, olds));
    if (listener === null) return;
    let reentered = false;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      let old = olds === null ? null : olds[i] ?? null;
      if (reentered) {
        // A listener wrote to this store and it wrote down in between: what is below now is not what the batch
        // left. Write this entry again over it and read its old value now, as writing entry by entry would.
        old = sendOld || e.value === null ? inner.get(e.key) ?? null : null;
        if (e.value !== null || old !== null) inner.putAll([e]);
      }
      if (e.value !== null || old !== null) listener(e.key, e.value, sendOld ? old : null, e.timestamp, e.context);
      if (this.writeDowns !== run) reentered = true;
    }
  }
}

/**
 * The entries to write down when a listener is set: all but deletes of keys not below (olds[i] undefined), which
 * Kafka's CachingKeyValueStore neither writes (so its changelog gets no tombstone for them) nor forwards. The
 * same array when there is none (the usual case).
 */
function withoutVoidDeletes(entries: readonly DirtyEntry[], olds: readonly (Bytes | undefined)[] | null): readonly DirtyEntry[] {
  let out: DirtyEntry[] | undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const skip = e.value === null && olds?.[i] === undefined;
    if (skip && out === undefined) out = entries.slice(0, i);
    else if (!skip && out !== undefined) out.push(e);
  }
  return out ?? entries;
}

/**
 * Merges the cache's keys (snapshot) with a sorted scan of the layer below. Values are read when yielded: the
 * cache's current entry wins (a cached delete hides the key), so changes made during iteration are seen as in
 * the in-memory store (a deleted key is skipped).
 */
function* merge(named: NamedCache, cached: { ks: string; key: Bytes }[], below: Iterable<KeyValue<Bytes, Bytes>>, reverse: boolean): Generator<KeyValue<Bytes, Bytes>> {
  if (reverse) cached.reverse();
  let c = 0;
  const sign = reverse ? -1 : 1;
  for (const kv of below) {
    const ks = keyString(kv.key);
    while (c < cached.length && sign * cmp(cached[c]!.ks, ks) < 0) {
      const e = named.peek(cached[c++]!.ks);
      if (e !== undefined && e.value !== null) yield { key: e.key, value: e.value };
    }
    if (c < cached.length && cached[c]!.ks === ks) c++;
    const e = named.peek(ks);
    if (e === undefined) yield kv;
    else if (e.value !== null) yield { key: e.key, value: e.value };
  }
  while (c < cached.length) {
    const e = named.peek(cached[c++]!.ks);
    if (e !== undefined && e.value !== null) yield { key: e.key, value: e.value };
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

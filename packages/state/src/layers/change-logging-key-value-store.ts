import type { Bytes, KeyValue } from '../api/bytes.ts';
import type { BytesWrite, KeyValueBytesStore } from '../api/key-value-store.ts';
import type { ChangelogRecord } from '../api/state-store.ts';
import { ChangeLoggingLayer } from './change-logging-layer.ts';
import { isRestorable } from './layer-support.ts';

/**
 * Sends every write to the changelog sink after applying it below (Kafka Streams' ChangeLoggingKeyValueBytesStore):
 * put → (key, value); delete → tombstone (always, as Kafka); putIfAbsent → only when it wrote. The record
 * timestamp comes from `timestamp()` (the runtime: the current record's timestamp).
 */
export class ChangeLoggingKeyValueStore extends ChangeLoggingLayer<KeyValueBytesStore> implements KeyValueBytesStore {
  get(key: Bytes): Bytes | undefined {
    return this.inner.get(key);
  }

  /** Forwards the inner store's batched read (a layer above looks for it); gets one by one if it has none. */
  getMany(keys: readonly Bytes[]): (Bytes | undefined)[] {
    const inner = this.inner;
    if (inner.getMany !== undefined) return inner.getMany(keys);
    const out = new Array<Bytes | undefined>(keys.length);
    for (let i = 0; i < keys.length; i++) out[i] = inner.get(keys[i]!);
    return out;
  }

  put(key: Bytes, value: Bytes | null): void {
    this.inner.put(key, value);
    this.log(key, value);
  }

  putIfAbsent(key: Bytes, value: Bytes): Bytes | undefined {
    const old = this.inner.putIfAbsent(key, value);
    if (old === undefined) this.log(key, value);
    return old;
  }

  /**
   * Writes below in one putAll, then logs each entry, stamped with its own timestamp when it has one (a timestamped
   * value: the value's timestamp).
   */
  putAll(entries: readonly BytesWrite[]): void {
    this.inner.putAll(entries);
    if (this.discarded()) return;
    const ts = this.timestamp();
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      if (this.timestampedValues && e.value !== null) this.log(e.key, e.value);
      else this.sink.send(this.name, { key: e.key, value: e.value, timestamp: e.timestamp ?? ts });
    }
  }

  delete(key: Bytes): Bytes | undefined {
    const old = this.inner.delete(key);
    this.log(key, null);
    return old;
  }

  range(from: Bytes | undefined, to: Bytes | undefined, reverse?: boolean): Iterable<KeyValue<Bytes, Bytes>> {
    return this.inner.range(from, to, reverse);
  }

  prefixScan(prefix: Bytes): Iterable<KeyValue<Bytes, Bytes>> {
    return this.inner.prefixScan(prefix);
  }

  all(reverse?: boolean): Iterable<KeyValue<Bytes, Bytes>> {
    return this.inner.all(reverse);
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }

  /**
   * Applies changelog records to the inner store, in order (null = delete), without logging them: with the
   * inner store's own restoreBatch when it has one (RocksDB: one write batch), else put by put.
   */
  override restoreBatch(records: readonly ChangelogRecord[]): void {
    const inner = this.inner;
    if (!isRestorable(inner)) super.restoreBatch(records);
    else if (!this.timestampedValues) inner.restoreBatch(records);
    else inner.restoreBatch(records.map((r) => (r.value === null ? r : { key: r.key, value: this.storedValue(r), timestamp: r.timestamp })));
  }

  protected restore(record: ChangelogRecord): void {
    this.inner.put(record.key, this.storedValue(record));
  }
}
